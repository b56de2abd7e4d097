package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultDossierTokenBudget is the tokens one dossier may spend on remote
// models across all its documents and tasks. A 10-page dossier needs about
// 3 calls a document at ~3k tokens each; this leaves room for 20 documents.
const DefaultDossierTokenBudget = 200_000

// store is the PostgreSQL side: cache, ledger, budget. A nil pool disables
// all three (useful for doctor and for tools without a database).
//
// The cache is shared by every client: the same model, prompt and input give
// the same answer whoever asks. The ledger and the budget are kept per scope
// (production, shadow, replay, eval), so that a shadow run or a replay
// neither spends a dossier's production budget nor shows up among the calls
// its decision was made with; version is the pipeline version whose
// providers this client serves.
type store struct {
	pool    *pgxpool.Pool
	scope   string
	version string
}

// budgetScope keys the budget: production is one budget per dossier
// whatever the version; a shadow candidate or a replayed version gets its
// own per dossier, with that version's token_budget_per_dossier.
func (s store) budgetScope() string {
	if s.scope == "" || s.scope == ScopeProduction || s.version == "" {
		return s.scope
	}
	return s.scope + ":" + s.version
}

// Scopes of AI calls.
const (
	ScopeProduction = "production"
	ScopeShadow     = "shadow"
	ScopeReplay     = "replay"
	ScopeEval       = "eval"
)

type cacheKey struct{ model, promptHash, inputHash string }

type cacheEntry struct {
	status string // ok | invalid
	output json.RawMessage
	errMsg string
}

func (s store) lookup(ctx context.Context, k cacheKey) (*cacheEntry, error) {
	if s.pool == nil {
		return nil, nil
	}
	var e cacheEntry
	var out []byte
	err := s.pool.QueryRow(ctx, `
		UPDATE ai_cache SET hits = hits + 1, last_hit_at = now()
		WHERE model = $1 AND prompt_hash = $2 AND input_hash = $3
		RETURNING status, output, error`, k.model, k.promptHash, k.inputHash).Scan(&e.status, &out, &e.errMsg)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ai cache lookup: %w", err)
	}
	e.output = out
	return &e, nil
}

func (s store) put(ctx context.Context, k cacheKey, prompt, provider, status string, output json.RawMessage, errMsg string, tokens int) error {
	if s.pool == nil {
		return nil
	}
	var out any
	if output != nil {
		out = []byte(output)
	}
	// A concurrent duplicate may have stored first; its output is as valid.
	_, err := s.pool.Exec(ctx, `
		INSERT INTO ai_cache (model, prompt_hash, input_hash, prompt, provider, status, output, error, tokens)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (model, prompt_hash, input_hash) DO NOTHING`,
		k.model, k.promptHash, k.inputHash, prompt, provider, status, out, errMsg, tokens)
	if err != nil {
		return fmt.Errorf("ai cache store: %w", err)
	}
	return nil
}

// callRecord is one ai_calls row.
type callRecord struct {
	meta             CallMeta
	task             string
	info             CallInfo
	promptTokens     int
	completionTokens int
	attempts         int
	outcome          string
	detail           string
	output           json.RawMessage
}

func (s store) record(ctx context.Context, r callRecord) error {
	if s.pool == nil {
		return nil
	}
	var out any
	if r.output != nil {
		out = []byte(r.output)
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO ai_calls (dossier_id, document_id, task, provider, model, prompt, prompt_hash, input_hash,
			prompt_tokens, completion_tokens, tokens, latency_ms, attempts, cached, redacted, injection_flagged,
			outcome, detail, output, scope, pipeline_version)
		VALUES (NULLIF($1, ''), NULLIF($2, ''), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
		r.meta.DossierID, r.meta.DocumentID, r.task, r.info.Provider, r.info.Model, r.info.Prompt, r.info.PromptHash, r.info.InputHash,
		r.promptTokens, r.completionTokens, r.info.Tokens, r.info.Latency.Milliseconds(), r.attempts, r.info.Cached, r.info.Redacted,
		r.info.InjectionFlagged, r.outcome, r.detail, out, s.scope, s.version)
	if err != nil {
		return fmt.Errorf("record ai call: %w", err)
	}
	return nil
}

// checkBudget returns a permanent budget error when the dossier has spent
// its tokens, or would with this call's estimate. The budget is soft by at
// most the calls in flight for the same dossier (bounded by the endpoint's
// concurrency limit): they are checked before any of them is charged.
func (s store) checkBudget(ctx context.Context, task, dossierID string, estimate int, limit int64) error {
	if s.pool == nil || dossierID == "" || limit <= 0 {
		return nil
	}
	var used, lim int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO ai_budgets (dossier_id, scope, limit_tokens) VALUES ($1, $2, $3)
		ON CONFLICT (dossier_id, scope) DO UPDATE SET dossier_id = EXCLUDED.dossier_id
		RETURNING used_tokens, limit_tokens`, dossierID, s.budgetScope(), limit).Scan(&used, &lim)
	if err != nil {
		return fmt.Errorf("ai budget: %w", err)
	}
	if used+int64(estimate) > lim {
		return permanentErr(KindBudgetExceeded, task,
			fmt.Sprintf("dossier %s has used %d of %d tokens; this call needs about %d", dossierID, used, lim, estimate), nil)
	}
	return nil
}

func (s store) charge(ctx context.Context, dossierID string, tokens int, limit int64) error {
	if s.pool == nil || dossierID == "" {
		return nil
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO ai_budgets (dossier_id, scope, used_tokens, limit_tokens, calls) VALUES ($1, $2, $3, $4, 1)
		ON CONFLICT (dossier_id, scope) DO UPDATE SET used_tokens = ai_budgets.used_tokens + EXCLUDED.used_tokens,
			calls = ai_budgets.calls + 1, updated_at = now()`, dossierID, s.budgetScope(), tokens, limit)
	if err != nil {
		return fmt.Errorf("ai budget charge: %w", err)
	}
	return nil
}

// Usage is what one dossier has spent on remote models.
type Usage struct {
	UsedTokens  int64 `json:"used_tokens"`
	LimitTokens int64 `json:"limit_tokens"`
	Calls       int   `json:"calls"`
}

// DossierUsage returns the tokens spent for dossierID in the client's scope
// (zero when none).
func (c *Client) DossierUsage(ctx context.Context, dossierID string) (Usage, error) {
	var u Usage
	if c.store.pool == nil {
		return u, nil
	}
	err := c.store.pool.QueryRow(ctx, `SELECT used_tokens, limit_tokens, calls FROM ai_budgets WHERE dossier_id = $1 AND scope = $2`, dossierID, c.store.budgetScope()).
		Scan(&u.UsedTokens, &u.LimitTokens, &u.Calls)
	if errors.Is(err, pgx.ErrNoRows) {
		return Usage{LimitTokens: c.budget}, nil
	}
	return u, err
}
