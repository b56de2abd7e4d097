package service_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/submission"
)

// #16.6: an idempotency key is unique per agency and credential, and a key
// reused with another request is a conflict, never the first dossier.
func TestIdempotencyKeyIsScopedAndContentAware(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{NoWorkers: true, ReconcileInterval: -1})
	ctx := context.Background()
	pdf, _ := os.ReadFile(filepath.Join(repoRoot(t), "data", "dossiers", "giay-chung-sinh.pdf"))
	form, _ := os.ReadFile(filepath.Join(repoRoot(t), "data", "dossiers", "don-de-nghi-cap-gpxd.pdf"))
	base := submission.Request{ProcedureCode: "1.001193", ApplicantID: "001195012345", Agency: "ubnd-phuong-ba-dinh",
		IdempotencyKey: "k-1", Submitter: "user:a", Metadata: map[string]any{"note": "lần 1"},
		Files: []submission.File{{Name: "giay-chung-sinh.pdf", Data: pdf}}}
	first, err := sys.Submission.Submit(ctx, base)
	if err != nil || !first.Created {
		t.Fatalf("first submission: %+v, %v", first, err)
	}
	t.Run("SameRequestReturnsFirst", func(t *testing.T) {
		again, err := sys.Submission.Submit(ctx, base)
		if err != nil || again.Created || again.DossierID != first.DossierID {
			t.Fatalf("retry = %+v, %v; want dossier %s, not created", again, err, first.DossierID)
		}
	})
	conflicts := map[string]func(*submission.Request){
		"OtherProcedure": func(r *submission.Request) { r.ProcedureCode = "1.013225" },
		"OtherApplicant": func(r *submission.Request) { r.ApplicantID = "079196001234" },
		"OtherMetadata":  func(r *submission.Request) { r.Metadata = map[string]any{"note": "lần 2"} },
		"OtherFileName":  func(r *submission.Request) { r.Files = []submission.File{{Name: "khac.pdf", Data: pdf}} },
		"OtherFiles": func(r *submission.Request) {
			r.Files = []submission.File{{Name: "giay-chung-sinh.pdf", Data: pdf}, {Name: "don.pdf", Data: form}}
		},
	}
	for name, change := range conflicts {
		t.Run(name, func(t *testing.T) {
			req := base
			change(&req)
			res, err := sys.Submission.Submit(ctx, req)
			if dossier.ErrorCode(err) != dossier.CodeConflict {
				t.Fatalf("reused key with another request = %+v, %v; want a conflict", res, err)
			}
			if !strings.Contains(err.Error(), "khóa chống nộp trùng") || !strings.Contains(err.Error(), "(idempotency key already used") {
				t.Errorf("message not bilingual: %v", err)
			}
		})
	}
	t.Run("OtherAgencyIsAnotherDossier", func(t *testing.T) {
		req := base
		req.Agency = "ubnd-phuong-hoan-kiem"
		res, err := sys.Submission.Submit(ctx, req)
		if err != nil || !res.Created || res.DossierID == first.DossierID {
			t.Fatalf("same key from another agency = %+v, %v; want a new dossier", res, err)
		}
	})
	t.Run("OtherCredentialIsAnotherDossier", func(t *testing.T) {
		req := base
		req.Submitter = "token:b"
		res, err := sys.Submission.Submit(ctx, req)
		if err != nil || !res.Created || res.DossierID == first.DossierID {
			t.Fatalf("same key from another credential = %+v, %v; want a new dossier", res, err)
		}
	})
	var docs int
	if err := sys.Pool.QueryRow(ctx, `SELECT count(*) FROM documents WHERE dossier_id = $1`, first.DossierID).Scan(&docs); err != nil || docs != 1 {
		t.Fatalf("first dossier has %d documents (%v), want 1", docs, err)
	}
}

