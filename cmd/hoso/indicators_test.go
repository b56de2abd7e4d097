package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestIndicatorsExport: `hoso indicators export` prints a month's open data
// as CSV or JSON, with small counts suppressed and no applicant ids, and
// refuses a bad month or format in words.
func TestIndicatorsExport(t *testing.T) {
	t.Parallel()
	pool, url := postgrestest.New(t)
	ctx := context.Background()
	for i := range 7 {
		agency := "ubnd-phuong-ba-dinh"
		if i == 6 {
			agency = "ubnd-phuong-kim-ma"
		}
		if _, err := pool.Exec(ctx, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
			VALUES ($1, '1.001193', $2, $3, '2026-11-10 03:00:00+00', 'prechecked', 'done')`, fmt.Sprintf("HS-%d", i), fmt.Sprintf("00119501234%d", i), agency); err != nil {
			t.Fatal(err)
		}
	}
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
	out, err := hoso("indicators", "export", "--month", "2026-11", "--format", "csv")
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "month,agency,dossiers,") || !strings.HasPrefix(lines[2], "2026-11,ubnd-phuong-ba-dinh,6,") || lines[3] != "2026-11,ubnd-phuong-kim-ma"+strings.Repeat(",", 22) {
		t.Fatalf("csv:\n%s", out)
	}
	out, err = hoso("indicators", "export", "--month", "2026-11", "--format", "json")
	var doc struct {
		Rows []map[string]any `json:"rows"`
	}
	if err != nil || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Rows) != 3 || doc.Rows[2]["dossiers"] != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if strings.Contains(out, "001195012") {
		t.Fatalf("applicant ids in the export:\n%s", out)
	}
	for _, bad := range [][]string{{"--month", "11/2026"}, {"--month", "2026-11", "--format", "xml"}, {}} {
		if out, err := hoso(append([]string{"indicators", "export"}, bad...)...); err == nil {
			t.Errorf("%v accepted:\n%s", bad, out)
		}
	}
}
