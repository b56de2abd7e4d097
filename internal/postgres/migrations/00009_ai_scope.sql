-- +goose Up
-- Operators change providers, models and prompts per pipeline version, and
-- try them in shadow runs and replays on the same dossiers as production.
-- Those runs must not spend the dossier's production token budget, nor be
-- mistaken for the production run's calls when a replay reads what the
-- dossier was decided with. So every AI call now records the pipeline
-- version whose providers served it and the scope it ran in, and budgets
-- are kept per (dossier, scope).
ALTER TABLE ai_calls ADD COLUMN scope text NOT NULL DEFAULT 'production'; -- production | shadow | replay | eval
ALTER TABLE ai_calls ADD COLUMN pipeline_version text NOT NULL DEFAULT '';
CREATE INDEX ai_calls_dossier_scope ON ai_calls (dossier_id, scope) WHERE dossier_id IS NOT NULL;

-- production, or shadow:<label> / replay:<label>: a candidate's own budget.
ALTER TABLE ai_budgets ADD COLUMN scope text NOT NULL DEFAULT 'production';
ALTER TABLE ai_budgets DROP CONSTRAINT ai_budgets_pkey;
ALTER TABLE ai_budgets ADD PRIMARY KEY (dossier_id, scope);

-- +goose Down
DELETE FROM ai_budgets WHERE scope <> 'production';
ALTER TABLE ai_budgets DROP CONSTRAINT ai_budgets_pkey;
ALTER TABLE ai_budgets DROP COLUMN scope;
ALTER TABLE ai_budgets ADD PRIMARY KEY (dossier_id);
DROP INDEX ai_calls_dossier_scope;
ALTER TABLE ai_calls DROP COLUMN pipeline_version;
ALTER TABLE ai_calls DROP COLUMN scope;