// #15.7: what cannot be processed is refused at the door, with the closest
// procedures; applicants must be a personal ID or a tax code.
func TestUnprocessableSubmissionsAreRefused(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{NoWorkers: true, ReconcileInterval: -1})
	ctx := context.Background()
	pdf, _ := os.ReadFile(filepath.Join(repoRoot(t), "data", "dossiers", "giay-chung-sinh.pdf"))
	files := []submission.File{{Name: "giay-chung-sinh.pdf", Data: pdf}}
	cases := []struct {
		name, code, applicant string
		at                    time.Time
		want                  []string // in the message
	}{
		{"UnknownCode", "9.999999", "001195012345", time.Time{}, []string{"không tồn tại", "(unknown procedure code"}},
		{"CodeOneEditAway", "1.001139", "001195012345", time.Time{}, []string{"gần nhất: 1.001193"}},
		{"NameInsteadOfCode", "khai sinh", "001195012345", time.Time{}, []string{"1.001193 Thủ tục đăng ký khai sinh"}},
		{"NotInForceYet", "1.001193", "001195012345", time.Date(2024, 3, 1, 3, 0, 0, 0, time.UTC), []string{"không có hiệu lực ngày 01/03/2024"}},
		{"ApplicantAbc", "1.001193", "abc", time.Time{}, []string{"mã người nộp \"abc\" không hợp lệ", "(invalid applicant"}},
		{"ApplicantBadProvince", "1.001193", "003195012345", time.Time{}, []string{"số định danh cá nhân"}},
		{"ApplicantBornInFuture", "1.001193", "001299012345", time.Time{}, []string{"(invalid applicant"}},
		{"TaxCodeBadCheckDigit", "1.001612", "0314409059", time.Time{}, []string{"mã số thuế"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc := *sys.Submission
			if !c.at.IsZero() {
				svc.Now = func() time.Time { return c.at }
			}
			_, err := svc.Submit(ctx, submission.Request{ProcedureCode: c.code, ApplicantID: c.applicant, Agency: "ubnd-phuong-ba-dinh", Files: files})
			if dossier.ErrorCode(err) != dossier.CodeInvalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
		})
	}
	var n int
	_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM dossiers`).Scan(&n)
	if n != 0 {
		t.Fatalf("refused submissions stored %d dossiers", n)
	}
	t.Run("TaxCodeAccepted", func(t *testing.T) {
		for _, id := range []string{"0314409058", "0314409058-002"} {
			res, err := sys.Submission.Submit(ctx, submission.Request{ProcedureCode: "1.001612", ApplicantID: id, Agency: "ubnd-phuong-hoan-kiem", Files: files})
			if err != nil || !res.Created {
				t.Fatalf("tax code %s: %+v, %v", id, res, err)
			}
		}
	})
}

// #16.5: metadata that no text column can hold is a 400, not a 500.
func TestMetadataWithNULIsInvalid(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{NoWorkers: true, ReconcileInterval: -1})
	pdf, _ := os.ReadFile(filepath.Join(repoRoot(t), "data", "dossiers", "giay-chung-sinh.pdf"))
	for _, meta := range []map[string]any{
		{"note": "a\x00b"},
		{"a\x00": "b"},
		{"cases": []any{"x", map[string]any{"y": "\x00"}}},
		{"bad": "\xff\xfe"},
	} {
		_, err := sys.Submission.Submit(context.Background(), submission.Request{ProcedureCode: "1.001193", ApplicantID: "001195012345",
			Metadata: meta, Files: []submission.File{{Name: "a.pdf", Data: pdf}}})
		if dossier.ErrorCode(err) != dossier.CodeInvalid {
			t.Errorf("metadata %q: err = %v, want invalid", meta, err)
		}
	}
}

// #16.5: one unreadable document (text, then NUL bytes past the 64 KiB the
// upload check reads) is a failed document; the dossier still gets its
// report, and control characters in readable text are not stored.
func TestUnreadableDocumentFailsAloneAndTextIsCleaned(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{})
	ctx := context.Background()
	ss := samples(t)
	sd := ss["khai-sinh-day-du"]
	req := submission.Request{ProcedureCode: sd.Procedure, ApplicantID: sd.Applicant, Agency: sd.Agency}
	for _, f := range sd.Files {
		b, err := os.ReadFile(filepath.Join(sd.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		req.Files = append(req.Files, submission.File{Name: f, Data: b})
	}
	nul := append(bytes.Repeat([]byte("Ghi chú của người nộp hồ sơ.\n"), 70000/31), make([]byte, 4096)...)
	ctl := []byte("GHI CHÚ\x01 bổ sung\x1b[0m\r\nDòng hai\x7f.\n" + strings.Repeat("Nội dung ghi chú thêm của người nộp.\n", 20))
	req.Files = append(req.Files, submission.File{Name: "ghi-chu-nul.txt", Data: nul}, submission.File{Name: "ghi-chu-ctl.txt", Data: ctl})
	res, err := sys.Submission.Submit(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, res.DossierID)[0]
	if r.Dossier.Status != dossier.StatusPrechecked {
		t.Fatalf("status %s, want prechecked\n%s", r.Dossier.Status, dump(r))
	}
	for _, k := range sd.Expect.Present {
		if got := findingStatus(r, k); got != dossier.FindingPresent {
			t.Errorf("requirement %s = %q, want present", k, got)
		}
	}
	var sawNUL, sawCtl bool
	for _, d := range r.Documents {
		switch d.Filename {
		case "ghi-chu-nul.txt":
			sawNUL = true
			if d.ExtractionStatus != dossier.ExtractFailed || !strings.Contains(d.ExtractionError, "NUL") {
				t.Errorf("NUL text: status %s, error %q; want failed with its reason", d.ExtractionStatus, d.ExtractionError)
			}
		case "ghi-chu-ctl.txt":
			sawCtl = true
			var text string
			if err := sys.Pool.QueryRow(ctx, `SELECT page_texts->>0 FROM documents WHERE id = $1`, d.ID).Scan(&text); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(text, "GHI CHÚ bổ sung[0m\nDòng hai.\nNội dung") || strings.ContainsFunc(text, func(r rune) bool { return r < 0x20 && r != '\n' }) {
				t.Errorf("stored text %q", text)
			}
		}
	}
	if !sawNUL || !sawCtl {
		t.Fatalf("documents missing from report:\n%s", dump(r))
	}
	var dead int
	_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM dead_letters`).Scan(&dead)
	if dead != 0 {
		t.Errorf("%d dead letters", dead)
	}
}
