-- +goose Up
-- Operators (internal/pipelinestore, internal/shadow, internal/replay,
-- internal/deadletter): versioned pipeline definitions with their activation
-- history, shadow runs of a candidate version, and recorded replays.

-- pipeline_versions holds every definition ever stored, by its label
-- (name@version#hash12, what dossiers.pipeline_version records), so that a
-- dossier in flight finds the version it started under after any activation.
-- The YAML is stored verbatim: its SHA-256 is the hash in the label.
CREATE TABLE pipeline_versions (
    label       text PRIMARY KEY,                -- name@version#hash12
    name        text NOT NULL,
    version     text NOT NULL,
    hash        text NOT NULL UNIQUE,            -- sha256 of yaml
    yaml        text NOT NULL,
    author      text NOT NULL,
    note        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- pipeline_activations is the append-only activation history; the newest
-- row is the active version. Rollback appends the previous version again.
CREATE TABLE pipeline_activations (
    id          bigserial PRIMARY KEY,
    label       text NOT NULL REFERENCES pipeline_versions(label),
    author      text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    activated_at timestamptz NOT NULL DEFAULT now()
);

-- shadow_candidates: at most one running shadow (stopped_at IS NULL).
CREATE TABLE shadow_candidates (
    id          bigserial PRIMARY KEY,
    label       text NOT NULL REFERENCES pipeline_versions(label),
    author      text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    stopped_at  timestamptz
);
CREATE UNIQUE INDEX shadow_candidates_one_running ON shadow_candidates ((true)) WHERE stopped_at IS NULL;

-- shadow_runs is what a candidate concluded on a live dossier, kept apart
-- from the production rows: nothing here reaches officials or citizens.
-- Keyed by (candidate, dossier) so that a redelivered mirror message
-- overwrites instead of duplicating. Findings and suggestions are JSON
-- arrays in the API's shape (dossier.Finding, dossier.Suggestion).
CREATE TABLE shadow_runs (
    candidate     text NOT NULL,
    dossier_id    text NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    production    text NOT NULL DEFAULT '',     -- production version of the dossier
    classifications jsonb NOT NULL DEFAULT '[]'::jsonb,
    findings      jsonb NOT NULL DEFAULT '[]'::jsonb,
    suggestions   jsonb NOT NULL DEFAULT '[]'::jsonb,
    error         text NOT NULL DEFAULT '',
    duration_ms   int NOT NULL DEFAULT 0,
    ran_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (candidate, dossier_id)
);

-- replays records each `hoso replay` for complaints and appeals: whether the
-- recorded findings were reproduced, and the difference under another version.
CREATE TABLE replays (
    id          bigserial PRIMARY KEY,
    dossier_id  text NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    recorded    text NOT NULL,                  -- version the dossier ran under
    compared    text NOT NULL,                  -- version it was compared with
    exact       boolean NOT NULL,               -- recorded findings reproduced
    diff        jsonb NOT NULL DEFAULT '{}'::jsonb,
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX replays_dossier ON replays (dossier_id, at DESC);

CREATE INDEX dead_letters_status ON dead_letters (status, created_at DESC);
CREATE INDEX stage_runs_finished ON stage_runs (finished_at);

-- +goose Down
DROP INDEX stage_runs_finished;
DROP INDEX dead_letters_status;
DROP TABLE replays, shadow_runs, shadow_candidates, pipeline_activations, pipeline_versions;
