package llm

import (
	"fmt"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

// Models gives each pipeline version the client its providers section and
// limits name: who serves each task, with which model and prompt, under
// which timeout and token budget. Clients are built on first use and kept
// per (version, scope), so that activating a version that changes a
// provider, a model, a prompt or a limit takes effect on the next dossier
// without a restart, while a dossier in flight keeps the client of the
// version it started under.
//
// The endpoint settings (OPENAI_BASE_URL, keys, redaction, concurrency) are
// the process's; a version chooses among them, it does not hold secrets.
type Models struct {
	cfg  config.Config
	pool *pgxpool.Pool
	log  *slog.Logger
	base []Option

	mu      sync.Mutex
	clients map[modelsKey]*Client
	// ep is the endpoint every client shares, so that the process keeps one
	// concurrency limit (HOSO_LLM_MAX_CONCURRENT) however many versions run.
	ep *openaiProvider
}

type modelsKey struct{ hash, scope string }

// NewModels returns a Models. base are the process-wide options
// (OptionsFrom); a version's limits are applied after them.
func NewModels(cfg config.Config, pool *pgxpool.Pool, log *slog.Logger, base ...Option) *Models {
	return &Models{cfg: cfg, pool: pool, log: log, base: base, clients: map[modelsKey]*Client{}}
}

// For returns the production client of def.
func (m *Models) For(def *pipelinedef.Definition) (*Client, error) {
	return m.Scoped(def, ScopeProduction)
}

// Scoped returns def's client whose calls and budgets are kept under scope
// (ScopeShadow for shadow runs, ScopeReplay for replays): such a run spends
// its own budget of def's token_budget_per_dossier per dossier, never the
// production one.
func (m *Models) Scoped(def *pipelinedef.Definition, scope string) (*Client, error) {
	if def == nil {
		return nil, fmt.Errorf("llm: no pipeline definition")
	}
	k := modelsKey{def.Hash, scope}
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.clients[k]; ok {
		return c, nil
	}
	opts := append([]Option{}, m.base...)
	if d := def.Limits.LLMTimeout.Duration; d > 0 {
		opts = append(opts, WithTimeout(d))
	}
	if n := def.Limits.TokenBudgetPerDossier; n > 0 {
		opts = append(opts, WithDossierTokenBudget(int64(n)))
	}
	opts = append(opts, WithScope(scope), WithPipelineVersion(def.VersionLabel()))
	if m.ep != nil {
		opts = append(opts, withEndpoint(m.ep))
	}
	log := m.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c, err := New(m.cfg, m.pool, TaskConfigs(def), log.With("pipeline_version", def.VersionLabel(), "scope", scope), opts...)
	if err != nil {
		return nil, fmt.Errorf("pipeline %s: %w", def.VersionLabel(), err)
	}
	m.clients[k] = c
	if m.ep == nil {
		m.ep = c.eps[ProviderOpenAI]
	}
	return c, nil
}

// TaskConfigs is the providers section of def as the client reads it.
func TaskConfigs(def *pipelinedef.Definition) map[string]TaskConfig {
	tasks := map[string]TaskConfig{}
	for task, p := range def.Providers {
		tasks[task] = TaskConfig{Provider: p.Provider, Model: p.Model, Prompt: p.Prompt}
	}
	return tasks
}

// AnyRemote reports whether the client sends any chat task to an endpoint.
func (c *Client) AnyRemote() bool {
	return c.Enabled(TaskClassify) || c.Enabled(TaskExtractFields) || c.Enabled(TaskSuggestWording)
}
