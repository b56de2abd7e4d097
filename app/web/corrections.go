package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/correction"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// Corrector records officials' corrections of a pre-check
// (*correction.Service).
type Corrector interface {
	Record(ctx context.Context, id string, by Actor, in correction.Input) (correction.Result, error)
}

// correctView is what the correction forms of the dossier page
// (templates/corrections.html) offer: the procedure's cases and
// requirements, and the findings an official may set.
type correctView struct {
	Cases        []string
	Requirements []reqOption
	Findings     []dossier.Finding
	Case         string // the case an official set, if any
}

type reqOption struct{ Key, Name string }

// correctionView builds the forms' choices; nil when the official may not
// correct (no review role) or corrections are not configured.
func (c *Console) correctionView(ctx context.Context, a Actor, rep dossier.Report) *correctView {
	if c.d.Corrections == nil || !hasRole(a, auth.RoleReviewer, auth.RoleApprover) {
		return nil
	}
	v := &correctView{}
	if cc, ok := dossier.Corrections(rep.Corrections).Case(); ok {
		v.Case = cc.Value
	}
	if c.d.Procedures != nil {
		if proc, err := c.d.Procedures.Get(ctx, rep.Dossier.ProcedureCode, rep.Dossier.SubmittedAt); err == nil && proc != nil {
			v.Cases = correction.Cases(proc)
			for _, r := range proc.Requirements {
				v.Requirements = append(v.Requirements, reqOption{Key: r.Key, Name: r.Name})
			}
		}
	}
	for _, f := range rep.Findings {
		if f.Kind == "completeness" || strings.HasPrefix(f.Key, "document:") {
			v.Findings = append(v.Findings, f)
		}
	}
	return v
}

// handleCorrect records a correction from the dossier page's forms and
// shows the page again (its check re-runs).
func (c *Console) handleCorrect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	id := r.PathValue("id")
	if err := c.authorize(ctx, a, id, "correction"); err != nil {
		c.fail(w, r, err)
		return
	}
	if c.d.Corrections == nil {
		c.renderError(w, r, http.StatusServiceUnavailable, "err.unavailable")
		return
	}
	form := func(k string) string { return formValue(r, k) }
	_, err := c.d.Corrections.Record(ctx, id, a, correction.Input{Kind: form("kind"), Case: form("case"),
		DocumentID: form("document_id"), Type: form("type"), FindingKey: form("finding_key"), Status: form("status"), Reason: form("reason")})
	if err != nil {
		status, msg, ok := opMessage(err)
		if !ok {
			c.fail(w, r, err)
			return
		}
		c.showDossier(w, r, status, msg)
		return
	}
	http.Redirect(w, r, "/console/dossiers/"+id+"#corrections", http.StatusSeeOther)
}

func init() {
	for k, v := range map[string][2]string{
		"correct.title":        {"Sửa kết quả kiểm tra", "Correct the pre-check"},
		"correct.hint":         {"Quyết định của cán bộ được ghi nhật ký, kiểm tra lại hồ sơ và không bị lần chạy tự động sau ghi đè.", "An official's decision is logged, re-runs the check and is never overwritten by a later automatic run."},
		"correct.case":         {"Trường hợp của hồ sơ", "The dossier's case"},
		"correct.case.current": {"Trường hợp do cán bộ xác định", "Case set by an official"},
		"correct.document":     {"Tài liệu", "Document"},
		"correct.type":         {"Là thành phần hồ sơ", "Is the requirement"},
		"correct.other":        {"Không thuộc thành phần nào (khác)", "None of them (other)"},
		"correct.finding":      {"Kết quả kiểm tra", "Finding"},
		"correct.status":       {"Trạng thái đúng", "Correct status"},
		"correct.reason":       {"Lý do (bắt buộc khi sửa kết quả)", "Reason (required for a finding)"},
		"correct.submit":       {"Ghi nhận và kiểm tra lại", "Record and re-check"},
		"correct.history":      {"Các lần sửa", "Corrections"},
		"correct.by":           {"bởi", "by"},
		"source.official":      {"Cán bộ xác định", "Set by an official"},
	} {
		messages[k] = v
	}
}
