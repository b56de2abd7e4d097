// Package correction lets officials correct a dossier's pre-check: set its
// case, reclassify a document to a requirement of the procedure (or to
// "other"), and override a finding (present, missing, not applicable) with
// a reason. Each correction is recorded once (corrections table, keyed so
// that the same correction twice writes one row), audited, and re-runs the
// check and suggest stages as a new stage run; the check stage applies
// every recorded correction on top of its own rules (pipelines/check), so a
// later automatic run, a reprocess or a replay keeps the human decision.
// Suggestions already decided are never changed: the suggest stage only
// adds new ones; a pending request drafted from a finding the official set
// to present or not applicable is rejected, audited, with their reason.
package correction

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Other is the document type for a paper that is none of the procedure's
// requirements.
const Other = dossier.TypeOther

// procedures reads the catalog (*catalog.Store).
type procedures interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
}

// publisher hands a dossier to a stage (*workers.Publisher).
type publisher interface {
	PublishStage(ctx context.Context, dossierID, stage string) error
}

// Service records corrections.
type Service struct {
	Pool       *pgxpool.Pool
	Procedures procedures
	Publisher  publisher // nil: the reconciler publishes the re-run
	Log        *slog.Logger
}

// Input is one correction as an official sends it. Kind is "case" (Case),
// "document_type" (DocumentID, Type: a requirement key or "other") or
// "finding" (FindingKey, Status: present | missing | not_applicable, and a
// Reason, which is required).
type Input struct {
	Kind       string `json:"kind"`
	Case       string `json:"case,omitempty"`
	DocumentID string `json:"document_id,omitempty"`
	Type       string `json:"type,omitempty"`
	FindingKey string `json:"finding_key,omitempty"`
	Status     string `json:"status,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// Result is what recording a correction did.
type Result struct {
	Correction dossier.Correction `json:"correction"`
	// Created is false when the same correction was recorded before
	// (nothing written, nothing re-run).
	Created bool `json:"created"`
	// Rerun says the dossier went back to the check stage.
	Rerun bool `json:"rerun"`
	// Withdrawn are the pending suggestions drafted from a finding the
	// official set to present or not applicable: rejected, with the
	// official's reason (decided ones are never changed).
	Withdrawn []string `json:"withdrawn,omitempty"`
}

// Roles that may correct a pre-check: the officials who review it.
var roles = []string{review.RoleReviewer, review.RoleApprover}

// Record validates in and records it for dossier id as by, audited; a
// refusal (wrong agency or role) is audited too. When the dossier's
// pre-check was complete, it goes back to the check stage and is published
// there after commit.
func (s *Service) Record(ctx context.Context, id string, by review.Actor, in Input) (Result, error) {
	var res Result
	c, err := s.normalize(in)
	if err != nil {
		return res, err
	}
	c.DossierID = id
	var refused error
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		h, err := lockDossier(ctx, tx, id)
		if err != nil {
			return err
		}
		o, err := review.Authorize(ctx, tx, by, h.Agency, roles...)
		if err != nil {
			if dossier.ErrorCode(err) == dossier.CodeForbidden {
				refused = err
			}
			return err
		}
		c.Actor = o.ID
		if h.Accepted {
			return dossier.Errorf(dossier.CodeConflict, "hồ sơ %s đã được tiếp nhận; không sửa kết quả kiểm tra được nữa (dossier already accepted)", id)
		}
		if err := s.validate(ctx, tx, h, &c); err != nil {
			return err
		}
		stored, created, err := store.InsertCorrection(ctx, tx, c)
		if err != nil {
			return err
		}
		res.Correction, res.Created = stored, created
		if !created {
			return nil // the same correction again: one row, one re-run
		}
		if err := audit.Append(ctx, tx, audit.Entry{Actor: o.ID, Action: "correction." + c.Kind, Entity: "dossier", EntityID: id,
			Before: map[string]string{"target": c.Target, "value": c.AutoValue}, After: stored, Reason: c.Reason}); err != nil {
			return err
		}
		if c.Kind == dossier.CorrectFinding && c.Value != dossier.FindingMissing {
			why := fmt.Sprintf("Cán bộ %s xác định %s: %s (withdrawn: an official set the finding to %s)", o.ID, c.Value, c.Reason, c.Value)
			ids, err := withdrawPending(ctx, tx, id, c.Target, o.ID, why)
			if err != nil {
				return err
			}
			for _, sid := range ids {
				if err := audit.Append(ctx, tx, audit.Entry{Actor: o.ID, Action: "suggestion.reject", Entity: "suggestion", EntityID: sid,
					Before: map[string]string{"status": dossier.SuggestionPending}, After: map[string]any{"status": dossier.SuggestionRejected, "correction": stored.ID},
					Reason: why}); err != nil {
					return err
				}
			}
			res.Withdrawn = ids
		}
		// A dossier still before the check stage picks the correction up
		// when it gets there; one past it goes back.
		if h.Stage == dossier.StageCheck || h.Stage == dossier.StageSuggest || h.Stage == dossier.StageDone {
			if h.Status == dossier.StatusPrechecked || h.Status == dossier.StatusProcessing {
				res.Rerun = true
				return rearm(ctx, tx, id)
			}
		}
		return nil
	})
	if refused != nil {
		// Refusals are audited in their own transaction: the one above
		// rolled back.
		if aerr := audit.Record(context.WithoutCancel(ctx), s.Pool, audit.Entry{Actor: by.ID, Action: "correction.denied",
			Entity: "dossier", EntityID: id, After: in, Reason: refused.Error()}); aerr != nil && s.Log != nil {
			s.Log.Error("audit refused correction", "dossier_id", id, "err", aerr)
		}
	}
	if err != nil {
		return res, err
	}
	if res.Rerun && s.Publisher != nil {
		if err := s.Publisher.PublishStage(ctx, id, dossier.StageCheck); err != nil && s.Log != nil {
			// The dossier waits in check; the reconciler publishes it.
			s.Log.Warn("correction re-run not published yet; the reconciler will", "dossier_id", id, "err", err)
		}
	}
	return res, nil
}

// List returns the corrections of dossier id, for an official who may see
// its agency.
func (s *Service) List(ctx context.Context, id string, by review.Actor) (dossier.Corrections, error) {
	agency, err := agencyOf(ctx, s.Pool, id)
	if err != nil {
		return nil, err
	}
	if !by.CanSeeAgency(agency) {
		return nil, dossier.Errorf(dossier.CodeForbidden, "cán bộ %s không thuộc cơ quan tiếp nhận hồ sơ này (not this agency's dossier)", by.ID)
	}
	cs, err := store.QueryCorrections(ctx, s.Pool, id)
	if cs == nil {
		cs = dossier.Corrections{}
	}
	return cs, err
}

// normalize checks the shape of in and returns it as a correction.
func (s *Service) normalize(in Input) (dossier.Correction, error) {
	clean := func(x string) string { return vntext.NFC(strings.TrimSpace(x)) }
	c := dossier.Correction{Kind: clean(in.Kind), Reason: vntext.Clean(clean(in.Reason))}
	switch c.Kind {
	case dossier.CorrectCase:
		c.Value = clean(in.Case)
		if c.Value == "" {
			return c, dossier.Errorf(dossier.CodeInvalid, "thiếu trường hợp (case is required)")
		}
	case dossier.CorrectDocumentType:
		c.Target, c.Value = clean(in.DocumentID), clean(in.Type)
		if c.Target == "" || c.Value == "" {
			return c, dossier.Errorf(dossier.CodeInvalid, "cần tài liệu và thành phần hồ sơ (document_id and type are required)")
		}
	case dossier.CorrectFinding:
		c.Target, c.Value = clean(in.FindingKey), clean(in.Status)
		if c.Target == "" {
			return c, dossier.Errorf(dossier.CodeInvalid, "thiếu kết quả kiểm tra cần sửa (finding_key is required)")
		}
		if !slices.Contains([]string{dossier.FindingPresent, dossier.FindingMissing, dossier.FindingNotApplicable}, c.Value) {
			return c, dossier.Errorf(dossier.CodeInvalid, "trạng thái %q không hợp lệ; chọn present, missing hoặc not_applicable (status must be present, missing or not_applicable)", c.Value)
		}
		if c.Reason == "" {
			return c, dossier.Errorf(dossier.CodeInvalid, "cần nêu lý do sửa kết quả kiểm tra (a reason is required)")
		}
	default:
		return c, dossier.Errorf(dossier.CodeInvalid, "loại sửa %q không có; chọn case, document_type hoặc finding (kind must be case, document_type or finding)", in.Kind)
	}
	return c, nil
}

// validate checks c against the dossier's procedure and records what hoso
// had concluded (AutoValue).
func (s *Service) validate(ctx context.Context, tx pgx.Tx, h header, c *dossier.Correction) error {
	switch c.Kind {
	case dossier.CorrectCase:
		proc, err := s.procedure(ctx, h)
		if err != nil {
			return err
		}
		cases := Cases(proc)
		v, ok := catalog.MatchCase(cases, c.Value)
		if !ok {
			if len(cases) == 0 {
				return dossier.Errorf(dossier.CodeInvalid, "thủ tục %s không chia trường hợp (the procedure has no cases)", proc.Code)
			}
			return dossier.Errorf(dossier.CodeInvalid, "trường hợp %q không có trong thủ tục %s; các trường hợp: %s (unknown case)", c.Value, proc.Code, strings.Join(cases, "; "))
		}
		c.Value = v
	case dossier.CorrectDocumentType:
		auto, err := documentType(ctx, tx, h.ID, c.Target)
		if err != nil {
			return err
		}
		c.AutoValue = auto
		if c.Value == Other {
			return nil
		}
		proc, err := s.procedure(ctx, h)
		if err != nil {
			return err
		}
		for _, r := range proc.Requirements {
			if r.Key == c.Value || vntext.Fold(r.Name) == vntext.Fold(c.Value) {
				c.Value = r.Key
				return nil
			}
		}
		return dossier.Errorf(dossier.CodeInvalid, "%q không phải thành phần hồ sơ của thủ tục %s; chọn một thành phần hoặc \"other\" (not a requirement of the procedure)", c.Value, proc.Code)
	case dossier.CorrectFinding:
		auto, err := findingStatus(ctx, tx, h.ID, c.Target)
		if err != nil {
			return err
		}
		c.AutoValue = auto
	}
	return nil
}

func (s *Service) procedure(ctx context.Context, h header) (*catalog.Procedure, error) {
	if s.Procedures == nil {
		return nil, fmt.Errorf("correction: no catalog")
	}
	proc, err := s.Procedures.Get(ctx, h.ProcedureCode, h.SubmittedAt)
	if err != nil {
		if dossier.ErrorCode(err) == dossier.CodeNotFound {
			return nil, dossier.Errorf(dossier.CodeInvalid, "thủ tục %s không có trong danh mục (procedure not in the catalog)", h.ProcedureCode)
		}
		return nil, err
	}
	return proc, nil
}

// Cases lists a procedure's cases: the distinct conditions of its
// conditional requirements, in catalog order.
func Cases(proc *catalog.Procedure) []string {
	var out []string
	for _, r := range proc.Requirements {
		if r.Condition != nil && r.Optional && !slices.Contains(out, *r.Condition) {
			out = append(out, *r.Condition)
		}
	}
	return out
}
