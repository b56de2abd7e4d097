-- +goose Up
-- Digital signatures (issue #20). The extract stage verifies each submitted
-- PDF's signatures (signer, time, byte ranges, validity, trust) and keeps
-- them on the document, as internal/pdfsig reports them.
ALTER TABLE documents ADD COLUMN signatures jsonb NOT NULL DEFAULT '[]'::jsonb;

-- What hoso signs with the agency key: the receipt PDF of an accepted
-- submission (PAdES, the signature inside the PDF), each pre-check report
-- (canonical JSON with a detached CMS), each official's decision and each
-- message released to a citizen (detached CMS over canonical JSON naming the
-- official), and the audit chain's head once a day (dossier_id NULL). One
-- row per (kind, ref): signing again is a no-op, so a redelivered event or
-- a re-run signs nothing twice.
CREATE TABLE signed_records (
    id          bigserial PRIMARY KEY,
    dossier_id  text REFERENCES dossiers(id) ON DELETE CASCADE,
    kind        text NOT NULL,            -- receipt | report | decision | message | audit_head
    ref         text NOT NULL,            -- what was signed: dossier id, suggestion id, report hash, day
    official    text NOT NULL DEFAULT '', -- who decided (decision, message)
    content     bytea NOT NULL,           -- the signed bytes: the PDF itself, or the canonical JSON
    content_type text NOT NULL,           -- application/pdf | application/json
    signature   bytea,                    -- detached CMS (DER); NULL for a PDF that carries its own
    signer      text NOT NULL,            -- the signing certificate's subject DN
    sha256      text NOT NULL,            -- of content
    signed_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, ref)
);
CREATE INDEX signed_records_dossier ON signed_records (dossier_id) WHERE dossier_id IS NOT NULL;

-- +goose Down
DROP TABLE signed_records;
ALTER TABLE documents DROP COLUMN signatures;
