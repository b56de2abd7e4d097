// Package llm provides hoso's AI provider layer: which provider serves each
// task (the sovereign local default, or any OpenAI-compatible endpoint:
// OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp), versioned prompts with
// strict JSON-schema output, a PostgreSQL cache and token budget, PII
// redaction, and prompt-injection detection.
//
// Stages never build prompts. They call the task adapters on Client
// (ClassifyDocument, ExtractFields, PolishSuggestion, ReadStructure) and
// read the error by behaviour:
//
//   - nil: the output was validated against the prompt's schema and verified
//     against the input (quoted spans occur, no new facts).
//   - dossier.IsPermanent(err): the model cannot serve this input (invalid
//     output after one repair, budget exhausted, task served locally,
//     endpoint refuses the request). Fall back to the local path or mark the
//     document needs_review, recording Reason(err).
//   - dossier.RetryDelay(err): the endpoint asked for a pause (429, 5xx with
//     or without Retry-After). Return the error so the worker redelivers the
//     message with that delay; nothing sleeps in memory.
//   - any other error (timeout, connection refused, cancelled): transient;
//     the worker redelivers with its backoff. After the last delivery the
//     stage should fall back as for a permanent error.
//
// The model never acts: no tools are offered, every output schema forbids
// extra properties and has no field that could approve or send anything, and
// document text is passed as delimited data.
package llm

import (
	"context"
	"fmt"
	"time"

	"github.com/hoso-vn/hoso/prompts"
)

// Tasks that a provider can serve.
const (
	TaskClassify       = "classify"
	TaskExtractFields  = "extract_fields"
	TaskCatalogParse   = "catalog_parse"
	TaskEmbed          = "embed"
	TaskSuggestWording = "suggest_wording"
)

// Tasks lists every task, in a stable order.
var Tasks = []string{TaskClassify, TaskExtractFields, TaskCatalogParse, TaskEmbed, TaskSuggestWording}

// DefaultPrompts is the prompt each chat task renders unless its pipeline
// definition names another version (embed has none).
var DefaultPrompts = map[string]string{
	TaskClassify:       "classify_v1",
	TaskExtractFields:  "extract_fields_v1",
	TaskCatalogParse:   "catalog_parse_v2",
	TaskSuggestWording: "suggest_wording_v1",
}

// checkPrompt reports whether name is a prompt version of task.
func checkPrompt(task, name string) error {
	if name == "" {
		return nil
	}
	if task == TaskEmbed {
		return fmt.Errorf("llm: task embed takes no prompt (got %q)", name)
	}
	if err := prompts.ForTask(task, name); err != nil {
		return fmt.Errorf("llm: %w", err)
	}
	return nil
}

// Providers.
const (
	ProviderLocal  = "local"
	ProviderOpenAI = "openai" // any OpenAI-compatible endpoint, including Azure
	ProviderAuto   = "auto"   // openai when an endpoint is configured, else local (same as empty)
)

// TaskConfig is one task's entry in the pipeline definition. Empty fields
// (and Provider "auto") inherit from the configuration: Provider is "openai" when an endpoint is
// configured (for embed: when OPENAI_EMBEDDING_MODEL is set too), else
// "local"; Model is OPENAI_MODEL (OPENAI_EMBEDDING_MODEL for embed).
type TaskConfig struct {
	Provider string `yaml:"provider" json:"provider"`
	Model    string `yaml:"model" json:"model"`
	// Prompt is the prompt template (prompts/NAME.tmpl) the task renders;
	// empty is DefaultPrompts[task]. It must be one of the task's own
	// versions (classify_v2 for classify), since each has its schema.
	Prompt string `yaml:"prompt" json:"prompt"`
}

// Chat is a structured completion: send a system and a user message, get
// back one JSON document that satisfies schema. Implementations never offer
// tools to the model. The returned bytes are the model's raw reply content;
// validation is the caller's job (see Client), so a Chat only moves bytes.
//
// Errors: a RetryAfter error for 429/5xx, a Permanent error for requests the
// endpoint will never accept (400/401/403/404), ErrNotSupported from the local
// provider. Chat is safe for concurrent use.
type Chat interface {
	Complete(ctx context.Context, req ChatRequest) (ChatReply, error)
}

// ChatRequest is one structured-completion request.
type ChatRequest struct {
	Model      string
	SchemaName string // the prompt name, e.g. classify_v1
	Schema     []byte // JSON schema of the reply
	Messages   []Message
}

// Message is one turn. Role is system, user or assistant.
type Message struct {
	Role    string
	Content string
}

// ChatReply is the raw reply and what it cost.
type ChatReply struct {
	Content          string
	FinishReason     string
	PromptTokens     int
	CompletionTokens int
	Model            string // the model the endpoint says answered
}

// Embedder turns texts into vectors of a fixed dimension. It is the same
// method set as internal/embedding's local embedder, so stages declare it
// where they use it and accept either.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	Dimension() int
	Name() string
}

// CallMeta says on whose behalf a call is made.
type CallMeta struct {
	DossierID  string
	DocumentID string
	// Names found by field extraction (applicant, parents…); they are
	// redacted, with IDs, phones and emails, before text leaves the machine.
	Names []string
}

// CallInfo describes one adapter call, for the stage to store beside its
// result (documents.classification, findings.details…).
type CallInfo struct {
	Provider         string        `json:"provider"`
	Model            string        `json:"model"`
	Prompt           string        `json:"prompt"`
	PromptHash       string        `json:"prompt_hash"`
	InputHash        string        `json:"input_hash"`
	Tokens           int           `json:"tokens"`
	Latency          time.Duration `json:"latency_ns"`
	Cached           bool          `json:"cached"`
	InjectionFlagged bool          `json:"injection_flagged"`
	// Redacted counts the PII spans replaced before sending.
	Redacted int `json:"redacted,omitempty"`
	// Rejected says why (part of) the model's validated output was not used:
	// fields whose value does not occur in the text, a polished wording that
	// added facts… Empty when everything was used.
	Rejected string `json:"rejected,omitempty"`
}
