package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/telemetry"
)

// TestCLITimesAreVietnamTime: hoso status and hoso dossiers printed UTC
// without saying so (23:04 there, 06:04 in the console); they print
// Vietnam time and say so, with the agency's name, while --json keeps
// RFC 3339 with its offset.
func TestCLITimesAreVietnamTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, dbURL := postgrestest.New(t)
	if _, err := pool.Exec(ctx, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
		VALUES ('hs-vn-time', '1.001193', '001195012345', 'ubnd-phuong-ba-dinh', '2026-11-27 23:04:00+00', 'prechecked', 'done')`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO findings (dossier_id, key, kind, requirement, status, evidence, citations) VALUES
		('hs-vn-time', 'a', 'completeness', 'Tờ khai', 'present', '', '[]'),
		('hs-vn-time', 'b', 'completeness', 'Giấy chứng nhận kết hôn', 'not_applicable', '', '[]'),
		('hs-vn-time', 'c', 'completeness', 'Giấy chứng sinh', 'missing', '', '[]'),
		('hs-vn-time', 'd', 'completeness', 'Văn bản ủy quyền', 'not_applicable', '', '[]')`); err != nil {
		t.Fatal(err)
	}
	hoso := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(ctx, args, func(k string) string { return map[string]string{"DATABASE_URL": dbURL}[k] }, strings.NewReader(""), &out, &errb); err != nil {
			t.Fatalf("hoso %v: %v\n%s%s", args, err, out.String(), errb.String())
		}
		return out.String()
	}
	out := hoso("status", "hs-vn-time")
	for _, want := range []string{"06:04 28/11/2026 (giờ Việt Nam)", "UBND phường Ba Đình (ubnd-phuong-ba-dinh)"} {
		if !strings.Contains(out, want) {
			t.Errorf("hoso status lacks %q:\n%s", want, out)
		}
	}
	// The counter's order, not-applicable requirements on one line.
	if i, j := strings.Index(out, "Giấy chứng sinh"), strings.Index(out, "Tờ khai"); i < 0 || j < i ||
		!strings.Contains(out, "2 yêu cầu (2 requirements do not apply)") || strings.Contains(out, "Văn bản ủy quyền") {
		t.Errorf("hoso status findings:\n%s", out)
	}
	if strings.Contains(out, "23:04") {
		t.Errorf("hoso status prints UTC:\n%s", out)
	}
	out = hoso("dossiers")
	for _, want := range []string{"(giờ Việt Nam)", "06:04 28/11/2026", "UBND phường Ba Đình"} {
		if !strings.Contains(out, want) {
			t.Errorf("hoso dossiers lacks %q:\n%s", want, out)
		}
	}
	var rep struct {
		Dossier struct {
			SubmittedAt string `json:"submitted_at"`
		} `json:"dossier"`
	}
	if err := json.Unmarshal([]byte(hoso("status", "hs-vn-time", "--json")), &rep); err != nil || rep.Dossier.SubmittedAt != "2026-11-27T23:04:00Z" {
		t.Errorf("--json submitted_at = %q (%v), want RFC 3339 with its offset", rep.Dossier.SubmittedAt, err)
	}
}

// syncBuffer is a bytes.Buffer safe to read while hoso top writes it; it
// calls onWrite after each write.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	onWrite func(string)
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	n, err := s.b.Write(p)
	all := s.b.String()
	s.mu.Unlock()
	if s.onWrite != nil {
		s.onWrite(all)
	}
	return n, err
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestTopPlainWhenPiped: hoso top wrote screen-control codes into a pipe
// and had English-only headers. Piped, it appends plain frames, each with
// Vietnamese and English headers and the time in Vietnam time.
func TestTopPlainWhenPiped(t *testing.T) {
	t.Parallel()
	_, dbURL := postgrestest.New(t)
	natsURL := brokertest.Server(t).ClientURL()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{onWrite: func(all string) {
		if strings.Count(all, "hoso top —") >= 2 && strings.Count(all, "THƯ CHẾT") >= 2 {
			cancel()
		}
	}}
	vars := map[string]string{"DATABASE_URL": dbURL, "NATS_URL": natsURL, "HOSO_STREAM_PREFIX": "TOPPIPE", "HOSO_DATA_DIR": t.TempDir(), "HOSO_LOG_LEVEL": "error"}
	var errb bytes.Buffer
	if err := run(ctx, []string{"top", "--interval", "10ms"}, func(k string) string { return vars[k] }, strings.NewReader(""), out, &errb); err != nil && ctx.Err() == nil {
		t.Fatalf("hoso top: %v\n%s", err, errb.String())
	}
	text := out.String()
	if strings.Contains(text, "\x1b") {
		t.Errorf("hoso top wrote screen-control codes into a pipe: %q", text)
	}
	for _, want := range []string{"BƯỚC", "stage", "THƯ CHẾT", "DLQ", "(giờ Việt Nam)", "extract"} {
		if !strings.Contains(text, want) {
			t.Errorf("hoso top lacks %q:\n%s", want, text)
		}
	}
}

