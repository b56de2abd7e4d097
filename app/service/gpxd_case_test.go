package service_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/submission"
)

// TestBuildingPermitCaseFromTheForm is the acceptance case of issue #15:
// the building-permit form alone, which says "Loại công trình: Nhà ở riêng
// lẻ", is never complete — the land papers are missing, and so are the
// drawings of case (1.7) nhà ở riêng lẻ, which the form itself states, with
// that evidence in the finding.
func TestBuildingPermitCaseFromTheForm(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{})
	ctx := context.Background()
	res, err := sys.SubmitSample(ctx, samples(t)["giay-phep-xay-dung"], "case-")
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, res.DossierID)[0]
	missing := map[string]dossier.Finding{}
	for _, f := range r.Findings {
		if f.Status == dossier.FindingMissing {
			missing[strings.TrimPrefix(f.Key, "req:")] = f
		}
	}
	for k, f := range missing {
		t.Logf("missing %s: %s", k, f.Requirement)
	}
	t.Logf("%d suggestions", len(r.Suggestions))
	if len(missing) == 0 {
		t.Fatalf("no missing finding: the dossier looks complete\n%s", dump(r))
	}
	if _, ok := missing["mot-trong-nhung-giay-to-hop-phap-ve-dat-dai"]; !ok {
		t.Errorf("land papers not reported missing\n%s", dump(r))
	}
	f, ok := missing["ho-so-thiet-ke-xay-dung-doi-voi-nha-o-rieng-le"]
	if !ok {
		t.Fatalf("drawings of nhà ở riêng lẻ not reported missing\n%s", dump(r))
	}
	if !strings.Contains(f.Evidence, "Nhà ở riêng lẻ") {
		t.Errorf("the finding does not carry the form's evidence: %q", f.Evidence)
	}
	if r.Case == nil || r.Case.Key != "case-7" || r.Case.Source != dossier.CaseForm || !strings.Contains(r.Case.Evidence, "Nhà ở riêng lẻ") {
		t.Errorf("report case = %+v, want case-7 from the form", r.Case)
	}
	formRowOfCase7(t, r)
}

// formRowOfCase7: the portal lists (1.7)'s application form as "Đơn đề
// nghị cấp giấy phép sửa chữa, cải tạo công trình theo Mẫu số 1"; the
// submitted form, which the classifier takes for (1.1)'s row "Đơn đề nghị
// cấp giấy phép xây dựng theo Mẫu số 1", is that paper: present, with the
// row it was classified as in the evidence, never missing; (1.1)'s row does
// not apply.
func formRowOfCase7(t *testing.T, r dossier.Report) {
	t.Helper()
	byKey := map[string]dossier.Finding{}
	for _, f := range r.Findings {
		byKey[strings.TrimPrefix(f.Key, "req:")] = f
	}
	form := byKey["don-de-nghi-cap-giay-phep-sua-chua-cai-tao-cong-6"]
	if form.Status != dossier.FindingPresent && form.Status != dossier.FindingNeedsReview {
		t.Errorf("the submitted form is reported %q for the (1.7) form row\n%s", form.Status, dump(r))
	}
	if !strings.Contains(form.Evidence, "don-de-nghi-cap-gpxd.pdf") || !strings.Contains(form.Evidence, "(1.7)") {
		t.Errorf("the (1.7) form row does not name the submitted form and the case: %q", form.Evidence)
	}
	if f := byKey["don-de-nghi-cap-giay-phep-xay-dung-theo-mau-so-1"]; f.Status == dossier.FindingPresent || f.Status == dossier.FindingMissing {
		t.Errorf("the (1.1) form row is %q in a (1.7) dossier, want not applicable", f.Status)
	}
	for _, d := range r.Documents {
		if d.ID == form.DocumentID && d.CountsFor != "don-de-nghi-cap-giay-phep-sua-chua-cai-tao-cong-6" {
			t.Errorf("the form's counts_for = %q (type %q), want the (1.7) form row", d.CountsFor, d.Type)
		}
	}
}

// #15.3: the case the submitter declares is validated against the
// procedure and stored as its key; the report names it and its papers.
func TestDeclaredCaseIsValidatedAndNamed(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{})
	ctx := context.Background()
	sd := samples(t)["giay-phep-xay-dung"]
	req := submission.Request{ProcedureCode: sd.Procedure, ApplicantID: sd.Applicant, Agency: sd.Agency}
	for _, f := range sd.Files {
		b, err := os.ReadFile(filepath.Join(sd.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		req.Files = append(req.Files, submission.File{Name: f, Data: b})
	}
	bad := req
	bad.Metadata = map[string]any{"cases": []any{"1.99"}}
	_, err := sys.Submission.Submit(ctx, bad)
	if dossier.ErrorCode(err) != dossier.CodeInvalid || !strings.Contains(err.Error(), "(1.7)") || !strings.Contains(err.Error(), "(unknown case") {
		t.Fatalf("unknown case: err = %v, want invalid listing the cases by name", err)
	}
	req.Metadata = map[string]any{"cases": []any{"1.7"}}
	res, err := sys.Submission.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, res.DossierID)[0]
	if got, _ := r.Dossier.Metadata["cases"].([]any); len(got) != 1 || got[0] != "case-7" {
		t.Errorf("stored cases = %v, want [case-7]", r.Dossier.Metadata["cases"])
	}
	if r.Case == nil || r.Case.Key != "case-7" || r.Case.Source != dossier.CaseDeclared || !strings.HasPrefix(r.Case.Name, "(1.7)") {
		t.Fatalf("report case = %+v, want case-7 (1.7) declared", r.Case)
	}
	var missing []string
	for _, f := range r.Findings {
		if f.Status == dossier.FindingMissing {
			missing = append(missing, strings.TrimPrefix(f.Key, "req:"))
		}
	}
	if !slices.Contains(missing, "ho-so-thiet-ke-xay-dung-doi-voi-nha-o-rieng-le") {
		t.Errorf("drawings of case 1.7 not missing: %v\n%s", missing, dump(r))
	}
	formRowOfCase7(t, r)
}
