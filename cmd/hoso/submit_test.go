package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestSubmitNeedsTheRunningSystem: with no system to reach — NATS_URL unset
// and no hoso serve on the data directory, or NATS_URL down — `hoso submit`
// fails at once with a bilingual error and records nothing; it never starts
// a broker of its own, whose store no worker would ever read.
func TestSubmitNeedsTheRunningSystem(t *testing.T) {
	t.Parallel()
	pool, dbURL := postgrestest.New(t)
	file := filepath.Join(t.TempDir(), "don.txt")
	if err := os.WriteFile(file, []byte("ĐƠN ĐỀ NGHỊ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		vars map[string]string
		says []string
	}{
		{"NoServeOnTheDataDir", map[string]string{}, []string{"không có hệ thống hoso nào đang chạy", "no running hoso", "NATS_URL"}},
		{"NATSURLDown", map[string]string{"NATS_URL": "nats://127.0.0.1:1"}, []string{"không kết nối được", "cannot reach"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dataDir := t.TempDir()
			c.vars["DATABASE_URL"], c.vars["HOSO_DATA_DIR"], c.vars["HOSO_LOG_LEVEL"] = dbURL, dataDir, "error"
			var out, errb bytes.Buffer
			err := run(context.Background(), []string{"submit", "--procedure", "1.001193", "--applicant", "001195012345", file},
				func(k string) string { return c.vars[k] }, strings.NewReader(""), &out, &errb)
			if err == nil {
				t.Fatalf("submit succeeded with no running system: %s", out.String())
			}
			for _, want := range c.says {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
			if entries, _ := os.ReadDir(dataDir); len(entries) != 0 {
				t.Errorf("submit started a store in the data directory: %v", entries)
			}
			var n int
			_ = pool.QueryRow(context.Background(), `SELECT count(*) FROM dossiers`).Scan(&n)
			if n != 0 {
				t.Errorf("a refused submission recorded %d dossiers", n)
			}
		})
	}
}

// TestSubmitRefusesWhatCannotBeProcessed: hoso submit exits non-zero for an
// idempotency key reused with another request (#16.6), an unknown procedure
// and an applicant that is no personal ID or tax code (#15.7).
func TestSubmitRefusesWhatCannotBeProcessed(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	sys.Start(service.Options{NoWorkers: true})
	ctx := context.Background()
	dataDir := t.TempDir()
	getenv := systemEnv(sys, dataDir)
	hoso := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(ctx, args, getenv, strings.NewReader(""), &out, &errb)
		if err != nil {
			errb.WriteString(err.Error())
		}
		return out.String() + errb.String(), err
	}
	dir := filepath.Join(systemtest.Root(), "data", "dossiers")
	birth, permit := filepath.Join(dir, "giay-chung-sinh.pdf"), filepath.Join(dir, "don-de-nghi-cap-gpxd.pdf")
	submit := func(procedure, applicant, file string) (string, error) {
		return hoso("submit", "--procedure", procedure, "--applicant", applicant, "--agency", "ubnd-phuong-ba-dinh",
			"--idempotency-key", "cli-k1", file)
	}
	out, err := submit("1.001193", "001195012345", birth)
	if err != nil || !strings.Contains(out, "Đã nộp hồ sơ") {
		t.Fatalf("first submit: %v\n%s", err, out)
	}
	if out, err := submit("1.001193", "001195012345", birth); err != nil || !strings.Contains(out, "already submitted") {
		t.Fatalf("retry: %v\n%s", err, out)
	}
	for name, args := range map[string][3]string{
		"KeyReusedForAnotherDossier": {"1.013225", "001087006543", permit},
		"UnknownProcedure":           {"9.999999", "001195012345", birth},
		"ApplicantAbc":               {"1.001193", "abc", birth},
	} {
		t.Run(name, func(t *testing.T) {
			out, err := submit(args[0], args[1], args[2])
			if err == nil {
				t.Fatalf("exit 0:\n%s", out)
			}
			if !strings.Contains(out, "(") || strings.Contains(out, "Đã nộp") {
				t.Errorf("output:\n%s", out)
			}
		})
	}
	// #15.3: a case the procedure does not have is refused (non-zero exit)
	// with the procedure's cases by name; a label is stored as its key.
	out, err = hoso("submit", "--procedure", "1.013225", "--applicant", "001087006543", "--agency", "ubnd-phuong-ba-dinh", "--case", "1.99", permit)
	if err == nil || !strings.Contains(out, "(1.7) Đối với") || !strings.Contains(out, "(unknown case") {
		t.Errorf("--case 1.99: %v\n%s", err, out)
	}
	if n := sys.Count(`SELECT count(*) FROM dossiers`); n != 1 {
		t.Fatalf("%d dossiers, want 1", n)
	}
	if out, err := hoso("submit", "--procedure", "1.013225", "--applicant", "001087006543", "--agency", "ubnd-phuong-ba-dinh", "--case", "1.7", permit); err != nil {
		t.Fatalf("--case 1.7: %v\n%s", err, out)
	}
	if n := sys.Count(`SELECT count(*) FROM dossiers WHERE metadata->'cases' = '["case-7"]'`); n != 1 {
		t.Errorf("%d dossiers with cases [case-7], want 1", n)
	}
}
