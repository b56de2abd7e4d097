package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestEvalHarvest exports recorded corrections from the CLI: the decision
// in force for each target, one JSON a line, with no name or ID number.
func TestEvalHarvest(t *testing.T) {
	t.Parallel()
	pool, url := postgrestest.New(t)
	ctx := context.Background()
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return url
		}
		return ""
	}
	hoso := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(ctx, args, getenv, strings.NewReader(""), &out, &errb)
		return out.String() + errb.String(), err
	}
	for _, q := range []string{
		`INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
			VALUES ('HS-H1', '1.001193', '001195012345', 'ubnd-a', now(), 'prechecked', 'done')`,
		`INSERT INTO documents (id, dossier_id, ordinal, filename, content_type, size_bytes, sha256, object_key, pages, extraction_status, page_texts, doc_type, fields)
			VALUES ('HS-H1-d1', 'HS-H1', 1, 'giay-chung-sinh-tran-minh-an.pdf', 'application/pdf', 1, 'x', 'k', 1, 'ok',
				'["GIẤY CHỨNG SINH\nHọ tên con: TRẦN MINH AN\nCCCD mẹ: 001195012345"]', 'other',
				'[{"name":"full_name","value":"Trần Minh An"}]')`,
		`INSERT INTO corrections (dossier_id, key, kind, target, value, auto_value, reason, actor) VALUES
			('HS-H1', 'k1', 'document_type', 'HS-H1-d1', 'other', 'other', '', 'cb'),
			('HS-H1', 'k2', 'document_type', 'HS-H1-d1', 'giay-chung-sinh', 'other', '', 'cb'),
			('HS-H1', 'k3', 'finding', 'req:giay-chung-sinh', 'present', 'missing', 'Bà Trần Thị Hoa xuất trình bản chính', 'cb')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "h.jsonl")
	out, err := hoso("eval", "harvest", "--since", "2020-01-01", "--out", file)
	if err != nil || !strings.Contains(out, "2 ví dụ") {
		t.Fatalf("harvest: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(file)
	for _, leak := range []string{"TRẦN MINH AN", "Trần Minh An", "tran-minh-an", "001195012345", "Trần Thị Hoa", "HS-H1"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("export holds %q:\n%s", leak, b)
		}
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 examples (the decisions in force):\n%s", b)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &doc); err != nil || doc["label"] != "giay-chung-sinh" || doc["kind"] != "document_type" || doc["set"] != "harvest" {
		t.Fatalf("first example: %v %v", err, doc)
	}
	out, err = hoso("eval", "harvest", "--out", "-", "--since", "2999-01-01")
	if err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("nothing since 2999: %v %q", err, out)
	}
}
