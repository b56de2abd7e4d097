-- +goose Up
-- Idempotency keys were global and blind to content: the same key from
-- another agency, or with another procedure, applicant or files, returned
-- the first dossier and dropped the new files. A key is now unique within
-- its scope (receiving agency and submitting credential), and the request's
-- hash (procedure, applicant, agency, metadata, each file's name and
-- sha256) tells a retry (same hash: the first result) from a reuse (409).
-- Rows from before keep an empty scope and hash: no new key matches them.
ALTER TABLE dossiers
    ADD COLUMN idempotency_scope text NOT NULL DEFAULT '',
    ADD COLUMN request_hash      text NOT NULL DEFAULT '';
ALTER TABLE dossiers DROP CONSTRAINT dossiers_idempotency_key_key;
CREATE UNIQUE INDEX dossiers_idempotency ON dossiers (idempotency_scope, idempotency_key);

-- +goose Down
DROP INDEX dossiers_idempotency;
ALTER TABLE dossiers DROP COLUMN idempotency_scope, DROP COLUMN request_hash;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_idempotency_key_key UNIQUE (idempotency_key);
