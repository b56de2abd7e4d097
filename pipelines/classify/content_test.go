package classify_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/submission"
)

// A ten-line text file headed "GIẤY CHỨNG SINH" looks like the birth
// certificate but holds none of its content (no mother, no date of birth,
// no child): the report keeps what it looks like (the type) apart from what
// it holds (content_check), and the requirement is needs_review with the
// reason, never present. The real certificate beside it stays present.
func TestLooksLikeIsNotHolds(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	samples := filepath.Join(systemtest.Root(), "data", "dossiers")
	submit := func(key string, files map[string][]byte) dossier.Report {
		t.Helper()
		req := submission.Request{ProcedureCode: "1.001193", ApplicantID: "001195012345", Agency: "ubnd-phuong-ba-dinh", IdempotencyKey: key}
		for name, data := range files {
			req.Files = append(req.Files, submission.File{Name: name, Data: data})
		}
		res, err := svc.Submission.Submit(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return systemtest.Wait(t, svc, res.DossierID)[0]
	}
	doc := func(r dossier.Report, name string) dossier.Document {
		for _, d := range r.Documents {
			if d.Filename == name {
				return d
			}
		}
		t.Fatalf("no document %s", name)
		return dossier.Document{}
	}

	t.Run("HollowPaper", func(t *testing.T) {
		r := submit("hollow", map[string][]byte{
			"giay-chung-sinh.txt":   read(filepath.Join("testdata", "giay-chung-sinh-rong.txt")),
			"to-khai-khai-sinh.pdf": read(filepath.Join(samples, "to-khai-khai-sinh.pdf")),
		})
		d := doc(r, "giay-chung-sinh.txt")
		if d.Type != "giay-chung-sinh" {
			t.Fatalf("the hollow paper should still look like the birth certificate: type %q", d.Type)
		}
		if d.ContentCheck == nil || d.ContentCheck.Status != dossier.ContentNeedsReview || len(d.ContentCheck.FoundFields) != 0 ||
			len(d.ContentCheck.ExpectedFields) == 0 || !strings.Contains(d.ContentCheck.Reason, "none of the expected fields") || !d.NeedsReview {
			t.Fatalf("content check %+v (needs_review %v, class %v), want needs_review: no fields", d.ContentCheck, d.NeedsReview, d.Classification)
		}
		var f dossier.Finding
		for _, x := range r.Findings {
			if x.Key == "req:giay-chung-sinh" {
				f = x
			}
		}
		if f.Status != dossier.FindingNeedsReview || !strings.Contains(f.Evidence, "giay-chung-sinh.txt") {
			t.Fatalf("giay-chung-sinh = %q (%s), want needs_review with the reason", f.Status, f.Evidence)
		}
	})
	t.Run("RealPaper", func(t *testing.T) {
		r := submit("real", map[string][]byte{
			"giay-chung-sinh.pdf":   read(filepath.Join(samples, "giay-chung-sinh.pdf")),
			"to-khai-khai-sinh.pdf": read(filepath.Join(samples, "to-khai-khai-sinh.pdf")),
		})
		d := doc(r, "giay-chung-sinh.pdf")
		if d.ContentCheck == nil || d.ContentCheck.Status != dossier.ContentOK || len(d.ContentCheck.FoundFields) == 0 {
			t.Fatalf("content check of the real certificate %+v", d.ContentCheck)
		}
		if got := systemtest.FindingStatus(r, "giay-chung-sinh"); got != dossier.FindingPresent {
			t.Fatalf("giay-chung-sinh = %q, want present", got)
		}
	})
}
