-- +goose Up
-- Procedure catalog: every version of every procedure as a JSON document
-- (the catalog.Procedure contract), plus one "current" row per procedure for
-- listing and search. Versions carry an effective date because procedures
-- change (the 2025 local-government reform changed many); a dossier is
-- checked against the version in force on its submission date.

CREATE TABLE procedure_versions (
    id             bigserial PRIMARY KEY,
    code           text NOT NULL,                 -- mã thủ tục, e.g. 1.001193
    version        int NOT NULL,                  -- 1, 2, … per code in insertion order
    source         text NOT NULL,                 -- import | override | manual
    effective_from date NOT NULL,
    content_hash   text NOT NULL,                 -- sha256 of the canonical document
    doc            jsonb NOT NULL,                -- catalog.Procedure
    needs_review   boolean NOT NULL DEFAULT false,
    origin         text NOT NULL DEFAULT '',      -- file the version came from
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- Re-importing identical content is a no-op.
    UNIQUE (code, source, effective_from, content_hash),
    UNIQUE (code, version)
);
-- Get(code, at): the newest effective_from <= at; at equal dates overrides
-- (priority 1) beat imports (priority 0), then the newest row wins.
CREATE INDEX procedure_versions_lookup ON procedure_versions (code, effective_from DESC, id DESC);

-- procedures is the version in force now, denormalised for list and search.
-- search is the accent-folded code, name and field (vntext.Fold), so that
-- "dang ky khai sinh" finds "Đăng ký khai sinh".
CREATE TABLE procedures (
    code          text PRIMARY KEY,
    version_id    bigint NOT NULL REFERENCES procedure_versions(id) ON DELETE CASCADE,
    name          text NOT NULL,
    field         text NOT NULL DEFAULT '',
    level         text NOT NULL DEFAULT '',
    ministry      text NOT NULL DEFAULT '',
    needs_review  boolean NOT NULL DEFAULT false,
    requirements  int NOT NULL DEFAULT 0,
    search        text NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX procedures_field ON procedures (field);
CREATE INDEX procedures_ministry ON procedures (ministry);

CREATE TABLE catalog_imports (
    id          bigserial PRIMARY KEY,
    src         text NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT now(),
    report      jsonb NOT NULL
);

-- +goose Down
DROP TABLE catalog_imports, procedures, procedure_versions;
