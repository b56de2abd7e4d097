package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
