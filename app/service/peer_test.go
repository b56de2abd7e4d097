package service_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/pipelines"
	"github.com/hoso-vn/hoso/workers"
)

// peerJobs is how many jobs each side works.
const peerJobs = 3000

// BenchmarkPeerRiver compares, on the same PostgreSQL in the same run, a
// trivial hoso stage — consumed from JetStream by workers.Runner, its
// idempotent effect (the stage_runs inbox row and one findings row, with
// the dossier's move) committed through store.CompleteStage, then acked —
// with River (riverqueue/river, riverpgxv5) working no-op jobs, counted
// when River reports them completed. Both sides have their work queued
// before the clock starts: the figures are working rates.
//
//	go test -run '^$' -bench PeerRiver -benchtime 1x ./app/service/
func BenchmarkPeerRiver(b *testing.B) {
	benchDatabase(b)
	sys, _ := start(b, service.Options{NoWorkers: true, ReconcileInterval: -1})
	ctx := context.Background()
	var trivial, riverDefault, riverTuned float64
	// Once whatever b.N is (make bench passes -benchtime Nx for the
	// dossiers): each side works peerJobs jobs.
	_ = ctx
	trivial = trivialStageRate(b, sys.Service, peerJobs)
	riverDefault = riverRate(b, sys.Pool, peerJobs, river.QueueConfig{MaxWorkers: 100}, 0)
	riverTuned = riverRate(b, sys.Pool, peerJobs, river.QueueConfig{MaxWorkers: 100}, 10*time.Millisecond)
	b.ReportMetric(trivial, "trivial_stage/s")
	b.ReportMetric(riverDefault, "river_noop/s")
	b.ReportMetric(riverTuned, "river_noop_tuned/s")
	b.ReportMetric(trivial/max(riverDefault, riverTuned), "trivial/river")
	results.Lock()
	results.peer = &peerResult{Jobs: peerJobs, Trivial: trivial, RiverDefault: riverDefault, RiverTuned: riverTuned}
	results.Unlock()
}

type peerResult struct {
	Jobs                              int
	Trivial, RiverDefault, RiverTuned float64
}

// trivialStage records its effect and ends the dossier.
type trivialStage struct {
	st   *store.Store
	done atomic.Int64
	all  chan struct{}
	n    int64
}

func (t *trivialStage) Run(ctx context.Context, in pipelines.Input) (string, error) {
	applied, err := t.st.CompleteStage(ctx, store.StageRun{DossierID: in.DossierID, Stage: dossier.StageIntake,
		InputHash: "trivial", StartedAt: time.Now(), Delivery: in.Delivery}, dossier.StageDone,
		store.Effects{Findings: []dossier.Finding{{Key: "trivial", Kind: "trivial", Status: "ok"}}})
	if err != nil {
		return "", err
	}
	if applied && t.done.Add(1) == t.n {
		close(t.all)
	}
	return dossier.StageDone, nil
}

func trivialStageRate(b *testing.B, s *service.Service, n int) float64 {
	b.Helper()
	ctx := context.Background()
	prefix := fmt.Sprintf("T%d", time.Now().UnixNano()%1e9)
	_, err := s.Pool.Exec(ctx, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, metadata, stage, status)
		SELECT $1 || '-' || g, '1.001193', 'citizen', 'a', now(), '{}', 'intake', 'received' FROM generate_series(1, $2) g`, prefix, n)
	if err != nil {
		b.Fatal(err)
	}
	pub := &workers.Publisher{Broker: s.Broker}
	for i := 1; i <= n; i++ {
		if err := pub.PublishStage(ctx, fmt.Sprintf("%s-%d", prefix, i), dossier.StageIntake); err != nil {
			b.Fatal(err)
		}
	}
	st := &trivialStage{st: s.Store, all: make(chan struct{}), n: int64(n)}
	r := &workers.Runner{Broker: s.Broker, Dead: s.Store, StallAfter: -1,
		Handlers: map[string]workers.Handler{dossier.StageIntake: workers.StageHandler(dossier.StageIntake, st, pub)},
		Stages:   []string{dossier.StageIntake}}
	start := time.Now()
	if err := r.Start(ctx); err != nil {
		b.Fatal(err)
	}
	select {
	case <-st.all:
	case <-time.After(5 * time.Minute):
		b.Fatalf("trivial stage: %d of %d after 5 minutes", st.done.Load(), n)
	}
	el := time.Since(start)
	_ = r.Stop(ctx)
	return float64(n) / el.Seconds()
}

type noopArgs struct{}

func (noopArgs) Kind() string { return "hoso_bench_noop" }

type noopWorker struct {
	river.WorkerDefaults[noopArgs]
}

func (noopWorker) Work(context.Context, *river.Job[noopArgs]) error { return nil }

func riverRate(b *testing.B, pool *pgxpool.Pool, n int, q river.QueueConfig, cooldown time.Duration) float64 {
	b.Helper()
	ctx := context.Background()
	drv := riverpgxv5.New(pool)
	// Into this run's schema (search_path); a no-op once migrated.
	m, err := rivermigrate.New(drv, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		b.Fatal(err)
	}
	ws := river.NewWorkers()
	river.AddWorker(ws, noopWorker{})
	cfg := &river.Config{Queues: map[string]river.QueueConfig{river.QueueDefault: q}, Workers: ws}
	if cooldown > 0 {
		cfg.FetchCooldown, cfg.FetchPollInterval = cooldown, cooldown
	}
	c, err := river.NewClient(drv, cfg)
	if err != nil {
		b.Fatal(err)
	}
	params := make([]river.InsertManyParams, n)
	for i := range params {
		params[i] = river.InsertManyParams{Args: noopArgs{}}
	}
	if _, err := c.InsertMany(ctx, params); err != nil {
		b.Fatal(err)
	}
	events, cancel := c.Subscribe(river.EventKindJobCompleted)
	defer cancel()
	start := time.Now()
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	timeout := time.After(5 * time.Minute)
	for got := 0; got < n; {
		select {
		case <-events:
			got++
		case <-timeout:
			b.Fatalf("river: %d of %d after 5 minutes", got, n)
		}
	}
	el := time.Since(start)
	sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
	_ = c.Stop(sctx)
	scancel()
	return float64(n) / el.Seconds()
}

type scaleResult struct{}
