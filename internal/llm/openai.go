package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Endpoint is one OpenAI-compatible server.
type Endpoint struct {
	Name    string // "openai" for the one configured from OPENAI_*
	BaseURL string // e.g. https://api.openai.com/v1, http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:11434/v1 (Ollama)
	APIKey  string
	// Azure selects Azure OpenAI (deployment = model name). It is inferred
	// from a *.openai.azure.com base URL.
	Azure      bool
	APIVersion string // Azure only; DefaultAzureAPIVersion when empty
	// Redact replaces PII before text is sent. nil means the default: on,
	// unless the endpoint's host is a loopback address.
	Redact *bool
	// MaxConcurrent bounds in-flight calls to this endpoint (semaphore).
	MaxConcurrent int
	// ResponseFormat is how the output schema is requested: "json_schema"
	// (default; OpenAI, Azure, vLLM, llama.cpp, recent Ollama), "json_object"
	// or "none" for servers that reject response_format. The reply is
	// validated locally in every case.
	ResponseFormat string
}

// Defaults for endpoints.
const (
	DefaultMaxConcurrent   = 4
	DefaultAzureAPIVersion = "2024-10-21"
	DefaultModel           = "gpt-4o-mini"
	DefaultEmbeddingModel  = "text-embedding-3-small"
)

// RedactionOn reports whether text sent to e is redacted.
func (e Endpoint) RedactionOn() bool {
	if e.Redact != nil {
		return *e.Redact
	}
	return !IsLoopback(e.BaseURL)
}

// IsLoopback reports whether rawURL points at this machine.
func IsLoopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// openaiProvider speaks to one endpoint through go-openai.
type openaiProvider struct {
	ep     Endpoint
	client *openai.Client
	sem    chan struct{}
}

func newOpenAIProvider(ep Endpoint) *openaiProvider {
	if ep.MaxConcurrent <= 0 {
		ep.MaxConcurrent = DefaultMaxConcurrent
	}
	if !ep.Azure && strings.Contains(strings.ToLower(ep.BaseURL), ".openai.azure.com") {
		ep.Azure = true
	}
	var cc openai.ClientConfig
	if ep.Azure {
		cc = openai.DefaultAzureConfig(ep.APIKey, ep.BaseURL)
		if ep.APIVersion != "" {
			cc.APIVersion = ep.APIVersion
		} else {
			cc.APIVersion = DefaultAzureAPIVersion
		}
	} else {
		cc = openai.DefaultConfig(ep.APIKey)
		if ep.BaseURL != "" {
			cc.BaseURL = strings.TrimRight(ep.BaseURL, "/")
		}
	}
	// go-openai does not retry by itself; statusDoer makes sure failures
	// keep their Retry-After header and are never retried in memory.
	cc.HTTPClient = &statusDoer{c: &http.Client{Transport: http.DefaultTransport}}
	return &openaiProvider{ep: ep, client: openai.NewClientWithConfig(cc), sem: make(chan struct{}, ep.MaxConcurrent)}
}

// statusDoer turns a failure status into a *statusError before go-openai
// reads the body, keeping the Retry-After header that go-openai drops.
type statusDoer struct{ c *http.Client }

