-- +goose Up
-- The officials' console: accounts, sessions, API tokens and the random audit
-- sample. Secrets (session ids, API tokens) are stored only as SHA-256 hashes,
-- so a copy of the database does not let anyone sign in; passwords are bcrypt.

CREATE TABLE users (
    id            text PRIMARY KEY,            -- login name, e.g. "canbo.nguyen"
    name          text NOT NULL,               -- display name (NFC)
    agency        text NOT NULL,               -- sees only dossiers.agency = agency
    roles         text[] NOT NULL DEFAULT '{}', -- reviewer | approver | admin | operator
    email         text NOT NULL DEFAULT '',
    password_hash text,                        -- bcrypt; NULL for OIDC-only accounts
    source        text NOT NULL DEFAULT 'local', -- local | oidc
    oidc_subject  text UNIQUE,                 -- issuer|sub of an OIDC account
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);

CREATE TABLE sessions (
    id_hash      text PRIMARY KEY,             -- sha256 of the cookie value
    user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,                -- synchronizer token for this session
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,         -- idle timeout is measured from here
    expires_at   timestamptz NOT NULL,         -- absolute lifetime
    user_agent   text NOT NULL DEFAULT '',
    remote_addr  text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           text PRIMARY KEY,             -- public prefix shown in listings
    user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   text NOT NULL UNIQUE,         -- sha256 of the secret
    name         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- audit_samples records that a reviewer audited a dossier that the random
-- sample (a hash of the dossier id against the configured rate) put in front
-- of them. Which dossiers are sampled is computed, not stored, so it is stable
-- and cannot be edited away; only the outcome of the audit is stored here.
CREATE TABLE audit_samples (
    dossier_id  text PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
    reviewed_by text NOT NULL,
    reviewed_at timestamptz NOT NULL DEFAULT now(),
    outcome     text NOT NULL,                 -- agree | disagree
    note        text NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE audit_samples, api_tokens, sessions, users;
