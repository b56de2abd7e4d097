package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/postgres"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestBackupRestoreIntoFreshDatabase submits the sample dossiers, backs up
// with `hoso backup`, restores with `hoso restore` into a new database and a
// new NATS server, and finds every dossier, document and file (by sha256).
func TestBackupRestoreIntoFreshDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, dbURL := postgrestest.New(t)
	srv := brokertest.Server(t)
	prefix := fmt.Sprintf("BK%06X", rand.Uint32()&0xffffff)
	env := map[string]string{"DATABASE_URL": dbURL, "NATS_URL": srv.ClientURL(), "HOSO_STREAM_PREFIX": prefix,
		"HOSO_DATA_DIR": t.TempDir()}
	getenv := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, err := config.Load(getenv(env))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(ctx, cfg, service.Options{Pool: pool, NoWorkers: true, ReconcileInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close(ctx)
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	if _, err := svc.Catalog.Import(ctx, filepath.Join(root, "data", "procedures"), nil); err != nil {
		t.Fatal(err)
	}
	samples, err := service.LoadSamples(filepath.Join(root, "data", "dossiers"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, sd := range samples {
		res, err := svc.SubmitSample(ctx, sd, "bk-")
		if err != nil {
			t.Fatal(err)
		}
		want[res.DossierID] = true
	}

	hoso := func(env map[string]string, args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, args, getenv(env), strings.NewReader(""), &out, &out); err != nil {
			t.Fatalf("hoso %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	dir := t.TempDir()
	t.Log(hoso(env, "backup", dir))

	// A fresh database (same schema name, as the dump carries it) and a
	// fresh NATS server.
	schema := strings.Split(strings.Split(dbURL, "search_path=")[1], "%2C")[0]
	fresh := fmt.Sprintf("hoso_restore_%08x", rand.Uint32())
	base := strings.Replace(postgrestest.URL(), "/test?", "/"+fresh+"?", 1)
	t.Cleanup(func() {
		admin, err := postgres.Open(context.Background(), postgrestest.URL())
		if err == nil {
			_, _ = admin.Exec(context.Background(), `DROP DATABASE IF EXISTS `+fresh+` WITH (FORCE)`)
			admin.Close()
		}
	})
	srv2 := brokertest.Server(t)
	env2 := map[string]string{"DATABASE_URL": postgrestest.WithSchema(base, schema), "NATS_URL": srv2.ClientURL(),
		"HOSO_STREAM_PREFIX": prefix, "HOSO_DATA_DIR": t.TempDir()}
	t.Log(hoso(env2, "restore", dir))

	rp, err := postgres.Open(ctx, env2["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Close()
	rows, err := rp.Query(ctx, `SELECT d.id, o.object_key, o.sha256 FROM dossiers d JOIN documents o ON o.dossier_id = d.id`)
	if err != nil {
		t.Fatal(err)
	}
	type doc struct{ key, sum string }
	var docs []doc
	got := map[string]bool{}
	for rows.Next() {
		var id string
		var d doc
		if err := rows.Scan(&id, &d.key, &d.sum); err != nil {
			t.Fatal(err)
		}
		got[id] = true
		docs = append(docs, d)
	}
	rows.Close()
	for id := range want {
		if !got[id] {
			t.Errorf("dossier %s missing after restore", id)
		}
	}
	b, err := broker.Connect(ctx, broker.Options{URL: srv2.ClientURL(), Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, d := range docs {
		data, err := b.Files.Get(ctx, d.key)
		if err != nil {
			t.Errorf("file %s: %v", d.key, err)
			continue
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != d.sum {
			t.Errorf("file %s: sha256 differs after restore", d.key)
		}
	}
	if len(docs) == 0 {
		t.Fatal("no documents restored")
	}
	t.Logf("restored %d dossiers and %d files", len(got), len(docs))
}
