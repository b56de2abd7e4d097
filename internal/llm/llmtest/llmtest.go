// Package llmtest provides an in-process HTTP server that speaks the OpenAI
// wire protocol (/v1/chat/completions, /v1/embeddings, /v1/models) for tests
// and offline evaluations. It replays realistic recorded replies, injects
// faults (429 with Retry-After, 500, hangs until the client gives up,
// truncated bodies and content, schema-violating JSON, tool calls) and
// records every request so tests can assert what left the machine and how
// many calls were made.
package llmtest

import (
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

//go:embed testdata/*.json
var fixtures embed.FS

// Reply is one scripted answer of the fake endpoint.
type Reply struct {
	Status                         int           // HTTP status; 0 means 200
	RetryAfter                     string        // Retry-After header value
	Content                        string        // assistant message content (chat)
	Finish                         string        // finish_reason; "stop" when empty
	ToolCall                       string        // when set, the reply is a tool call to this function instead of content
	Hang                           bool          // block until the client disconnects (timeouts)
	Delay                          time.Duration // wait before answering (concurrency tests)
	Truncate                       bool          // cut the HTTP body in half (broken connection / proxy)
	Body                           string        // raw body, sent verbatim (overrides everything else)
	PromptTokens, CompletionTokens int
}

// Fault replies.
var (
	// RateLimited is a 429 that asks to come back after secs seconds.
	RateLimited = func(secs string) Reply {
		return Reply{Status: 429, RetryAfter: secs, Body: `{"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-hoso on tokens per min (TPM): Limit 200000, Used 199876, Requested 1536. Please try again in 460ms.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}`}
	}
	ServerError = Reply{Status: 500, Body: `{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}`}
	Unavailable = func(secs string) Reply {
		return Reply{Status: 503, RetryAfter: secs, Body: `{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error","param":null,"code":null}}`}
	}
	Unauthorized = Reply{Status: 401, Body: `{"error":{"message":"Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`}
	Hang         = Reply{Hang: true}
)

// Content is a 200 reply with content.
func Content(s string) Reply { return Reply{Content: s} }

// TruncatedContent is a 200 reply whose content was cut by max_tokens.
func TruncatedContent(s string) Reply { return Reply{Content: s[:len(s)/2], Finish: "length"} }

// TruncatedBody is a 200 reply whose HTTP body ends half-way.
func TruncatedBody(s string) Reply { return Reply{Content: s, Truncate: true} }

// Fixture returns the content of a recorded reply in testdata/NAME.json.
func Fixture(name string) Reply {
	b, err := fixtures.ReadFile("testdata/" + name + ".json")
	if err != nil {
		panic(err)
	}
	var resp struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
		Usage struct {
			PromptTokens     int `json:"prompt_tokens"`
			CompletionTokens int `json:"completion_tokens"`
		} `json:"usage"`
	}
	if err := json.Unmarshal(b, &resp); err != nil || len(resp.Choices) == 0 {
		panic(fmt.Sprintf("fixture %s: %v", name, err))
	}
	return Reply{Content: resp.Choices[0].Message.Content, PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens}
}

// Request is one recorded request.
type Request struct {
	Path   string
	Prompt string // json_schema name of a chat request (the prompt name)
	Body   string
	Header http.Header
}

// Responder answers a chat request for which nothing is scripted.
type Responder func(prompt string, req ChatRequest) Reply

// ChatRequest is the part of a chat completion request a Responder sees.
type ChatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name string `json:"name"`
		} `json:"json_schema"`
	} `json:"response_format"`
	Tools []json.RawMessage `json:"tools"`
}

// User returns the last user message.
func (r ChatRequest) User() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// Server is the fake endpoint.
type Server struct {
	*httptest.Server
	mu        sync.Mutex
	scripts   map[string][]Reply // by prompt name; "*" for any
	responder Responder
	requests  []Request
	embedDim  int
	inflight  int
	maxFlight int
}

