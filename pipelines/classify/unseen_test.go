package classify_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/submission"
)

// Papers of procedures the classifier was never trained on: the death
// registration form (1.000656) is recognised by its own requirement list,
// and a paper the procedure does not know (the international driving
// permit application) goes to an official, never a confident "other". The
// declaration is the blank template, so what it holds needs review.
func TestUnseenProcedurePapers(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	forms := filepath.Join(systemtest.Root(), "data", "forms")
	files := []string{"56_TK_DK_khai_tu.txt", "06_cap_GPLX_quoc_te.txt"}
	req := submission.Request{ProcedureCode: "1.000656", ApplicantID: "001195012345", Agency: "ubnd-phuong-ba-dinh", IdempotencyKey: "unseen"}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(forms, f))
		if err != nil {
			t.Fatal(err)
		}
		req.Files = append(req.Files, submission.File{Name: f, Data: b})
	}
	res, err := svc.Submission.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	r := systemtest.Wait(t, svc, res.DossierID)[0]
	for _, d := range r.Documents {
		switch d.Filename {
		case files[0]:
			if d.Type != "to-khai-dang-ky-khai-tu-theo-mau" {
				t.Errorf("%s: type %q (%.2f), want the procedure's own declaration", d.Filename, d.Type, d.Confidence)
			}
			// It looks like the declaration but is the blank template: its
			// own labels hold nothing.
			if d.ContentCheck == nil || d.ContentCheck.Status != dossier.ContentNeedsReview || len(d.ContentCheck.ExpectedFields) < 3 {
				t.Errorf("%s: content check %+v, want needs_review (blank form)", d.Filename, d.ContentCheck)
			}
		case files[1]:
			if d.Type == dossier.TypeOther && !d.NeedsReview {
				t.Errorf("%s: a confident \"other\" at %.2f for a paper the model never learnt: %v", d.Filename, d.Confidence, d.Classification["evidence"])
			}
			if !d.NeedsReview {
				t.Errorf("%s: type %q at %.2f without review", d.Filename, d.Type, d.Confidence)
			}
		}
	}
}
