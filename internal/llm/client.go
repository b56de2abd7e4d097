package llm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/prompts"
)

// Client routes each task to its provider and runs the task adapters. It is
// safe for concurrent use; make one per process.
type Client struct {
	routes   map[string]*route
	eps      map[string]*openaiProvider
	store    store
	log      *slog.Logger
	timeout  time.Duration
	budget   int64
	embedder Embedder
}

type route struct {
	task     string
	provider string // local | openai
	model    string
	prompt   string // prompt template name, e.g. classify_v1
	chat     Chat
	ep       *openaiProvider // nil when local
}

// Route describes which provider serves a task, for doctor and logs.
type Route struct {
	Task     string `json:"task"`
	Provider string `json:"provider"`
	Model    string `json:"model,omitempty"`
	Prompt   string `json:"prompt,omitempty"`
	Endpoint string `json:"endpoint,omitempty"` // base URL
	Redact   bool   `json:"redact"`
}

type options struct {
	budget         int64
	timeout        time.Duration
	redact         *bool
	maxConcurrent  int
	responseFormat string
	apiVersion     string
	azure          bool
	embedDim       int
	scope          string
	version        string
	endpoint       *openaiProvider // shared by Models' clients
}

// withEndpoint makes the client use ep (one endpoint, one concurrency limit
// and one rate-limit state per process, whatever the versions).
func withEndpoint(ep *openaiProvider) Option { return func(o *options) { o.endpoint = ep } }

// WithScope records the client's calls and budgets under scope (ScopeShadow,
// ScopeReplay, ScopeEval; default ScopeProduction).
func WithScope(scope string) Option { return func(o *options) { o.scope = scope } }

// WithPipelineVersion records the pipeline version whose providers the
// client serves on every call in the ledger.
func WithPipelineVersion(label string) Option { return func(o *options) { o.version = label } }

// WithAzure selects Azure OpenAI for the configured endpoint (deployment
// names = model names), for base URLs that are not *.openai.azure.com.
func WithAzure() Option { return func(o *options) { o.azure = true } }

// Option tunes New.
type Option func(*options)

// WithDossierTokenBudget sets the tokens a dossier may spend (0: no limit).
func WithDossierTokenBudget(n int64) Option { return func(o *options) { o.budget = n } }

// WithTimeout sets the deadline of every endpoint call (default cfg.LLMTimeout).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithRedaction forces PII redaction on or off for the configured endpoint
// (default: on unless the endpoint is on a loopback address).
func WithRedaction(on bool) Option { return func(o *options) { o.redact = &on } }

// WithMaxConcurrent bounds in-flight calls to the endpoint.
func WithMaxConcurrent(n int) Option { return func(o *options) { o.maxConcurrent = n } }

// WithResponseFormat selects json_schema (default), json_object or none.
func WithResponseFormat(f string) Option { return func(o *options) { o.responseFormat = f } }

// WithAzureAPIVersion sets the api-version for Azure OpenAI.
func WithAzureAPIVersion(v string) Option { return func(o *options) { o.apiVersion = v } }

// WithEmbeddingDimension declares the remote embedding model's dimension,
// for models hoso does not know.
func WithEmbeddingDimension(n int) Option { return func(o *options) { o.embedDim = n } }

// OptionsFrom turns the provider settings of cfg (HOSO_LLM_REDACT,
// HOSO_LLM_MAX_CONCURRENT, HOSO_LLM_DOSSIER_TOKEN_BUDGET,
// HOSO_LLM_RESPONSE_FORMAT, HOSO_LLM_EMBEDDING_DIM, OPENAI_API_VERSION,
// OPENAI_API_TYPE; config.Load has checked them) into options for New. A
// setting at its default adds nothing.
func OptionsFrom(cfg config.Config) []Option {
	var opts []Option
	switch cfg.LLMRedact {
	case "on":
		opts = append(opts, WithRedaction(true))
	case "off":
		opts = append(opts, WithRedaction(false))
	}
	if cfg.LLMMaxConcurrent > 0 {
		opts = append(opts, WithMaxConcurrent(cfg.LLMMaxConcurrent))
	}
	if cfg.IsSet("HOSO_LLM_DOSSIER_TOKEN_BUDGET") {
		opts = append(opts, WithDossierTokenBudget(cfg.LLMDossierTokenBudget))
	}
	if cfg.LLMEmbeddingDim > 0 {
		opts = append(opts, WithEmbeddingDimension(cfg.LLMEmbeddingDim))
	}
	if cfg.IsSet("HOSO_LLM_RESPONSE_FORMAT") {
		opts = append(opts, WithResponseFormat(cfg.LLMResponseFormat))
	}
	if cfg.OpenAIAPIVersion != "" {
		opts = append(opts, WithAzureAPIVersion(cfg.OpenAIAPIVersion))
	}
	if cfg.OpenAIAPIType == "azure" {
		opts = append(opts, WithAzure())
	}
	return opts
}