func (d *statusDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 400 {
		return resp, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	se := &statusError{status: resp.StatusCode, body: errorMessage(body)}
	se.retryAfter, se.hasRetry = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return nil, se
}

// errorMessage extracts the OpenAI error message from a failure body, so
// that logs say "Rate limit reached" rather than a JSON blob.
func errorMessage(body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func (p *openaiProvider) acquire(ctx context.Context) (func(), error) {
	select {
	case p.sem <- struct{}{}:
		return func() { <-p.sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Complete implements Chat.
func (p *openaiProvider) Complete(ctx context.Context, req ChatRequest) (ChatReply, error) {
	release, err := p.acquire(ctx)
	if err != nil {
		return ChatReply{}, err
	}
	defer release()
	msgs := make([]openai.ChatCompletionMessage, len(req.Messages))
	for i, m := range req.Messages {
		msgs[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	creq := openai.ChatCompletionRequest{
		Model:       req.Model,
		Messages:    msgs,
		Temperature: 0, // omitted on the wire; servers default to their own, which is fine for validated output
		N:           1,
	}
	switch p.ep.ResponseFormat {
	case "none":
	case "json_object":
		creq.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	default:
		creq.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name:   req.SchemaName,
				Schema: json.RawMessage(req.Schema),
				// Not strict: OpenAI's strict mode rejects pattern/maxLength on
				// some models, and vLLM/llama.cpp differ. hoso validates locally.
				Strict: false,
			},
		}
	}
	resp, err := p.client.CreateChatCompletion(ctx, creq)
	if err != nil {
		return ChatReply{}, err
	}
	if len(resp.Choices) == 0 {
		return ChatReply{}, fmt.Errorf("endpoint returned no choices")
	}
	ch := resp.Choices[0]
	content := ch.Message.Content
	if len(ch.Message.ToolCalls) > 0 || ch.Message.FunctionCall != nil {
		// No tools were offered; a tool call is a compromised or confused
		// model. It is treated as invalid output, never executed.
		content = `{"__tool_call__": true}`
	}
	return ChatReply{
		Content:          content,
		FinishReason:     string(ch.FinishReason),
		PromptTokens:     resp.Usage.PromptTokens,
		CompletionTokens: resp.Usage.CompletionTokens,
		Model:            resp.Model,
	}, nil
}

// Ping lists the endpoint's models (GET /models).
func (p *openaiProvider) Ping(ctx context.Context) ([]string, error) {
	l, err := p.client.ListModels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(l.Models))
	for _, m := range l.Models {
		out = append(out, m.ID)
	}
	return out, nil
}

// remoteEmbedder embeds through the endpoint's /embeddings.
type remoteEmbedder struct {
	p       *openaiProvider
	model   string
	timeout time.Duration
	dim     atomic.Int64
}

// knownDimensions are the output sizes of common embedding models, so that
// Dimension is right before the first call.
var knownDimensions = map[string]int{
	"text-embedding-3-small": 1536,
	"text-embedding-3-large": 3072,
	"text-embedding-ada-002": 1536,
	"nomic-embed-text":       768,
	"bge-m3":                 1024,
}

// Embed implements Embedder. Vectors are returned as the endpoint sends
// them (OpenAI's are unit length). Texts are not redacted: embeddings are
// used for regulation and catalog text, not citizens' documents; configure
// embed as local when citizen text must not leave the machine.
func (e *remoteEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	release, err := e.p.acquire(ctx)
	if err != nil {
		return nil, classify(TaskEmbed, err, ctx)
	}
	defer release()
	resp, err := e.p.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
		Input:          texts,
		Model:          openai.EmbeddingModel(e.model),
		EncodingFormat: openai.EmbeddingEncodingFormatFloat,
	})
	if err != nil {
		return nil, classify(TaskEmbed, err, ctx)
	}
	if len(resp.Data) != len(texts) {
		return nil, &Error{Kind: KindUnavailable, Task: TaskEmbed, Msg: fmt.Sprintf("%d vectors for %d texts", len(resp.Data), len(texts))}
	}
	out := make([][]float32, len(texts))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(out) {
			return nil, &Error{Kind: KindUnavailable, Task: TaskEmbed, Msg: fmt.Sprintf("vector index %d out of range", d.Index)}
		}
		out[d.Index] = d.Embedding
	}
	e.dim.CompareAndSwap(0, int64(len(out[0])))
	want := int(e.dim.Load())
	for i, v := range out {
		if len(v) != want {
			return nil, &Error{Kind: KindUnavailable, Task: TaskEmbed, Msg: fmt.Sprintf("vector %d has %d dimensions, want %d", i, len(v), want)}
		}
	}
	return out, nil
}

// Dimension implements Embedder. It is known after the first call, or
// when set by WithEmbeddingDimension; 0 before.
func (e *remoteEmbedder) Dimension() int { return int(e.dim.Load()) }

// Name implements Embedder.
func (e *remoteEmbedder) Name() string { return "openai:" + e.model }
