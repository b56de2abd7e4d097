package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/store"
)

// TestStoredTextIsCleaned (#16.5): NUL, invalid UTF-8 and control
// characters from a document or a submitter never reach PostgreSQL, which
// refuses NUL in text and jsonb ("unsupported Unicode escape sequence"):
// page texts, errors, fields, details, evidence, file names and metadata are
// stored cleaned, and the stage completes.
func TestStoredTextIsCleaned(t *testing.T) {
	t.Parallel()
	pool, _ := postgrestest.New(t)
	ctx := context.Background()
	st := store.New(pool)
	const id = "HS20261206T000000-CLEAN001"
	dirty := "Giấy\x00 chứng\x01 sinh \xff\r\nhết"
	c, err := st.CreateDossier(ctx, store.NewDossier{ID: id, ProcedureCode: "1.001193", ApplicantID: "001195012345",
		SubmittedAt: time.Now(), Metadata: map[string]any{"note\x00": dirty, "n": 12345678901234567},
		Documents: []store.NewDocument{{Filename: "a\x00b.txt", ContentType: "text/plain", Size: 1, SHA256: "x", ObjectKey: "k"}}})
	if err != nil || !c.Created {
		t.Fatalf("create: %+v, %v", c, err)
	}
	doc := store.DocumentID(id, 1)
	_, err = st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: dossier.StageExtract, InputHash: "h", StartedAt: time.Now()}, dossier.StageClassify, store.Effects{
		Extractions:     []store.Extraction{{DocumentID: doc, Status: dossier.ExtractOK, Error: "lỗi\x00", PageTexts: []string{dirty}}},
		Classifications: []store.Classification{{DocumentID: doc, Type: "giay_chung_sinh", Details: map[string]any{"k\x00": []any{dirty}}, Fields: []dossier.Field{{Name: "full_name", Value: dirty}}}},
		Findings:        []dossier.Finding{{Key: "req:x", Kind: "completeness", Requirement: dirty, Status: dossier.FindingPresent, Evidence: dirty, Details: map[string]any{"e": dirty}}},
	})
	if err != nil {
		t.Fatalf("complete stage with dirty text: %v", err)
	}
	const want = "Giấy chứng sinh \ufffd\nhết"
	var page, field, evidence, filename, note, n, extErr string
	err = pool.QueryRow(ctx, `SELECT d.page_texts->>0, d.fields->0->>'value', f.evidence, d.filename, x.metadata->>'note', x.metadata->>'n', d.extraction_error
		FROM documents d JOIN findings f ON f.dossier_id = d.dossier_id JOIN dossiers x ON x.id = d.dossier_id WHERE d.id = $1`, doc).
		Scan(&page, &field, &evidence, &filename, &note, &n, &extErr)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{"page": page, "field": field, "evidence": evidence, "metadata": note} {
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if filename != "ab.txt" || extErr != "lỗi" || n != "12345678901234567" {
		t.Errorf("filename %q, error %q, number %q", filename, extErr, n)
	}
	if strings.ContainsRune(page+field+evidence, 0) {
		t.Error("NUL stored")
	}
}
