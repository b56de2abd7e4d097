// Package replay re-runs recorded dossiers. Engine runs the real stage code
// (extract, classify, check, suggest) for one dossier against a scratch
// store held in memory, so that nothing it concludes reaches the production
// rows, officials or citizens; Replay uses it to reproduce a dossier exactly
// as recorded and to compare it with another pipeline version (complaints
// and appeals), and shadow runs use it for a candidate version. Reprocess
// re-runs a set of dossiers for real, through the workers.
package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"

	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/pipelines"
	"github.com/hoso-vn/hoso/pipelines/stageset"
)

// Source reads the production records (read only).
type Source interface {
	Dossier(ctx context.Context, id string) (dossier.Dossier, error)
	Documents(ctx context.Context, dossierID string) ([]store.Document, error)
}

// The collaborators of the stages (see stageset.Deps).
type (
	Files      = stageset.Files
	Extractor  = stageset.Extractor
	Procedures = stageset.Procedures
	Citations  = stageset.Citations
	Indexes    = stageset.Indexes
	Vault      = stageset.Vault
)

// Models gives the AI clients a pipeline version names, with their calls
// and budgets kept under scope (*llm.Models).
type Models interface {
	Scoped(def *pipelinedef.Definition, scope string) (*llm.Client, error)
}

// scoped is Models bound to one scope, as the stages ask for it.
type scoped struct {
	m     Models
	scope string
}

func (s scoped) For(def *pipelinedef.Definition) (*llm.Client, error) {
	return s.m.Scoped(def, s.scope)
}

// Engine runs the stages of one dossier into memory. Fields other than
// Source, Procedures and Model may be nil: without Files and Extractor the
// run starts from the recorded extraction; without Citations findings carry
// none; without Vault no once-only reuse; without Models only local models.
// With Models, a run calls the models its version names under Scope
// (llm.ScopeReplay when empty): the shared cache answers what was asked
// before, and anything new is charged to the scope's own budget.
type Engine struct {
	Source     Source
	Files      Files
	Extractor  Extractor
	Procedures Procedures
	Citations  Citations
	Indexes    Indexes // nil: Citations for every version
	Vault      Vault
	Model      *classifier.Model
	Models     Models
	Scope      string
	Log        *slog.Logger
}

// Outcome is what a run concluded.
type Outcome struct {
	Version         string               `json:"version"`
	Documents       []store.Document     `json:"-"`
	Classifications []DocClass           `json:"classifications"`
	Findings        []dossier.Finding    `json:"findings"`
	Suggestions     []dossier.Suggestion `json:"suggestions"`
	Stages          []string             `json:"stages"`
	Pins            map[string]string    `json:"pins,omitempty"`
}

// DocClass is one document's classification in an outcome.
type DocClass struct {
	DocumentID string  `json:"document_id"`
	Type       string  `json:"type"`
	Confidence float64 `json:"confidence"`
	Model      string  `json:"model,omitempty"`
}

