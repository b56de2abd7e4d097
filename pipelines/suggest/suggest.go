// Package suggest is the last stage: it turns the findings that need the
// citizen to act (a missing paper, an unreadable file, an inconsistency) into
// suggestions with status pending_review. No suggestion reaches a citizen
// until an official approves it (internal/review). Next: done — the dossier's
// pre-check report is complete.
package suggest

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/pipelines"
)

type dossiers interface {
	Dossier(ctx context.Context, id string) (dossier.Dossier, error)
	CompleteStage(ctx context.Context, run store.StageRun, next string, eff store.Effects) (bool, error)
}

type findings interface {
	Findings(ctx context.Context, dossierID string) ([]dossier.Finding, error)
}

// polishers give the model that a pipeline version names for the wording
// of drafted messages (*llm.Models). It may improve the wording; it must not
// add facts (the provider layer verifies that).
type polishers interface {
	For(def *pipelinedef.Definition) (*llm.Client, error)
}

// Stage is the suggest stage.
type Stage struct {
	Store    dossiers
	Findings findings
	Polisher polishers // nil: local templates only
	Registry pipelinedef.Registry
	Log      *slog.Logger
}

// Run drafts the dossier's suggestions.
func (s *Stage) Run(ctx context.Context, in pipelines.Input) (string, error) {
	started := time.Now()
	d, def, err := pipelines.Begin(ctx, s.Store, s.Registry, in.DossierID)
	if err != nil {
		return "", err
	}
	fs, err := s.Findings.Findings(ctx, d.ID)
	if err != nil {
		return "", err
	}
	sugg := Draft(fs, def)
	var pc *llm.Client
	if s.Polisher != nil {
		if pc, err = s.Polisher.For(def); err != nil && s.Log != nil {
			s.Log.Warn("suggestion wording kept local", "dossier_id", d.ID, "stage", dossier.StageSuggest, "err", err)
		}
	}
	if pc != nil && pc.Enabled(llm.TaskSuggestWording) {
		for i := range sugg {
			facts := []string{sugg[i].Rationale}
			text, _, err := pc.PolishSuggestion(ctx, llm.CallMeta{DossierID: d.ID}, facts, sugg[i].Text)
			if err == nil && strings.TrimSpace(text) != "" {
				sugg[i].Text = text
			} else if err != nil && s.Log != nil {
				s.Log.Warn("suggestion wording kept local", "dossier_id", d.ID, "stage", dossier.StageSuggest, "err", err)
			}
		}
	}
	var keys []string
	for _, f := range fs {
		keys = append(keys, f.Key+"="+f.Status)
	}
	corr, err := pipelines.Corrections(ctx, s.Store, d.ID)
	if err != nil {
		return "", err
	}
	if h := corr.Hash(); h != "" {
		keys = append(keys, h) // officials' corrections make a new run
	}
	return pipelines.Done(ctx, s.Store, def, dossier.StageSuggest, d.ID, in, started, keys,
		fmt.Sprintf("%d suggestions", len(sugg)), store.Effects{Suggestions: sugg, Status: dossier.StatusPrechecked})
}

// Draft turns findings into suggestions, one per finding that needs the
// citizen to act, keyed by the finding so that a re-run drafts nothing twice.
func Draft(fs []dossier.Finding, def *pipelinedef.Definition) []dossier.Suggestion {
	var out []dossier.Suggestion
	for _, f := range fs {
		var sg dossier.Suggestion
		switch {
		case f.Kind == "completeness" && f.Status == dossier.FindingMissing:
			sg = dossier.Suggestion{
				Key: "missing:" + f.Key, Kind: "request_missing",
				Text: "Đề nghị ông/bà bổ sung: " + f.Requirement + "." + basis(f.Citations, "vi") +
					" Ông/bà có thể nộp bản điện tử qua Cổng Dịch vụ công.",
				TextEN:    "Please provide: " + f.Requirement + "." + basis(f.Citations, "en"),
				Rationale: f.Evidence,
			}
		case f.Kind == "validity" && f.Status == dossier.FindingInvalid && strings.HasPrefix(f.Key, "document:"):
			sg = dossier.Suggestion{
				Key: "reupload:" + f.Key, Kind: "request_reupload",
				Text:      "Tệp " + quote(f.Requirement) + " không đọc được. Đề nghị ông/bà nộp lại bản rõ nét (PDF hoặc ảnh chụp).",
				TextEN:    "The file " + quote(f.Requirement) + " could not be read. Please upload a clear copy (PDF or photo).",
				Rationale: f.Evidence,
			}
		case f.Key == "case_undetermined":
			sg = dossier.Suggestion{
				Key: "case:" + f.Key, Kind: "confirm_case",
				Text:      "Hồ sơ chưa thể hiện rõ thuộc trường hợp nào của thủ tục. Đề nghị ông/bà cho biết trường hợp của mình để được hướng dẫn đúng giấy tờ cần nộp.",
				TextEN:    "The dossier does not show which case of the procedure it is in. Please tell us your case so that we can list the papers it needs.",
				Rationale: f.Evidence,
			}
		case (f.Kind == "consistency" || f.Kind == "validity") && f.Status == dossier.FindingInvalid:
			sg = dossier.Suggestion{
				Key: "fix:" + f.Key, Kind: "fix_inconsistency",
				Text:      "Thông tin trong hồ sơ chưa thống nhất: " + f.Evidence + " Đề nghị ông/bà kiểm tra và điều chỉnh.",
				TextEN:    "The dossier's information is inconsistent: " + f.Evidence + " Please check and correct it.",
				Rationale: f.Evidence,
			}
		default:
			continue
		}
		sg.Status = dossier.SuggestionPending
		sg.Risk = "normal"
		if def != nil && def.IsHighRisk(sg.Kind) {
			sg.Risk = "high"
		}
		out = append(out, sg)
	}
	return out
}

func basis(cs []dossier.Citation, lang string) string {
	if len(cs) == 0 {
		return ""
	}
	c := cs[0]
	if lang == "en" {
		if u := c.Unit(); u != "" {
			return fmt.Sprintf(" Legal basis: %s of %s.", u, c.Document)
		}
		return fmt.Sprintf(" Legal basis: %s.", c.Document)
	}
	return fmt.Sprintf(" Căn cứ: %s.", c.Ref())
}

func quote(s string) string { return "“" + s + "”" }