// MaxInFlight is the most chat requests the server handled at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxFlight
}

// NewServer starts a fake endpoint; Close it when done. Unscripted chat
// requests get the responder's reply (default: Replay).
func NewServer() *Server {
	s := &Server{scripts: map[string][]Reply{}, responder: Replay, embedDim: 64}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("POST /v1/embeddings", s.embeddings)
	mux.HandleFunc("GET /v1/models", s.models)
	// Azure OpenAI: the deployment is in the path, the version in the query.
	mux.HandleFunc("POST /openai/deployments/{deployment}/chat/completions", s.azure(s.chat))
	mux.HandleFunc("POST /openai/deployments/{deployment}/embeddings", s.azure(s.embeddings))
	mux.HandleFunc("GET /openai/models", s.azure(s.models))
	s.Server = httptest.NewServer(mux)
	return s
}

// Close stops the server; hanging handlers are released first.
func (s *Server) Close() {
	s.Server.CloseClientConnections()
	s.Server.Close()
}

// azure checks what Azure OpenAI requires: an api-key header and an
// api-version query parameter.
func (s *Server) azure(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("api-key") == "" || r.URL.Query().Get("api-version") == "" {
			writeError(w, 401, "invalid_request_error", "Access denied due to invalid subscription key or wrong API endpoint.")
			return
		}
		h(w, r)
	}
}

// BaseURL is the OPENAI_BASE_URL of the fake.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Script queues replies for chat requests of prompt ("*" for any prompt);
// they are used in order before the responder.
func (s *Server) Script(prompt string, replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[prompt] = append(s.scripts[prompt], replies...)
}

// SetResponder replaces the default responder.
func (s *Server) SetResponder(r Responder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.responder = r
}

// SetEmbeddingDimension sets the size of fake embeddings (default 64).
func (s *Server) SetEmbeddingDimension(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embedDim = n
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Calls counts requests to path ("/v1/chat/completions"…); "" counts all.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if path == "" || r.Path == path {
			n++
		}
	}
	return n
}

// Received reports whether any request body contained sub.
func (s *Server) Received(sub string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.requests {
		if strings.Contains(r.Body, sub) {
			return true
		}
	}
	return false
}

