-- +goose Up
-- procedure_names gives reports and queues a procedure's current name and
-- statutory processing time (working days) without decoding the catalog's
-- JSON documents in every list query.
CREATE VIEW procedure_names AS
SELECT p.code, p.name,
       coalesce(nullif(v.doc->>'processing_days', '')::double precision, 0) AS processing_days
FROM procedures p JOIN procedure_versions v ON v.id = p.version_id;

-- +goose Down
DROP VIEW procedure_names;
