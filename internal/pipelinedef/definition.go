// Package pipelinedef is the pipeline definition that operators tune
// (default.yaml here; versions stored by app/pipelinestore) and the
// registry that gives each dossier the version it runs under. It imports
// nothing of hoso's above the domain, so adapters (llm, regulation) may
// read a definition without reaching up into pipelines.
package pipelinedef

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/prompts"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the embedded default definition.
func DefaultYAML() []byte { return slices.Clone(defaultYAML) }

// Definition is a pipeline definition.
type Definition struct {
	Version     string              `yaml:"version" json:"version"`
	Name        string              `yaml:"name" json:"name"`
	Description string              `yaml:"description" json:"description,omitempty"`
	Stages      []string            `yaml:"stages" json:"stages"`
	Thresholds  Thresholds          `yaml:"thresholds" json:"thresholds"`
	Limits      Limits              `yaml:"limits" json:"limits"`
	Providers   map[string]Provider `yaml:"providers" json:"providers"`
	HighRisk    HighRisk            `yaml:"high_risk" json:"high_risk"`
	AuditRate   float64             `yaml:"audit_rate" json:"audit_rate"`

	// Hash is the SHA-256 of the source YAML; set by Parse.
	Hash string `yaml:"-" json:"hash"`
}

// Thresholds are the decision thresholds.
type Thresholds struct {
	ClassifyMinConfidence float64 `yaml:"classify_min_confidence" json:"classify_min_confidence"`
	HighConfidence        float64 `yaml:"high_confidence" json:"high_confidence"`
	CitationMinScore      float64 `yaml:"citation_min_score" json:"citation_min_score"`
}

// Limits bound the work on one dossier.
type Limits struct {
	MaxPages              int      `yaml:"max_pages" json:"max_pages"`
	ExtractTimeout        Duration `yaml:"extract_timeout" json:"extract_timeout"`
	ExtractMemoryMB       int      `yaml:"extract_memory_mb" json:"extract_memory_mb"`
	OCR                   bool     `yaml:"ocr" json:"ocr"`
	OCRMaxPages           int      `yaml:"ocr_max_pages" json:"ocr_max_pages"`
	OCRTimeout            Duration `yaml:"ocr_timeout" json:"ocr_timeout"`
	LLMTimeout            Duration `yaml:"llm_timeout" json:"llm_timeout"`
	TokenBudgetPerDossier int      `yaml:"token_budget_per_dossier" json:"token_budget_per_dossier"`
}

// Provider names who serves an AI task.
type Provider struct {
	Provider string `yaml:"provider" json:"provider"` // local | openai | auto
	Model    string `yaml:"model,omitempty" json:"model,omitempty"`
	// Prompt is the prompt version the task renders (prompts/NAME.tmpl);
	// empty is the task's default. A changed prompt is a new file, never an
	// edit, so a version label pins the exact text.
	Prompt string `yaml:"prompt,omitempty" json:"prompt,omitempty"`
}

// HighRisk marks suggestions that need four-eyes approval.
type HighRisk struct {
	Kinds []string `yaml:"kinds" json:"kinds"`
}

// IsHighRisk reports whether suggestions of kind need two approvers.
func (d *Definition) IsHighRisk(kind string) bool { return slices.Contains(d.HighRisk.Kinds, kind) }

// Duration is a time.Duration written as "60s" in YAML.
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration like 60s", n.Line, n.Value)
	}
	d.Duration = v
	return nil
}

func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.String() + `"`), nil
}

// The local embedders providers.embed may name (provider local, model …).
const (
	// EmbedHashing is the feature-hashing embedder (the default).
	EmbedHashing = "hashing"
	// EmbedPPMISVD is the PPMI-SVD word-vector embedder trained on the
	// imported legal texts (hoso regs reembed --train-ppmi), the latest
	// training stored.
	EmbedPPMISVD = "ppmi-svd"
)

// LocalEmbedModels are the model names a local embed provider accepts;
// empty means EmbedHashing.
var LocalEmbedModels = []string{"", EmbedHashing, EmbedPPMISVD}

