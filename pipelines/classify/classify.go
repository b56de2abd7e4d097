// Package classify is the third stage: it decides which required component
// (thành phần hồ sơ) of the procedure each document is, with a calibrated
// confidence and its evidence, and extracts the fields officials check
// (names, dates, personal ID numbers, addresses…). The local trained model
// always runs; a configured OpenAI-compatible model may take over, and any
// failure of it falls back to the local result with the reason recorded.
// Next: check.
package classify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/fields"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/pipelines"
)

type procedures interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
}

// localModel is the trained classical classifier.
type localModel interface {
	Classify(in classifier.Input, reqs []catalog.Requirement, threshold float64) classifier.Result
	Name() string
}

// remotes gives the OpenAI-compatible models that a pipeline version's
// providers section names (*llm.Models): a dossier is classified by the
// models of the version it runs under, so an activated change of provider,
// model or prompt applies to new dossiers without a restart.
type remotes interface {
	For(def *pipelinedef.Definition) (*llm.Client, error)
}

// Stage is the classify stage.
type Stage struct {
	Store      pipelines.Records
	Procedures procedures
	Model      localModel
	Remote     remotes // nil: local only
	Registry   pipelinedef.Registry
	Log        *slog.Logger
	// RemoteRetries is how many deliveries may be spent waiting out a
	// rate-limited endpoint before falling back to the local model.
	RemoteRetries int
}

// Run classifies every document of the dossier.
func (s *Stage) Run(ctx context.Context, in pipelines.Input) (string, error) {
	started := time.Now()
	d, docs, def, err := pipelines.BeginDocuments(ctx, s.Store, s.Registry, in.DossierID)
	if err != nil {
		return "", err
	}
	var reqs []catalog.Requirement
	proc, err := s.Procedures.Get(ctx, d.ProcedureCode, d.SubmittedAt)
	switch {
	case err == nil:
		reqs = proc.Requirements
	case dossier.ErrorCode(err) == dossier.CodeNotFound:
		// Unknown procedure: documents stay unknown; check reports it.
	default:
		return "", err
	}
	var eff store.Effects
	var hashes []string
	for _, doc := range docs {
		hashes = append(hashes, doc.SHA256+doc.ExtractionStatus)
		c, err := s.one(ctx, in, d, def, doc, reqs)
		if err != nil {
			return "", fmt.Errorf("classify %s: %w", doc.ID, err)
		}
		eff.Classifications = append(eff.Classifications, c)
		in.Progress()
	}
	return pipelines.Done(ctx, s.Store, def, dossier.StageClassify, d.ID, in, started, hashes, "", eff)
}

func (s *Stage) one(ctx context.Context, in pipelines.Input, d dossier.Dossier, def *pipelinedef.Definition, doc store.Document, reqs []catalog.Requirement) (store.Classification, error) {
	c, err := s.classify(ctx, in, d, def, doc, reqs)
	if err == nil {
		s.checkContent(&c, reqs, doc.PageTexts)
	}
	return c, err
}