// New builds the client. tasks is the pipeline definition's per-task
// override (nil: every task follows the configuration). pool may be nil, which
// disables the cache, the ledger and the budget (doctor, dry runs).
func New(cfg config.Config, pool *pgxpool.Pool, tasks map[string]TaskConfig, log *slog.Logger, opts ...Option) (*Client, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o := options{budget: DefaultDossierTokenBudget, timeout: cfg.LLMTimeout, scope: ScopeProduction}
	for _, f := range opts {
		f(&o)
	}
	if o.timeout <= 0 {
		o.timeout = config.DefaultLLMTimeout
	}
	c := &Client{routes: map[string]*route{}, eps: map[string]*openaiProvider{}, store: store{pool: pool, scope: o.scope, version: o.version}, log: log, timeout: o.timeout, budget: o.budget}
	known := map[string]bool{}
	for _, t := range Tasks {
		known[t] = true
	}
	for t := range tasks {
		if !known[t] {
			return nil, fmt.Errorf("llm: pipeline names unknown task %q (tasks: %s)", t, strings.Join(Tasks, ", "))
		}
	}
	ep := o.endpoint
	if ep == nil && cfg.LLMConfigured() {
		base := cfg.OpenAIBaseURL
		if base == "" {
			base = "https://api.openai.com/v1"
		}
		ep = newOpenAIProvider(Endpoint{
			Name: ProviderOpenAI, BaseURL: base, APIKey: cfg.OpenAIAPIKey, Redact: o.redact,
			MaxConcurrent: o.maxConcurrent, ResponseFormat: o.responseFormat, APIVersion: o.apiVersion, Azure: o.azure,
		})
	}
	if ep != nil {
		c.eps[ProviderOpenAI] = ep
	}
	for _, t := range Tasks {
		tc := tasks[t]
		r := &route{task: t, provider: tc.Provider, model: tc.Model, prompt: tc.Prompt}
		if r.prompt == "" {
			r.prompt = DefaultPrompts[t]
		}
		if err := checkPrompt(t, r.prompt); err != nil {
			return nil, err
		}
		if r.provider == "" || r.provider == ProviderAuto {
			r.provider = ProviderLocal
			if ep != nil && (t != TaskEmbed || cfg.OpenAIEmbeddingModel != "") {
				r.provider = ProviderOpenAI
			}
		}
		switch r.provider {
		case ProviderLocal:
			r.model, r.prompt = "", ""
			r.chat = localChat{}
		case ProviderOpenAI:
			if ep == nil {
				return nil, fmt.Errorf("llm: task %s names provider openai, but OPENAI_BASE_URL and OPENAI_API_KEY are unset", t)
			}
			if r.model == "" {
				r.model = cfg.OpenAIModel
				if t == TaskEmbed {
					r.model = cfg.OpenAIEmbeddingModel
				}
			}
			if r.model == "" {
				r.model = DefaultModel
				if t == TaskEmbed {
					r.model = DefaultEmbeddingModel
				}
			}
			r.chat, r.ep = ep, ep
		default:
			return nil, fmt.Errorf("llm: task %s: unknown provider %q (local or openai)", t, r.provider)
		}
		c.routes[t] = r
	}
	if r := c.routes[TaskEmbed]; r.provider == ProviderOpenAI {
		e := &remoteEmbedder{p: r.ep, model: r.model, timeout: c.timeout}
		d := o.embedDim
		if d == 0 {
			d = knownDimensions[r.model]
		}
		e.dim.Store(int64(d))
		c.embedder = e
	}
	return c, nil
}

// Enabled reports whether a remote provider serves task.
func (c *Client) Enabled(task string) bool {
	r, ok := c.routes[task]
	return ok && r.provider != ProviderLocal
}

// Embedder returns the remote embedder, or nil when embeddings are local
// (use internal/embedding then).
func (c *Client) Embedder() Embedder {
	if c.embedder == nil {
		return nil
	}
	return c.embedder
}

// Routes lists which provider serves each task.
func (c *Client) Routes() []Route {
	out := make([]Route, 0, len(Tasks))
	for _, t := range Tasks {
		r := c.routes[t]
		rt := Route{Task: t, Provider: r.provider, Model: r.model, Prompt: r.prompt}
		if r.ep != nil {
			rt.Endpoint = r.ep.ep.BaseURL
			rt.Redact = r.ep.ep.RedactionOn()
		}
		out = append(out, rt)
	}
	return out
}

