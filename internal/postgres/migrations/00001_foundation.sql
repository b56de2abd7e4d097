-- +goose Up
-- Foundation: dossiers, their documents, the pre-check report (findings and
-- suggestions), the per-stage idempotency inbox, dead letters, the audit log
-- and the citizens' inbox. PostgreSQL is the system of record; JetStream only
-- carries work, so every effect below is keyed so that a redelivered message
-- writes nothing twice.

CREATE TABLE dossiers (
    id               text PRIMARY KEY,              -- "hs-" + ULID-like sortable id
    procedure_code   text NOT NULL,                 -- mã thủ tục, e.g. 1.001193
    applicant_id     text NOT NULL,                 -- citizen or business id
    agency           text NOT NULL DEFAULT '',      -- receiving agency (console scoping)
    idempotency_key  text UNIQUE,                   -- client key; resubmission returns the same dossier
    submitted_at     timestamptz NOT NULL DEFAULT now(),
    status           text NOT NULL DEFAULT 'received',  -- received | processing | prechecked | failed
    stage            text NOT NULL DEFAULT 'intake',    -- stage the dossier waits in
    stage_since      timestamptz NOT NULL DEFAULT now(),
    attempts         int NOT NULL DEFAULT 0,            -- reconciler re-publications
    pipeline_version text NOT NULL DEFAULT '',
    metadata         jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossiers_stage_since ON dossiers (stage, stage_since) WHERE status IN ('received', 'processing');
CREATE INDEX dossiers_applicant ON dossiers (applicant_id);
CREATE INDEX dossiers_agency_status ON dossiers (agency, status, submitted_at DESC);

CREATE TABLE documents (
    id                text PRIMARY KEY,            -- dossier id + "-d" + ordinal
    dossier_id        text NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    ordinal           int NOT NULL,
    filename          text NOT NULL,
    content_type      text NOT NULL,
    size_bytes        bigint NOT NULL,
    sha256            text NOT NULL,
    object_key        text NOT NULL,               -- key in the NATS object store
    pages             int NOT NULL DEFAULT 0,
    extraction_status text NOT NULL DEFAULT 'pending', -- pending | ok | needs_ocr | failed
    extraction_error  text NOT NULL DEFAULT '',
    extractor         text NOT NULL DEFAULT '',
    page_texts        jsonb NOT NULL DEFAULT '[]'::jsonb,   -- ["page 1 text", …] NFC
    doc_type          text NOT NULL DEFAULT 'unknown', -- requirement it satisfies, or other/unknown
    confidence        double precision NOT NULL DEFAULT 0,
    classification    jsonb NOT NULL DEFAULT '{}'::jsonb,   -- evidence, method, model
    fields            jsonb NOT NULL DEFAULT '[]'::jsonb,   -- extracted fields with page and span
    needs_review      boolean NOT NULL DEFAULT false,
    UNIQUE (dossier_id, ordinal)
);

CREATE TABLE findings (
    id          bigserial PRIMARY KEY,
    dossier_id  text NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    key         text NOT NULL,             -- stable per dossier: requirement or check name; the idempotency key
    kind        text NOT NULL DEFAULT 'completeness', -- completeness | consistency | validity | reuse
    requirement text NOT NULL DEFAULT '',
    status      text NOT NULL,             -- present | missing | invalid | satisfied_by_reuse | not_applicable
    evidence    text NOT NULL DEFAULT '',
    document_id text,
    severity    text NOT NULL DEFAULT 'info',
    citations   jsonb NOT NULL DEFAULT '[]'::jsonb,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dossier_id, key)
);

CREATE TABLE suggestions (
    id          text PRIMARY KEY,           -- dossier id + "-s-" + short hash of key
    dossier_id  text NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    key         text NOT NULL,              -- idempotency key within the dossier
    citizen_id  text NOT NULL,
    kind        text NOT NULL,              -- request_missing | fix_inconsistency | linked_procedure | renewal | …
    text        text NOT NULL,              -- citizen-facing wording (vi)
    text_en     text NOT NULL DEFAULT '',
    rationale   text NOT NULL DEFAULT '',   -- why it was made, for the official
    risk        text NOT NULL DEFAULT 'normal', -- normal | high (four-eyes)
    status      text NOT NULL DEFAULT 'pending_review', -- pending_review | approved | rejected | sent
    decided_by  text,
    decided_at  timestamptz,
    reason      text NOT NULL DEFAULT '',
    approvals   jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dossier_id, key)
);
CREATE INDEX suggestions_status ON suggestions (status, created_at);

-- stage_runs is each stage's inbox: one row per (dossier, stage, input hash).
-- A stage inserts it in the same transaction as its effects; a redelivery finds
-- the row and writes nothing.
CREATE TABLE stage_runs (
    dossier_id  text NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    stage       text NOT NULL,
    input_hash  text NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    delivery    int NOT NULL DEFAULT 1,
    outcome     text NOT NULL DEFAULT 'ok',
    detail      text NOT NULL DEFAULT '',
    PRIMARY KEY (dossier_id, stage, input_hash)
);

CREATE TABLE dead_letters (
    id          bigserial PRIMARY KEY,
    subject     text NOT NULL,
    stream_seq  bigint NOT NULL DEFAULT 0,
    consumer    text NOT NULL DEFAULT '',
    dossier_id  text,
    stage       text NOT NULL DEFAULT '',
    reason      text NOT NULL,
    payload     bytea,
    headers     jsonb NOT NULL DEFAULT '{}'::jsonb,
    deliveries  int NOT NULL DEFAULT 0,
    status      text NOT NULL DEFAULT 'open',   -- open | retried | discarded
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    UNIQUE (consumer, stream_seq)
);

-- audit_log is append-only and hash-chained: hash = sha256(prev_hash || canonical row).
CREATE TABLE audit_log (
    seq        bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text NOT NULL,
    action     text NOT NULL,
    entity     text NOT NULL,
    entity_id  text NOT NULL,
    before     jsonb,
    after      jsonb,
    reason     text NOT NULL DEFAULT '',
    prev_hash  text NOT NULL,
    hash       text NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TABLE citizen_inbox (
    id            bigserial PRIMARY KEY,
    citizen_id    text NOT NULL,
    suggestion_id text NOT NULL UNIQUE REFERENCES suggestions(id),
    dossier_id    text,
    kind          text NOT NULL,
    text          text NOT NULL,
    text_en       text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,               -- set once the NATS notification was acked
    response      text,                      -- accepted | declined
    responded_at  timestamptz
);
CREATE INDEX citizen_inbox_citizen ON citizen_inbox (citizen_id, created_at DESC);

-- +goose Down
DROP TABLE citizen_inbox, audit_log, dead_letters, stage_runs, suggestions, findings, documents, dossiers;
