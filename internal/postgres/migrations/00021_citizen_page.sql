-- +goose Up
-- The citizen page (internal/citizen) and the Programme's indicators
-- (internal/indicators).

-- citizen_codes are one-time sign-in codes sent on HOSO.notify.<citizen>: a
-- six-digit code to type and a link token to follow, both kept only as
-- SHA-256 hashes. A row is used once (used_at), expires quickly, and dies
-- after too many wrong codes (attempts). Rows issued in the last hour are
-- what throttles issuing (per citizen and per client address).
CREATE TABLE citizen_codes (
    id          bigserial PRIMARY KEY,
    citizen_id  text NOT NULL,
    code_hash   text NOT NULL,                -- sha256 hex of the six digits, salted with the row's link hash
    link_hash   text NOT NULL UNIQUE,         -- sha256 hex of the link token
    client      text NOT NULL DEFAULT '',     -- throttling key of the requesting client (auth.ClientKey)
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    attempts    int NOT NULL DEFAULT 0,       -- wrong codes typed against this row
    used_at     timestamptz
);
CREATE INDEX citizen_codes_citizen ON citizen_codes (citizen_id, created_at DESC);
CREATE INDEX citizen_codes_client ON citizen_codes (client, created_at DESC);

-- citizen_sessions: a signed-in citizen's browser session (id hashed at rest).
CREATE TABLE citizen_sessions (
    id_hash     text PRIMARY KEY,
    citizen_id  text NOT NULL,
    csrf        text NOT NULL,
    method      text NOT NULL DEFAULT 'code', -- code | link | oidc
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX citizen_sessions_expiry ON citizen_sessions (expires_at);

-- satisfaction_ratings: one rating per decided dossier, by its applicant.
-- Rating again replaces the score (the dossier is the key), so a double tap
-- or a resubmitted form writes one row.
CREATE TABLE satisfaction_ratings (
    dossier_id  text PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
    citizen_id  text NOT NULL,
    score       smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX satisfaction_ratings_created ON satisfaction_ratings (created_at);

-- +goose Down
DROP TABLE satisfaction_ratings, citizen_sessions, citizen_codes;
