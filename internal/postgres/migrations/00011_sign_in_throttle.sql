-- +goose Up
-- Sign-in throttling (internal/auth/throttle.go). One row per throttled key:
-- "user:<login name as typed>" for an account (whether or not it exists, so
-- that a lockout does not reveal which names exist) and "addr:<client>" for a
-- client address (an IPv4 address or an IPv6 /64). Kept in PostgreSQL, not in
-- memory, so that every `hoso serve` replica counts the same failures.
--
-- failures counts failed attempts since the last success (accounts) or the
-- last quiet period; an attempt is counted before its password is checked,
-- so that concurrent guesses cannot all slip in before the first is counted,
-- and taken back when it succeeds. locked_until is set once failures reach
-- the key's limit, for a time that doubles with each further failure.
CREATE TABLE auth_throttle (
    key             text PRIMARY KEY,
    failures        integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    last_failure_at timestamptz NOT NULL DEFAULT now()
);

-- Housekeeping deletes quiet rows by age.
CREATE INDEX auth_throttle_last_failure ON auth_throttle (last_failure_at);

-- +goose Down
DROP TABLE auth_throttle;