// TestRenderTopBilingual checks the frame itself, without a system.
func TestRenderTopBilingual(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	renderTop(&b, mustTime(t, "2026-11-27T23:04:05Z"), "default@1", "", []telemetry.StageStat{{Stage: "extract", Pending: 2}})
	if !strings.Contains(b.String(), "06:04 28/11/2026 (giờ Việt Nam)") || !strings.Contains(b.String(), "ĐANG XỬ LÝ") || !strings.Contains(b.String(), "in flight") {
		t.Errorf("frame:\n%s", b.String())
	}
	if isTerminal(&b) {
		t.Error("a buffer is not a terminal")
	}
}

// TestDefaultAgencyMustExist: HOSO_DEFAULT_AGENCY=ubnd-phuong-demo filed CLI
// submissions where no official could see them; the service now refuses to
// start with an agency the agencies table lacks, naming the setting.
func TestDefaultAgencyMustExist(t *testing.T) {
	t.Parallel()
	_, dbURL := postgrestest.New(t)
	natsURL := brokertest.Server(t).ClientURL()
	vars := map[string]string{"DATABASE_URL": dbURL, "NATS_URL": natsURL, "HOSO_STREAM_PREFIX": "DEFAGENCY", "HOSO_DATA_DIR": t.TempDir(),
		"HOSO_LOG_LEVEL": "error", "HOSO_DEFAULT_AGENCY": "ubnd-phuong-demo"}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"top", "--once"}, func(k string) string { return vars[k] }, strings.NewReader(""), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "HOSO_DEFAULT_AGENCY") || !strings.Contains(err.Error(), "ubnd-phuong-ba-dinh") {
		t.Fatalf("start with an unknown default agency: err = %v\n%s", err, out.String())
	}
	vars["HOSO_DEFAULT_AGENCY"] = ""
	out.Reset()
	if err := run(context.Background(), []string{"top", "--once"}, func(k string) string { return vars[k] }, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("start with the default agency: %v\n%s", err, errb.String())
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	x, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestSubmitRefusesAnUnknownAgency: hoso submit --agency with a name or a
// made-up code filed the dossier where no official could see it; it is
// refused before anything is stored, listing the valid codes.
func TestSubmitRefusesAnUnknownAgency(t *testing.T) {
	t.Parallel()
	pool, dbURL := postgrestest.New(t)
	file := filepath.Join(t.TempDir(), "don.txt")
	if err := os.WriteFile(file, []byte("ĐƠN ĐỀ NGHỊ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"DATABASE_URL": dbURL, "HOSO_DATA_DIR": t.TempDir(), "HOSO_LOG_LEVEL": "error"}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"submit", "--procedure", "1.001193", "--applicant", "001195012345", "--agency", "UBND phường Bến Nghé", file},
		func(k string) string { return vars[k] }, strings.NewReader(""), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "không tồn tại") || !strings.Contains(err.Error(), "ubnd-phuong-ba-dinh") {
		t.Fatalf("submit to an unknown agency: %v", err)
	}
	var n int
	_ = pool.QueryRow(context.Background(), `SELECT count(*) FROM dossiers`).Scan(&n)
	if n != 0 {
		t.Errorf("a refused submission recorded %d dossiers", n)
	}
}