// LocalEmbedModel returns the local embedder the definition's embed
// provider names (EmbedHashing when it names none), or "" when embeddings
// come from an endpoint.
func (d *Definition) LocalEmbedModel() string {
	p := d.Providers["embed"]
	switch {
	case p.Provider != "local":
		return ""
	case p.Model == "":
		return EmbedHashing
	}
	return p.Model
}

// Tasks are the AI tasks a definition assigns.
var Tasks = []string{"classify", "extract_fields", "suggest_wording", "catalog_parse", "embed"}

// Parse decodes and validates a definition. Unknown fields are errors.
func Parse(data []byte) (*Definition, error) {
	var d Definition
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("pipeline definition: %w", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	d.Hash = hex.EncodeToString(sum[:])
	return &d, nil
}

// Load reads and validates the definition at path, or the embedded default
// when path is empty.
func Load(path string) (*Definition, error) {
	if path == "" {
		return Parse(defaultYAML)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pipeline definition: %w", err)
	}
	d, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// Validate checks every field and names the bad ones.
func (d *Definition) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("pipeline definition: field %s: %s", field, fmt.Sprintf(format, args...)))
	}
	if strings.TrimSpace(d.Version) == "" {
		bad("version", "is required")
	}
	if strings.TrimSpace(d.Name) == "" {
		bad("name", "is required")
	}
	if len(d.Stages) == 0 {
		bad("stages", "must list at least intake")
	}
	last := -1
	for i, s := range d.Stages {
		k := slices.Index(dossier.Stages, s)
		if k < 0 {
			bad(fmt.Sprintf("stages[%d]", i), "unknown stage %q (known: %s)", s, strings.Join(dossier.Stages, ", "))
			continue
		}
		if k <= last {
			bad(fmt.Sprintf("stages[%d]", i), "stage %q is out of order (order: %s)", s, strings.Join(dossier.Stages, " → "))
		}
		last = k
	}
	prob := func(field string, v float64) {
		if v < 0 || v > 1 {
			bad(field, "must be between 0 and 1, got %g", v)
		}
	}
	prob("thresholds.classify_min_confidence", d.Thresholds.ClassifyMinConfidence)
	prob("thresholds.high_confidence", d.Thresholds.HighConfidence)
	prob("audit_rate", d.AuditRate)
	if d.Thresholds.CitationMinScore < 0 {
		bad("thresholds.citation_min_score", "must not be negative")
	}
	if d.Limits.MaxPages <= 0 {
		bad("limits.max_pages", "must be positive")
	}
	if d.Limits.ExtractTimeout.Duration <= 0 {
		bad("limits.extract_timeout", "must be positive, like 60s")
	}
	if d.Limits.OCR && d.Limits.OCRMaxPages <= 0 {
		bad("limits.ocr_max_pages", "must be positive when limits.ocr is true")
	}
	if d.Limits.TokenBudgetPerDossier < 0 {
		bad("limits.token_budget_per_dossier", "must not be negative")
	}
	for task, p := range d.Providers {
		if !slices.Contains(Tasks, task) {
			bad("providers."+task, "unknown task (known: %s)", strings.Join(Tasks, ", "))
		}
		switch p.Provider {
		case "local", "openai", "auto":
		default:
			bad("providers."+task+".provider", "must be local, openai or auto, got %q", p.Provider)
		}
		if task == "embed" && p.Provider != "local" && p.Provider != "openai" {
			bad("providers.embed.provider", "must be local or openai (re-embedding is explicit: hoso regs reembed)")
		}
		if task == "embed" && p.Provider == "local" && !slices.Contains(LocalEmbedModels, p.Model) {
			bad("providers.embed.model", "a local embedder is %q (default), %q or %q, got %q",
				"", EmbedHashing, EmbedPPMISVD, p.Model)
		}
		if p.Prompt != "" {
			if task == "embed" {
				bad("providers.embed.prompt", "embeddings take no prompt")
			} else if err := prompts.ForTask(task, p.Prompt); err != nil {
				bad("providers."+task+".prompt", "%v", err)
			}
		}
	}
	return errors.Join(errs...)
}

// HasStage reports whether the definition runs stage.
func (d *Definition) HasStage(stage string) bool { return slices.Contains(d.Stages, stage) }

// Label is "name@version" for records and metrics.
func (d *Definition) Label() string { return d.Name + "@" + d.Version }