func (s *Stage) classify(ctx context.Context, in pipelines.Input, d dossier.Dossier, def *pipelinedef.Definition, doc store.Document, reqs []catalog.Requirement) (store.Classification, error) {
	c := store.Classification{DocumentID: doc.ID, Type: dossier.TypeUnknown}
	text := strings.Join(doc.PageTexts, "\f")
	if strings.TrimSpace(text) == "" {
		c.NeedsReview = true
		c.Details = map[string]any{"method": "none", "reason": "không có văn bản để phân loại (no text: " + doc.ExtractionStatus + ")"}
		return c, nil
	}
	threshold := def.Thresholds.ClassifyMinConfidence
	res := s.Model.Classify(classifier.Input{Filename: doc.Filename, Text: text}, reqs, threshold)
	c.Type, c.Confidence, c.NeedsReview = res.Requirement, res.Confidence, res.NeedsReview
	c.Details = map[string]any{
		"method": res.Method, "model": res.Model, "doc_type": res.DocType, "evidence": res.Evidence,
		"requirement_name": res.RequirementName,
	}
	if len(res.Alternatives) > 0 {
		c.Details["alternatives"] = res.Alternatives
	}
	c.Fields = fields.Extract(res.DocType, doc.PageTexts)

	if s.Remote == nil || len(reqs) == 0 {
		return c, nil
	}
	rc, err := s.Remote.For(def)
	if err != nil {
		// The version names a provider this process cannot reach (an
		// endpoint that is not configured here): the local result stands,
		// with the reason on the document, rather than stalling the dossier.
		c.Details["llm_fallback"] = fallbackReason(err)
		return c, nil
	}
	meta := llm.CallMeta{DossierID: d.ID, DocumentID: doc.ID, Names: fieldNames(c.Fields)}
	if rc.Enabled(llm.TaskClassify) {
		cands := make([]llm.Candidate, 0, len(reqs)+1)
		for _, r := range reqs {
			cands = append(cands, llm.Candidate{Key: r.Key, Name: r.Name})
		}
		rr, err := rc.ClassifyDocument(ctx, meta, text, cands)
		switch {
		case err == nil:
			c.Details["local"] = map[string]any{"requirement": c.Type, "confidence": c.Confidence}
			c.Type, c.Confidence = rr.Key, rr.Confidence
			c.NeedsReview = rr.Confidence < threshold || rr.Call.InjectionFlagged
			c.Details["method"], c.Details["model"] = "llm", rr.Call.Model
			c.Details["evidence"] = []string{rr.Evidence}
			c.Details["prompt"], c.Details["prompt_hash"], c.Details["input_hash"] = rr.Call.Prompt, rr.Call.PromptHash, rr.Call.InputHash
			if rr.Call.InjectionFlagged {
				c.Details["injection_flagged"] = true
			}
		case s.shouldWait(err, in):
			return c, err // redelivered after Retry-After
		default:
			c.Details["llm_fallback"] = fallbackReason(err)
		}
	}
	if rc.Enabled(llm.TaskExtractFields) {
		fs, call, err := rc.ExtractFields(ctx, meta, res.DocType, text)
		switch {
		case err == nil && len(fs) > 0:
			c.Fields = fs
			c.Details["fields_model"] = call.Model
		case err == nil:
		case s.shouldWait(err, in):
			return c, err
		default:
			c.Details["fields_llm_fallback"] = fallbackReason(err)
		}
	}
	return c, nil
}

// checkContent records whether a document classified as a requirement
// holds what its type must hold (fields.Check): "looks like" is the
// classification, "holds the expected content" this check. A document that
// holds none of its type's fields, or too little text, needs review.
func (s *Stage) checkContent(c *store.Classification, reqs []catalog.Requirement, pages []string) {
	if c.Type == dossier.TypeUnknown || c.Type == dossier.TypeOther || c.Details == nil {
		return
	}
	docType, _ := c.Details["doc_type"].(string)
	if _, known := classifier.TypeInfo(docType); !known || docType == dossier.TypeOther {
		// Matched by its title or form code, not by a type the model
		// knows: hold it to the type the requirement names, if any. A
		// paper the model does know (a witness statement standing in for
		// the birth certificate) keeps its own rules: read with the
		// requirement's, its witness would become the child's mother.
		for _, r := range reqs {
			if r.Key != c.Type {
				continue
			}
			if t := classifier.TypeForRequirement(r); t != "" && fields.Knows(t) {
				docType = t
				if len(c.Fields) == 0 {
					c.Fields = fields.Extract(t, pages)
				}
				c.Details["content_type"] = t
			}
		}
	}
	cc := fields.Check(docType, pages, c.Fields)
	c.Details["content_check"] = cc
	if cc.Status == dossier.ContentNeedsReview {
		c.NeedsReview = true
	}
}

// shouldWait reports whether err asks for a delayed redelivery and the
// dossier may still wait for it; otherwise the local result stands.
func (s *Stage) shouldWait(err error, in pipelines.Input) bool {
	if _, ok := dossier.RetryDelay(err); !ok {
		return false
	}
	limit := s.RemoteRetries
	if limit <= 0 {
		limit = 2 // two waits, then the local model decides on the third delivery
	}
	return in.Delivery <= limit
}

func fallbackReason(err error) string {
	var reason = err.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		reason = "timeout: " + reason
	}
	return "dùng mô hình cục bộ (local fallback): " + reason
}

func fieldNames(fs []dossier.Field) []string {
	var out []string
	for _, f := range fs {
		if f.Name == "full_name" || strings.HasSuffix(f.Name, "_name") {
			out = append(out, f.Value)
		}
	}
	return out
}