func (s *Server) record(r *http.Request, prompt string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Path: r.URL.Path, Prompt: prompt, Body: string(body), Header: r.Header.Clone()})
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	var req ChatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, 400, "invalid_request_error", "We could not parse the JSON body of your request.")
		return
	}
	prompt := ""
	if req.ResponseFormat != nil && req.ResponseFormat.JSONSchema != nil {
		prompt = req.ResponseFormat.JSONSchema.Name
	}
	s.record(r, prompt, body)
	s.mu.Lock()
	s.inflight++
	if s.inflight > s.maxFlight {
		s.maxFlight = s.inflight
	}
	defer func() {
		s.mu.Lock()
		s.inflight--
		s.mu.Unlock()
	}()
	var reply Reply
	switch {
	case len(s.scripts[prompt]) > 0:
		reply, s.scripts[prompt] = s.scripts[prompt][0], s.scripts[prompt][1:]
	case len(s.scripts["*"]) > 0:
		reply, s.scripts["*"] = s.scripts["*"][0], s.scripts["*"][1:]
	default:
		reply = s.responder(prompt, req)
	}
	s.mu.Unlock()
	s.write(w, r, req, reply)
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, req ChatRequest, reply Reply) {
	if reply.Hang {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Minute):
		}
		return
	}
	if reply.Delay > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(reply.Delay):
		}
	}
	if reply.RetryAfter != "" {
		w.Header().Set("Retry-After", reply.RetryAfter)
	}
	status := reply.Status
	if status == 0 {
		status = 200
	}
	body := reply.Body
	if body == "" {
		body = completionBody(req, reply)
	}
	if reply.Truncate {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-request-id", fmt.Sprintf("req_%x", sha256.Sum256([]byte(body)))[:20])
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func completionBody(req ChatRequest, reply Reply) string {
	finish := reply.Finish
	if finish == "" {
		finish = "stop"
	}
	pt, ct := reply.PromptTokens, reply.CompletionTokens
	if pt == 0 {
		for _, m := range req.Messages {
			pt += len(m.Content) / 4
		}
	}
	if ct == 0 {
		ct = len(reply.Content)/4 + 1
	}
	msg := map[string]any{"role": "assistant", "content": reply.Content, "refusal": nil}
	if reply.ToolCall != "" {
		finish = "tool_calls"
		msg["content"] = nil
		msg["tool_calls"] = []any{map[string]any{
			"id": "call_7Qm3", "type": "function",
			"function": map[string]any{"name": reply.ToolCall, "arguments": `{"dossier":"current","status":"approved"}`},
		}}
	}
	model := req.Model
	if model == "" {
		model = "gpt-4o-mini"
	}
	b, _ := json.Marshal(map[string]any{
		"id":                 fmt.Sprintf("chatcmpl-%x", sha256.Sum256([]byte(reply.Content)))[:38],
		"object":             "chat.completion",
		"created":            1764300000,
		"model":              model,
		"system_fingerprint": "fp_hoso_fake",
		"choices": []any{map[string]any{
			"index": 0, "message": msg, "logprobs": nil, "finish_reason": finish,
		}},
		"usage": map[string]any{"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct},
	})
	return string(b)
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	s.record(r, "", body)
	var req struct {
		Input any    `json:"input"`
		Model string `json:"model"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, 400, "invalid_request_error", "We could not parse the JSON body of your request.")
		return
	}
	var inputs []string
	switch v := req.Input.(type) {
	case string:
		inputs = []string{v}
	case []any:
		for _, x := range v {
			s, _ := x.(string)
			inputs = append(inputs, s)
		}
	}
	s.mu.Lock()
	dim := s.embedDim
	reply, scripted := Reply{}, false
	if len(s.scripts["embeddings"]) > 0 {
		reply, s.scripts["embeddings"] = s.scripts["embeddings"][0], s.scripts["embeddings"][1:]
		scripted = true
	}
	s.mu.Unlock()
	if scripted && (reply.Status != 0 || reply.Hang || reply.Body != "") {
		s.write(w, r, ChatRequest{}, reply)
		return
	}
	data := make([]any, len(inputs))
	tokens := 0
	for i, in := range inputs {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": FakeVector(in, dim)}
		tokens += len(in)/4 + 1
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]any{"prompt_tokens": tokens, "total_tokens": tokens},
	})
}

// FakeVector is a deterministic unit vector for text: the same text always
// gets the same vector, different texts nearly orthogonal ones.
func FakeVector(text string, dim int) []float32 {
	v := make([]float32, dim)
	var norm float64
	for i := range v {
		h := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", i/8, text)))
		x := float64(int32(binary.LittleEndian.Uint32(h[(i%8)*4:]))) / math.MaxInt32
		v[i] = float32(x)
		norm += x * x
	}
	norm = math.Sqrt(norm)
	for i := range v {
		v[i] = float32(float64(v[i]) / norm)
	}
	return v
}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	s.record(r, "", nil)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"object":"list","data":[` +
		`{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},` +
		`{"id":"text-embedding-3-small","object":"model","created":1705948997,"owned_by":"system"},` +
		`{"id":"qwen2.5-7b-instruct","object":"model","created":1726000000,"owned_by":"vllm"}]}`))
}

func readBody(r *http.Request) ([]byte, error) {
	defer r.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
		if b.Len() > 8<<20 {
			return nil, fmt.Errorf("body too large")
		}
	}
	return []byte(b.String()), nil
}

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}})
	_, _ = w.Write(b)
}
