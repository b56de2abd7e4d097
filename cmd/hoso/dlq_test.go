package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// TestDeadLetterFromTheCLI: a poison message — a dossier the record does not
// hold — appears in `hoso dlq list`; `hoso dlq retry` refuses it until the
// fix (the dossier restored), then completes it; the letter is retried.
func TestDeadLetterFromTheCLI(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	dataDir := t.TempDir()
	getenv := systemEnv(sys, dataDir)
	hoso := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(ctx, args, getenv, strings.NewReader(""), &out, &errb)
		return out.String() + errb.String(), err
	}

	const ghost = "hs-ghost-cli"
	b := svc.Broker
	if err := b.Publish(ctx, b.Names.StageSubject("intake"), "ghost-cli", []byte(`{"dossier_id":"`+ghost+`","stage":"intake","attempt":0}`), nil); err != nil {
		t.Fatal(err)
	}
	var id string
	systemtest.Eventually(t, "the poison message in hoso dlq list", func() bool {
		out, err := hoso("dlq", "list")
		if err != nil || !strings.Contains(out, ghost) {
			return false
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, ghost) {
				id = strings.Fields(line)[0]
			}
		}
		return true
	})
	if _, err := strconv.Atoi(id); err != nil {
		t.Fatalf("dead letter id %q", id)
	}
	if out, err := hoso("dlq", "show", id); err != nil || !strings.Contains(out, ghost) {
		t.Fatalf("dlq show: %v\n%s", err, out)
	}
	if out, err := hoso("dlq", "retry", id); err == nil {
		t.Fatalf("retry before the fix succeeded:\n%s", out)
	}

	// The fix: the dossier's record and file are restored.
	data, err := os.ReadFile(filepath.Join(systemtest.Root(), "data", "dossiers", "giay-chung-sinh.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Files.Put(ctx, ghost+"/giay-chung-sinh.pdf", data); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Store.CreateDossier(ctx, store.NewDossier{ID: ghost, ProcedureCode: "1.001193", ApplicantID: "001090000002",
		Agency: "ubnd-phuong-demo", SubmittedAt: time.Now(), Documents: []store.NewDocument{{Filename: "giay-chung-sinh.pdf",
			ContentType: "application/pdf", Size: int64(len(data)), SHA256: "x", ObjectKey: ghost + "/giay-chung-sinh.pdf"}}}); err != nil {
		t.Fatal(err)
	}
	if out, err := hoso("dlq", "retry", id, "--reason", "hồ sơ đã khôi phục", "--by", "op-lan"); err != nil {
		t.Fatalf("dlq retry after the fix: %v\n%s", err, out)
	}
	r := systemtest.Wait(t, svc, ghost)[0]
	if r.Dossier.Status != dossier.StatusPrechecked {
		t.Fatalf("after retry: status %s", r.Dossier.Status)
	}
	if out, err := hoso("dlq", "list", "--status", "retried"); err != nil || !strings.Contains(out, ghost) {
		t.Fatalf("dlq list --status retried: %v\n%s", err, out)
	}
	if out, _ := hoso("dlq", "list"); strings.Contains(out, ghost) {
		t.Fatalf("the retried letter is still open:\n%s", out)
	}
}

// systemEnv is the environment of a hoso command run against sys: its
// database, NATS server and stream prefix, quiet logs, and dataDir as
// HOSO_DATA_DIR when given.
func systemEnv(sys *systemtest.System, dataDir string) func(string) string {
	return func(k string) string {
		switch k {
		case "DATABASE_URL":
			return sys.URL
		case "NATS_URL":
			return sys.Server.ClientURL()
		case "HOSO_STREAM_PREFIX":
			return sys.Config.StreamPrefix
		case "HOSO_DATA_DIR":
			return dataDir
		case "HOSO_LOG_LEVEL":
			return "error"
		}
		return ""
	}
}
