-- +goose Up
-- The citizen page throttles sign-ins that leave no code row (OIDC) by
-- counting the client's recent sign-ins and refusals in the audit log
-- (internal/citizen vouchedAttempts). Without this index every such sign-in
-- scanned the whole audit log; the partial index holds only those rows.
CREATE INDEX audit_log_citizen_sign_in ON audit_log ((after->>'client'), at)
    WHERE action IN ('citizen.sign_in', 'citizen.sign_in_failed');

-- +goose Down
DROP INDEX IF EXISTS audit_log_citizen_sign_in;