// Run runs dossier id under def from the first stage (extract when the
// engine can read files, classify otherwise) and returns the outcome.
func (e *Engine) Run(ctx context.Context, id string, def *pipelinedef.Definition) (Outcome, error) {
	d, err := e.Source.Dossier(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	docs, err := e.Source.Documents(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	d.PipelineVersion = def.VersionLabel()
	sc := &scratch{d: d, src: e.Source}
	fromExtract := e.Files != nil && e.Extractor != nil
	for _, doc := range docs {
		x := doc
		x.PageTexts = slices.Clone(doc.PageTexts)
		// Back to the state the stage found the document in, so that flags
		// the production run accumulated (needs_review) do not leak in.
		x.Type, x.Confidence, x.Classification, x.Fields = dossier.TypeUnknown, 0, map[string]any{}, nil
		x.NeedsReview = false
		if fromExtract {
			x.ExtractionStatus, x.ExtractionError, x.PageTexts, x.Pages = "pending", "", nil, 0
		} else if x.ExtractionStatus != dossier.ExtractOK {
			x.NeedsReview = true // what extraction flagged on an unreadable file
		}
		sc.docs = append(sc.docs, x)
	}
	deps := stageset.Deps{Records: sc, Registry: pipelinedef.Static{Def: def}, Procedures: e.Procedures,
		Citations: e.Citations, Indexes: e.Indexes, Vault: e.Vault, Model: e.Model, Log: e.Log}
	if fromExtract {
		deps.Files, deps.Extractor = e.Files, e.Extractor
	}
	if e.Models != nil {
		scope := e.Scope
		if scope == "" {
			scope = llm.ScopeReplay
		}
		deps.Models = scoped{e.Models, scope}
	}
	stages, err := stageset.Build(deps)
	if err != nil {
		return Outcome{}, err
	}
	// A replay starts where the recorded material lets it: extraction when
	// the engine reads files, classification otherwise; intake's pinning
	// is the version given here.
	first := dossier.StageClassify
	if fromExtract {
		first = dossier.StageExtract
	}

	out := Outcome{Version: def.VersionLabel(), Pins: map[string]string{"classifier": e.Model.Name()}}
	in := pipelines.Input{DossierID: id, Delivery: 1, Progress: func() {}}
	for _, st := range def.Stages {
		r, ok := stages[st]
		if !ok || slices.Index(dossier.Stages, st) < slices.Index(dossier.Stages, first) {
			continue
		}
		if _, err := r.Run(ctx, in); err != nil {
			return out, fmt.Errorf("replay %s of %s under %s: %w", st, id, def.VersionLabel(), err)
		}
		out.Stages = append(out.Stages, st)
	}
	out.Documents = sc.docs
	for _, doc := range sc.docs {
		m, _ := doc.Classification["model"].(string)
		out.Classifications = append(out.Classifications, DocClass{DocumentID: doc.ID, Type: doc.Type, Confidence: doc.Confidence, Model: m})
	}
	out.Findings, out.Suggestions = sc.findings, sc.suggestions
	if out.Findings == nil {
		out.Findings = []dossier.Finding{}
	}
	if out.Suggestions == nil {
		out.Suggestions = []dossier.Suggestion{}
	}
	return out, nil
}

// scratch is the in-memory store the stages write to: it applies each
// stage's effects the way store.CompleteStage writes them (through JSON, as
// PostgreSQL round-trips them), and nothing else.
type scratch struct {
	src         Source // read only: the officials' recorded corrections
	d           dossier.Dossier
	docs        []store.Document
	findings    []dossier.Finding
	suggestions []dossier.Suggestion
}

func (s *scratch) Dossier(ctx context.Context, id string) (dossier.Dossier, error) { return s.d, nil }

func (s *scratch) Documents(ctx context.Context, id string) ([]store.Document, error) {
	out := make([]store.Document, len(s.docs))
	copy(out, s.docs)
	return out, nil
}

func (s *scratch) Findings(ctx context.Context, id string) ([]dossier.Finding, error) {
	return slices.Clone(s.findings), nil
}

func (s *scratch) CompleteStage(ctx context.Context, run store.StageRun, next string, eff store.Effects) (bool, error) {
	for _, x := range eff.Extractions {
		if doc := s.doc(x.DocumentID); doc != nil {
			doc.ExtractionStatus, doc.ExtractionError = x.Status, x.Error
			doc.PageTexts, doc.Pages = roundTrip(x.PageTexts, []string{}), len(x.PageTexts)
			doc.NeedsReview = doc.NeedsReview || x.NeedsReview
		}
	}
	for _, c := range eff.Classifications {
		if doc := s.doc(c.DocumentID); doc != nil {
			doc.Type, doc.Confidence = c.Type, c.Confidence
			doc.Classification = roundTrip(c.Details, map[string]any{})
			doc.Fields = roundTrip(c.Fields, []dossier.Field{})
			doc.NeedsReview = doc.NeedsReview || c.NeedsReview
		}
	}
	for _, f := range eff.Findings {
		f = normalizeFinding(f)
		if i := slices.IndexFunc(s.findings, func(g dossier.Finding) bool { return g.Key == f.Key }); i >= 0 {
			s.findings[i] = f
		} else {
			s.findings = append(s.findings, f)
		}
	}
	for _, sg := range eff.Suggestions {
		if slices.ContainsFunc(s.suggestions, func(g dossier.Suggestion) bool { return g.Key == sg.Key }) {
			continue
		}
		sg.ID = store.SuggestionID(s.d.ID, sg.Key)
		if sg.Risk == "" {
			sg.Risk = "normal"
		}
		s.suggestions = append(s.suggestions, sg)
	}
	return true, nil
}

func (s *scratch) doc(id string) *store.Document {
	for i := range s.docs {
		if s.docs[i].ID == id {
			return &s.docs[i]
		}
	}
	return nil
}

// normalizeFinding gives a finding the shape it has after a trip through
// the findings table, so that recorded and replayed findings compare.
func normalizeFinding(f dossier.Finding) dossier.Finding {
	if f.Severity == "" {
		f.Severity = "info"
	}
	f.Citations = roundTrip(f.Citations, []dossier.Citation{})
	f.Details = roundTrip(f.Details, map[string]any(nil))
	if len(f.Details) == 0 {
		f.Details = nil
	}
	return f
}

func roundTrip[T any](v T, empty T) T {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return empty
	}
	var out T
	if json.Unmarshal(b, &out) != nil {
		return empty
	}
	return out
}
