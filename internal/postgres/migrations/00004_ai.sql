-- +goose Up
-- AI provider layer (internal/llm): every model result, the cache that makes a
-- redelivered or duplicate input cost no second call, and the per-dossier
-- token budget. None of these reference dossiers(id): calls are also made for
-- catalog parsing and evaluations that have no dossier, and the records must
-- outlive a deleted dossier for cost accounting.

-- ai_cache holds validated outputs only (status ok) or a permanent output
-- failure (status invalid: the model could not produce schema-valid output
-- even after the repair attempt), so neither is paid for twice. The key is
-- (model, prompt hash, input hash); the input hash is taken over the text
-- actually sent, after redaction.
CREATE TABLE ai_cache (
    model        text NOT NULL,
    prompt_hash  text NOT NULL,
    input_hash   text NOT NULL,
    prompt       text NOT NULL,               -- prompt name, e.g. classify_v1
    provider     text NOT NULL,
    status       text NOT NULL DEFAULT 'ok',  -- ok | invalid
    output       jsonb,                       -- validated output (status ok)
    error        text NOT NULL DEFAULT '',    -- why the output was rejected (status invalid)
    tokens       int NOT NULL DEFAULT 0,
    hits         int NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_hit_at  timestamptz,
    PRIMARY KEY (model, prompt_hash, input_hash)
);

-- ai_calls is the ledger: one row per logical call (a repair attempt is part
-- of its call and counted in attempts), including cache hits (cached = true,
-- tokens = 0) and failures (outcome names the failure).
CREATE TABLE ai_calls (
    id                bigserial PRIMARY KEY,
    at                timestamptz NOT NULL DEFAULT now(),
    dossier_id        text,
    document_id       text,
    task              text NOT NULL,           -- classify | extract_fields | catalog_parse | embed | suggest_wording
    provider          text NOT NULL,
    model             text NOT NULL,
    prompt            text NOT NULL DEFAULT '',
    prompt_hash       text NOT NULL DEFAULT '',
    input_hash        text NOT NULL,
    prompt_tokens     int NOT NULL DEFAULT 0,
    completion_tokens int NOT NULL DEFAULT 0,
    tokens            int NOT NULL DEFAULT 0,
    latency_ms        int NOT NULL DEFAULT 0,
    attempts          int NOT NULL DEFAULT 1,
    cached            boolean NOT NULL DEFAULT false,
    redacted          int NOT NULL DEFAULT 0,  -- PII spans replaced before sending
    injection_flagged boolean NOT NULL DEFAULT false,
    outcome           text NOT NULL,           -- ok | invalid_output | rate_limited | unavailable | timeout | budget_exceeded | rejected | error
    detail            text NOT NULL DEFAULT '',
    output            jsonb
);
CREATE INDEX ai_calls_dossier ON ai_calls (dossier_id, at) WHERE dossier_id IS NOT NULL;
CREATE INDEX ai_calls_at ON ai_calls (at);

-- ai_budgets tracks tokens spent per dossier so that the limit survives
-- restarts and is shared by all workers. limit_tokens is copied from the
-- configured default when the row is created; an operator may raise it for
-- one dossier with an UPDATE.
CREATE TABLE ai_budgets (
    dossier_id   text PRIMARY KEY,
    used_tokens  bigint NOT NULL DEFAULT 0,
    limit_tokens bigint NOT NULL,
    calls        int NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE ai_budgets, ai_calls, ai_cache;
