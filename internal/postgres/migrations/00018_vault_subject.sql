-- +goose Up
-- A vault record carries whom or what it is about (its subject), so that
-- once-only reuse never lends one child's birth certificate to a sibling:
-- the role (child, holder, spouse, owner, tenant, business) and the birth
-- date beside the existing subject_name and subject_id_number. Records
-- written before this migration keep '' and are read from their fields.
ALTER TABLE vault_records
    ADD COLUMN subject_role       text NOT NULL DEFAULT '',
    ADD COLUMN subject_birth_date text NOT NULL DEFAULT '';   -- YYYY-MM-DD, when the document gives it

-- +goose Down
ALTER TABLE vault_records DROP COLUMN subject_role, DROP COLUMN subject_birth_date;
