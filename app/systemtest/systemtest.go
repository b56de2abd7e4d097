// Package systemtest starts a whole hoso in a test — the service on a fresh
// PostgreSQL schema and an embedded JetStream server, with the sample
// catalog loaded — for the operators' end-to-end tests (pipeline
// activation, shadow runs, replay, dead letters).
package systemtest

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// System is a fresh schema and NATS server on which services start.
type System struct {
	T      testing.TB
	Pool   *pgxpool.Pool
	URL    string
	Server *server.Server
	Config config.Config
}

// New prepares a schema and a server; Start runs services on them.
func New(t testing.TB) *System {
	t.Helper()
	pool, url := postgrestest.New(t)
	srv := brokertest.Server(t)
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "DATABASE_URL":
			return url
		case "HOSO_STUCK_AFTER":
			return "3s"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.StreamPrefix = StreamPrefix(t.Name())
	return &System{T: t, Pool: pool, URL: url, Server: srv, Config: cfg}
}

// Start runs a service (closed when the test ends); the first one loads
// the sample catalog. Extraction runs in-process.
func (s *System) Start(o service.Options) *service.Service {
	t := s.T
	t.Helper()
	ctx := context.Background()
	o.Pool, o.Embedded = s.Pool, s.Server
	if o.ReconcileInterval == 0 {
		o.ReconcileInterval = -1
	}
	if o.PipelineRefresh == 0 {
		o.PipelineRefresh = 100 * time.Millisecond
	}
	if o.Extract == nil {
		xo := doctext.DefaultOptions()
		xo.InProcess = true
		o.Extract = &xo
	}
	svc, err := service.New(ctx, s.Config, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close(context.Background()) })
	if codes, _ := svc.Catalog.Codes(ctx); len(codes) == 0 {
		root := Root()
		if _, err := svc.Catalog.Import(ctx, filepath.Join(root, "data", "procedures"), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Catalog.ApplyOverrides(ctx, filepath.Join(root, "pipelines", "catalog")); err != nil {
			t.Fatal(err)
		}
	}
	return svc
}

// Root is the repository root.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Samples returns the sample dossiers of data/dossiers by name.
func Samples(t testing.TB) map[string]service.SampleDossier {
	t.Helper()
	list, err := service.LoadSamples(filepath.Join(Root(), "data", "dossiers"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]service.SampleDossier{}
	for _, s := range list {
		m[s.Name] = s
	}
	return m
}

// Wait waits until the dossiers' reports are complete.
func Wait(t testing.TB, svc *service.Service, ids ...string) []dossier.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	reps, err := svc.WaitDone(ctx, ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	return reps
}

// Eventually polls cond every 50ms until it holds or 30s pass.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// FakeLLM starts an OpenAI-compatible test server that classifies the
// sample papers by their titles (llmtest.ClassifyByTitle) and points the
// services started next at it, with model as the endpoint's default model.
// It is closed when the test ends.
func (s *System) FakeLLM(model string) *llmtest.Server {
	srv := llmtest.NewServer()
	s.T.Cleanup(srv.Close)
	srv.SetResponder(llmtest.ClassifyByTitle)
	s.Config.OpenAIBaseURL, s.Config.OpenAIAPIKey, s.Config.OpenAIModel = srv.BaseURL(), "sk-test", model
	return srv
}

// Variant is the default pipeline definition with from replaced by to (the
// test fails when from is not in it).
func Variant(t testing.TB, from, to string) []byte {
	t.Helper()
	src := string(pipelinedef.DefaultYAML())
	if !strings.Contains(src, from) {
		t.Fatalf("default.yaml has no %q", from)
	}
	return []byte(strings.Replace(src, from, to, 1))
}

// FindingStatus is the status of requirement key in r.
func FindingStatus(r dossier.Report, key string) string {
	for _, f := range r.Findings {
		if f.Key == "req:"+key {
			return f.Status
		}
	}
	return ""
}

// StreamPrefix turns a test name into a JetStream prefix of its own
// (letters and digits, at most 21 characters), so that parallel tests on one
// server never share streams.
func StreamPrefix(s string) string {
	out := []rune{}
	for _, r := range s {
		if (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			out = append(out, r)
		}
	}
	if len(out) > 20 {
		out = out[len(out)-20:]
	}
	return "T" + string(out)
}