// EndpointStatus is the answer of one configured endpoint to GET /models.
type EndpointStatus struct {
	Name    string        `json:"name"`
	BaseURL string        `json:"base_url"`
	OK      bool          `json:"ok"`
	Models  int           `json:"models"`
	Latency time.Duration `json:"latency_ns"`
	Error   string        `json:"error,omitempty"`
}

// Ping asks every configured endpoint for its models, each bounded by timeout.
func (c *Client) Ping(ctx context.Context, timeout time.Duration) []EndpointStatus {
	names := make([]string, 0, len(c.eps))
	for n := range c.eps {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []EndpointStatus
	for _, n := range names {
		ep := c.eps[n]
		cctx, cancel := context.WithTimeout(ctx, timeout)
		start := time.Now()
		models, err := ep.Ping(cctx)
		cancel()
		st := EndpointStatus{Name: n, BaseURL: ep.ep.BaseURL, Latency: time.Since(start), Models: len(models), OK: err == nil}
		if err != nil {
			st.Error = classify("ping", err, cctx).Error()
		}
		out = append(out, st)
	}
	return out
}

// localChat is the local provider for chat tasks. hoso's local models for
// classification and field extraction are classical (internal/classifier,
// internal/fields) and take typed input, not prompts, so the local provider
// answers every chat request with a permanent ErrNotSupported: the stage
// checks Enabled first and uses its local path.
type localChat struct{}

func (localChat) Complete(context.Context, ChatRequest) (ChatReply, error) {
	return ChatReply{}, dossier.Permanent(&Error{Kind: KindNotSupported, Err: ErrNotSupported})
}

// call is one structured completion through the cache, budget, timeout and
// strict output handling.
type call struct {
	task     string
	prompt   string
	data     any // prompt data, already redacted and delimited
	meta     CallMeta
	redacted int
	flagged  bool
	// check is a semantic check after schema validation (a classification
	// key outside the candidates…); its error triggers the repair attempt.
	check func(json.RawMessage) error
}

// complete runs cl and returns the validated output. It never returns
// output that failed validation.
func (c *Client) complete(ctx context.Context, cl call) (json.RawMessage, CallInfo, error) {
	r, ok := c.routes[cl.task]
	if !ok {
		return nil, CallInfo{}, fmt.Errorf("llm: unknown task %q", cl.task)
	}
	info := CallInfo{Provider: r.provider, Model: r.model, Prompt: cl.prompt, InjectionFlagged: cl.flagged, Redacted: cl.redacted}
	if r.provider == ProviderLocal {
		return nil, info, dossier.Permanent(&Error{Kind: KindNotSupported, Task: cl.task, Err: ErrNotSupported})
	}
	p, err := prompts.Get(cl.prompt)
	if err != nil {
		return nil, info, dossier.Permanent(err)
	}
	sch, err := compiled(p)
	if err != nil {
		return nil, info, dossier.Permanent(err)
	}
	msgs, err := p.Render(cl.data)
	if err != nil {
		return nil, info, dossier.Permanent(err)
	}
	info.PromptHash = p.Hash
	sum := sha256.Sum256([]byte(msgs.User))
	info.InputHash = hex.EncodeToString(sum[:])
	key := cacheKey{model: r.model, promptHash: p.Hash, inputHash: info.InputHash}
	log := c.log.With("dossier_id", cl.meta.DossierID, "document_id", cl.meta.DocumentID, "prompt", cl.prompt, "model", r.model, "task", cl.task)

	// A redelivered or duplicate input costs no second call.
	hit, err := c.store.lookup(ctx, key)
	if err != nil {
		return nil, info, err
	}
	if hit != nil {
		info.Cached = true
		if hit.status != "ok" {
			err := permanentErr(KindInvalidOutput, cl.task, "cached: "+hit.errMsg, nil)
			c.finish(ctx, log, callRecord{meta: cl.meta, task: cl.task, info: info, outcome: string(KindInvalidOutput), detail: hit.errMsg})
			return nil, info, err
		}
		c.finish(ctx, log, callRecord{meta: cl.meta, task: cl.task, info: info, outcome: "ok", output: hit.output})
		return hit.output, info, nil
	}

	estimate := (len(msgs.System)+len(msgs.User))/3 + 512
	if err := c.store.checkBudget(ctx, cl.task, cl.meta.DossierID, estimate, c.budget); err != nil {
		c.finish(ctx, log, callRecord{meta: cl.meta, task: cl.task, info: info, outcome: Reason(err), detail: err.Error()})
		return nil, info, err
	}

	req := ChatRequest{Model: r.model, SchemaName: cl.prompt, Schema: p.Schema, Messages: []Message{
		{Role: "system", Content: msgs.System},
		{Role: "user", Content: msgs.User},
	}}
	rec := callRecord{meta: cl.meta, task: cl.task}
	start := time.Now()
	var out json.RawMessage
	var lastErr error
	for attempt := 1; attempt <= 2; attempt++ {
		rec.attempts = attempt
		reply, err := c.once(ctx, r, req)
		rec.promptTokens += reply.PromptTokens
		rec.completionTokens += reply.CompletionTokens
		if err != nil {
			info.Latency = time.Since(start)
			info.Tokens = rec.promptTokens + rec.completionTokens
			rec.info = info
			err = classify(cl.task, err, nil)
			rec.outcome, rec.detail = Reason(err), err.Error()
			c.charge(ctx, log, cl.meta.DossierID, info.Tokens)
			c.finish(ctx, log, rec)
			return nil, info, err
		}
		out, lastErr = parseReply(sch, reply.Content, reply.FinishReason)
		if lastErr == nil && cl.check != nil {
			lastErr = cl.check(out)
		}
		if lastErr == nil {
			break
		}
		out = nil
		log.Warn("model output rejected", "attempt", attempt, "error", lastErr)
		if attempt == 1 {
			repair, err := prompts.Get("repair_v1")
			if err != nil {
				return nil, info, dossier.Permanent(err)
			}
			rm, err := repair.Render(map[string]any{"Error": lastErr.Error()})
			if err != nil {
				return nil, info, dossier.Permanent(err)
			}
			req.Messages = append(req.Messages, Message{Role: "assistant", Content: truncate(reply.Content, 4000)}, Message{Role: "user", Content: rm.User})
		}
	}
	info.Latency = time.Since(start)
	info.Tokens = rec.promptTokens + rec.completionTokens
	rec.info = info
	c.charge(ctx, log, cl.meta.DossierID, info.Tokens)
	if lastErr != nil {
		// Store the failure first, so that a redelivery does not pay again.
		if err := c.store.put(ctx, key, cl.prompt, r.provider, "invalid", nil, lastErr.Error(), info.Tokens); err != nil {
			return nil, info, err
		}
		rec.outcome, rec.detail = string(KindInvalidOutput), lastErr.Error()
		c.finish(ctx, log, rec)
		return nil, info, permanentErr(KindInvalidOutput, cl.task, "after one repair attempt", lastErr)
	}
	// Store the validated result before anyone acts on it.
	if err := c.store.put(ctx, key, cl.prompt, r.provider, "ok", out, "", info.Tokens); err != nil {
		return nil, info, err
	}
	rec.outcome, rec.output = "ok", out
	c.finish(ctx, log, rec)
	return out, info, nil
}

// once makes one endpoint call under the per-call timeout.
func (c *Client) once(ctx context.Context, r *route, req ChatRequest) (ChatReply, error) {
	cctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	reply, err := r.chat.Complete(cctx, req)
	if err != nil {
		if cctx.Err() != nil && ctx.Err() == nil {
			return reply, &Error{Kind: KindTimeout, Task: r.task, Msg: "no answer within " + c.timeout.String(), Err: err}
		}
		return reply, err
	}
	return reply, nil
}

func (c *Client) charge(ctx context.Context, log *slog.Logger, dossierID string, tokens int) {
	if tokens == 0 {
		return
	}
	if err := c.store.charge(context.WithoutCancel(ctx), dossierID, tokens, c.budget); err != nil {
		log.Error("charge token budget", "error", err)
	}
}

// finish records the call in the ledger and logs it. A ledger failure is
// logged, not returned: the result is already in the cache.
func (c *Client) finish(ctx context.Context, log *slog.Logger, rec callRecord) {
	if rec.attempts == 0 {
		rec.attempts = 1
		if rec.info.Cached {
			rec.attempts = 0
		}
	}
	if err := c.store.record(context.WithoutCancel(ctx), rec); err != nil {
		log.Error("record ai call", "error", err)
	}
	lvl := slog.LevelInfo
	if rec.outcome != "ok" {
		lvl = slog.LevelWarn
	}
	log.Log(ctx, lvl, "ai call", "outcome", rec.outcome, "tokens", rec.info.Tokens, "latency_ms", rec.info.Latency.Milliseconds(),
		"cached", rec.info.Cached, "attempts", rec.attempts, "injection_flagged", rec.info.InjectionFlagged, "detail", rec.detail)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// IsNotSupported reports whether err says the task is served locally.
func IsNotSupported(err error) bool { return errors.Is(err, ErrNotSupported) }
