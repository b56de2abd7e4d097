-- +goose Up
-- Citizens: the once-only document vault, dossier acceptance, proactive
-- trigger events and the suggestions they drafted, and every response a
-- citizen gave. Every write below is keyed, so a redelivered event, a second
-- "accept" or a re-run scheduler pass writes nothing twice.

-- vault_records holds verified documents of a citizen or business: accepted by
-- an official in a completed dossier (source 'dossier') or supplied by a
-- registry of another agency (source 'registry:<name>').
CREATE TABLE vault_records (
    id                text PRIMARY KEY,            -- "vr-" + hash(source, source_ref): the same record always has the same id
    owner_id          text NOT NULL,               -- citizen or business id (dossiers.applicant_id)
    doc_type          text NOT NULL,               -- vault type, e.g. giay_chung_sinh, cccd, xac_nhan_cu_tru
    title             text NOT NULL DEFAULT '',    -- name as written (vi)
    issuer            text NOT NULL DEFAULT '',    -- cơ quan cấp
    number            text NOT NULL DEFAULT '',    -- số hiệu of the document, when known
    subject_name      text NOT NULL DEFAULT '',    -- the person the document is about, when it names one
    subject_id_number text NOT NULL DEFAULT '',    -- that person's personal id number (số định danh), when present
    fields            jsonb NOT NULL DEFAULT '[]'::jsonb,  -- key fields (dossier.Field) as extracted or supplied
    valid_from        date,
    valid_until       date,                        -- NULL: does not expire (giấy chứng sinh)
    source            text NOT NULL,               -- dossier | registry:<name>
    source_ref        text NOT NULL,               -- document id, or the registry's own record id
    source_dossier    text,                        -- dossier the record came from, when it did
    verified_by       text NOT NULL,               -- official or registry that vouched for it
    verified_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at        timestamptz,                 -- a revoked record is never reused
    UNIQUE (source, source_ref)
);
CREATE INDEX vault_records_owner ON vault_records (owner_id, doc_type);
CREATE INDEX vault_records_expiry ON vault_records (valid_until) WHERE revoked_at IS NULL AND valid_until IS NOT NULL;

-- dossier_acceptances records that an official accepted a completed dossier
-- (its documents then enter the vault); one row per dossier.
CREATE TABLE dossier_acceptances (
    dossier_id  text PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
    accepted_by text NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT now(),
    note        text NOT NULL DEFAULT '',
    records     int NOT NULL DEFAULT 0
);

-- trigger_events is the inbox of life events: from other systems (NATS
-- <prefix>.events.<kind>), from hoso's own results (a dossier accepted) and
-- from the scheduler (a document expiring, a dossier incomplete for N days).
-- The event id is the idempotency key; processed_at is set once the rules ran.
CREATE TABLE trigger_events (
    id             text PRIMARY KEY,
    kind           text NOT NULL,
    citizen_id     text NOT NULL,
    subject_id     text NOT NULL DEFAULT '',   -- who the event is about (the child, the business), when not the citizen
    dossier_id     text,                       -- hoso dossier behind the event, when there is one
    procedure_code text NOT NULL DEFAULT '',
    agency         text NOT NULL DEFAULT '',
    occurred_at    timestamptz NOT NULL,
    data           jsonb NOT NULL DEFAULT '{}'::jsonb,
    origin         text NOT NULL DEFAULT 'nats', -- nats | hoso | scheduler | api
    received_at    timestamptz NOT NULL DEFAULT now(),
    processed_at   timestamptz,
    suggestions    int NOT NULL DEFAULT 0
);
CREATE INDEX trigger_events_pending ON trigger_events (received_at) WHERE processed_at IS NULL;

-- trigger_suggestions ties each proactive suggestion to the rule and event
-- that made it, and to the procedure it proposes (for the pre-filled draft).
CREATE TABLE trigger_suggestions (
    suggestion_id  text PRIMARY KEY REFERENCES suggestions(id) ON DELETE CASCADE,
    rule_id        text NOT NULL,
    event_id       text NOT NULL,
    citizen_id     text NOT NULL,
    procedure_code text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trigger_suggestions_rule ON trigger_suggestions (rule_id);

-- citizen_responses keeps every answer a citizen gave to an inbox item
-- (citizen_inbox.response holds the current one).
CREATE TABLE citizen_responses (
    id           bigserial PRIMARY KEY,
    inbox_id     bigint NOT NULL REFERENCES citizen_inbox(id) ON DELETE CASCADE,
    citizen_id   text NOT NULL,
    response     text NOT NULL,               -- accepted | declined
    actor        text NOT NULL,               -- citizen:<id> or the portal integration
    draft_dossier text,                       -- draft created by an acceptance
    at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (inbox_id)                         -- one decision per prompt
);
CREATE INDEX citizen_responses_citizen ON citizen_responses (citizen_id, at DESC);

-- trigger_rule_stats is the operators' view: per rule, how many suggestions
-- were made, approved or rejected by officials, and accepted or declined by
-- citizens.
CREATE VIEW trigger_rule_stats AS
SELECT t.rule_id,
       count(*)                                              AS made,
       count(*) FILTER (WHERE s.status = 'pending_review')   AS pending,
       count(*) FILTER (WHERE s.status = 'approved')         AS approved,
       count(*) FILTER (WHERE s.status = 'rejected')         AS rejected,
       count(i.id) FILTER (WHERE i.response = 'accepted')    AS accepted,
       count(i.id) FILTER (WHERE i.response = 'declined')    AS declined
FROM trigger_suggestions t
JOIN suggestions s ON s.id = t.suggestion_id
LEFT JOIN citizen_inbox i ON i.suggestion_id = t.suggestion_id
GROUP BY t.rule_id;

-- +goose Down
DROP VIEW trigger_rule_stats;
DROP TABLE citizen_responses, trigger_suggestions, trigger_events, dossier_acceptances, vault_records;
