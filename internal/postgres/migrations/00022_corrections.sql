-- +goose Up
-- Officials' corrections of a pre-check (issue #15 item 4): the dossier's
-- case, a document's requirement, a finding's status. Each row is one
-- decision, kept forever (the history is the audit and the labelled set
-- that `hoso eval harvest` exports). The check stage applies, for each
-- (kind, target), the latest row on top of its own conclusions, so a later
-- automatic run or a replay never overwrites a human decision.
--
-- key makes a correction idempotent: it hashes (kind, target, value,
-- reason) with the id of the correction it supersedes. The same decision
-- as the one in force writes nothing (and re-runs nothing); two concurrent
-- identical requests compute the same key, so one row wins; changing a
-- decision back (A → B → A) is a new row.
CREATE TABLE corrections (
    id          bigserial PRIMARY KEY,
    dossier_id  text NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    key         text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('case', 'document_type', 'finding')),
    target      text NOT NULL DEFAULT '', -- '' (case), document id, finding key
    value       text NOT NULL,            -- case, requirement key or "other", finding status
    auto_value  text NOT NULL DEFAULT '', -- what hoso had concluded before
    reason      text NOT NULL DEFAULT '',
    actor       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dossier_id, key)
);
CREATE INDEX corrections_latest ON corrections (dossier_id, kind, target, id DESC);
CREATE INDEX corrections_created ON corrections (created_at);

-- +goose Down
DROP TABLE corrections;
