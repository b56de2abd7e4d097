package service_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/pipelines"
	"github.com/hoso-vn/hoso/pipelines/stageset"
)

// BenchmarkEndToEnd explains what a sample dossier (data/dossiers) costs, in
// one run:
//
//   - pure: each stage's own compute, the same stage functions
//     (pipelines/stageset) over the same dossiers in a loop, in memory: no
//     NATS, no PostgreSQL (catalog, citations and vault answers are read
//     once and served from memory), extraction in-process;
//
//   - e2e: b.N sample dossiers submitted to the whole system (real
//     PostgreSQL, embedded JetStream, sandboxed extraction) until every one
//     is settled, waiting on one count query, never on reports;
//
//   - efficiency = e2e dossiers/s ÷ pure dossiers/s, both with all cores;
//
//   - CPU per dossier: this process (getrusage self), its children
//     (getrusage children: sandbox, pdftotext, OCR) and PostgreSQL (the
//     backends of this run, from /proc, and by query family from
//     pg_stat_statements when the server preloads it);
//
//   - allocations per dossier, of the whole process and of the pure stages.
//
//     go test -run '^$' -bench EndToEnd -benchtime 60x ./app/service/
//
// HOSO_BENCH_BASELINE=<dossiers/s> adds the ratio to an earlier commit's
// figure; HOSO_PERF_DOC=<file> writes docs/performance.md from the run
// (scripts/bench.sh does both).
func BenchmarkEndToEnd(b *testing.B) {
	benchDatabase(b)
	sys, _ := startB(b)
	ctx := context.Background()
	ss, err := service.LoadSamples(repoRoot(b) + "/data/dossiers")
	if err != nil {
		b.Fatal(err)
	}
	// Warm up: every sample once, through the whole system, so that the
	// catalog, indexes and connections are as in a running service; the
	// same dossiers are the inputs of the pure-compute loop.
	var warm []string
	for _, sd := range ss {
		res, err := sys.SubmitSample(ctx, sd, "warm-")
		if err != nil {
			b.Fatal(err)
		}
		warm = append(warm, res.DossierID)
	}
	waitSettled(b, sys.Service, warm)
	pure := pureCompute(b, sys.Service, warm, 5)

	pg := newPGMeter(b, sys.Service)
	retireChildren(sys.Service)
	// What starting the extractor's pool costs its children, measured on
	// its own (no document): the run below starts the pool again and pays
	// it, where a running service pays it once per PoolMaxDocs documents.
	c0 := rusage(syscall.RUSAGE_CHILDREN)
	if err := sys.Service.Extractor.Warm(); err == nil {
		retireChildren(sys.Service)
	}
	poolStart := rusage(syscall.RUSAGE_CHILDREN) - c0
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	self0, child0 := rusage(syscall.RUSAGE_SELF), rusage(syscall.RUSAGE_CHILDREN)
	gc0 := gcCPU()
	pg.start(ctx)

	stopProfile := func() {}
	if f := os.Getenv("HOSO_BENCH_E2E_CPUPROFILE"); f != "" {
		// The end-to-end part alone (-cpuprofile also covers the pure runs).
		w, err := os.Create(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(w); err == nil {
			stopProfile = func() { pprof.StopCPUProfile(); w.Close() }
			defer func() { stopProfile() }() // on b.Fatal
		}
	}
	// HOSO_BENCH_E2E_MEMPROFILE=<file> writes the heap profile at the start
	// (<file>.base) and at the end of the end-to-end part: go tool pprof
	// -sample_index=alloc_space -base <file>.base <binary> <file> shows what
	// the end-to-end part alone allocated.
	memProfile := func(string) {}
	if f := os.Getenv("HOSO_BENCH_E2E_MEMPROFILE"); f != "" {
		memProfile = func(suffix string) {
			if w, err := os.Create(f + suffix); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(w, 0)
				w.Close()
			}
		}
	}
	memProfile(".base")
	b.ResetTimer()
	start := time.Now()
	// Submitted by four clients at once, as the API would receive them.
	ids := make([]string, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				res, err := sys.SubmitSample(ctx, ss[i%len(ss)], fmt.Sprintf("bench-%d-", i))
				if err != nil {
					errs <- err
					return
				}
				ids[i] = res.DossierID
			}
		}()
	}
	wg.Wait()
	submitted := time.Since(start)
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	waitSettled(b, sys.Service, ids)
	el := time.Since(start)
	b.StopTimer()
	stopProfile()
	stopProfile = func() {}
	memProfile("")

	retireChildren(sys.Service) // pooled sandboxes exit, so their CPU is counted
	self1, child1 := rusage(syscall.RUSAGE_SELF), rusage(syscall.RUSAGE_CHILDREN)
	gc1 := gcCPU()
	var ms1 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	pgCPU, families := pg.stop(ctx)
	// The machine is shared: pure compute is measured before and after the
	// end-to-end run, and the two averaged.
	after := pureCompute(b, sys.Service, warm, 5)
	pure = pure.mean(after)

	n := float64(b.N)
	for i := range families { // pg.stop sums over the run
		families[i].Calls /= n
		families[i].MS /= n
	}
	e2e := n / el.Seconds()
	r := &benchResult{
		N: b.N, E2E: e2e, Pure: pure.rate, Efficiency: e2e / pure.rate,
		SelfMS: (self1 - self0).Seconds() * 1000 / n, ChildMS: (child1 - child0).Seconds() * 1000 / n,
		PGMS: pgCPU.Seconds() * 1000 / n, PGFamilies: families, PGNote: pg.note,
		Allocs: float64(ms1.Mallocs-ms0.Mallocs) / n, AllocBytes: float64(ms1.TotalAlloc-ms0.TotalAlloc) / n,
		PureStages: pure.stages, PureAllocs: pure.allocs, PureMS: 1000 / pure.rate1, PureCPUMS: pure.cpu1,
		SubmitShare: submitted.Seconds() / el.Seconds(),
		PoolStartMS: poolStart.Seconds() * 1000,
		GCMS:        (gc1 - gc0) * 1000 / n,
	}
	b.ReportMetric(e2e, "dossiers/s")
	b.ReportMetric(pure.rate, "pure_dossiers/s")
	b.ReportMetric(r.Efficiency, "efficiency")
	b.ReportMetric(r.SelfMS, "cpu_self_ms/dossier")
	b.ReportMetric(r.ChildMS, "cpu_children_ms/dossier")
	b.ReportMetric(r.PGMS, "cpu_pg_ms/dossier")
	b.ReportMetric(r.GCMS, "cpu_gc_ms/dossier")
	b.ReportMetric(r.Allocs, "allocs/dossier")
	if v := os.Getenv("HOSO_BENCH_BASELINE"); v != "" {
		var base float64
		if _, err := fmt.Sscan(v, &base); err == nil && base > 0 {
			r.Baseline = base
			r.BaselineRuns = floats(os.Getenv("HOSO_BENCH_BASELINE_RUNS"))
			r.CurrentRuns = floats(os.Getenv("HOSO_BENCH_CURRENT_RUNS"))
			r.CurrentEffs = floats(os.Getenv("HOSO_BENCH_CURRENT_EFFS"))
			fmt.Sscan(os.Getenv("HOSO_BENCH_ALT_N"), &r.AltN)
			b.ReportMetric(r.current()/base, "x_baseline")
		}
	}
	results.Lock()
	results.e2e = r
	results.Unlock()
	b.Log("\n" + r.table())
}

// benchResult is one run of BenchmarkEndToEnd.
type benchResult struct {
	N                  int
	E2E, Pure          float64 // dossiers/s
	Efficiency         float64
	SelfMS, ChildMS    float64 // CPU ms per dossier
	PGMS               float64
	PGFamilies         []pgFamily
	PGNote             string
	Allocs, AllocBytes float64 // per dossier, whole process
	PureStages         []stageCost
	PureAllocs         float64
	PureMS             float64   // one dossier on one core
	PureCPUMS          float64   // the same in CPU time (the wall time of a loaded machine is longer)
	Baseline           float64   // dossiers/s before the work: the median of BaselineRuns
	BaselineRuns       []float64 // the baseline's runs, alternated with CurrentRuns (scripts/bench.sh)
	CurrentRuns        []float64 // this tree's runs alternated with the baseline's
	CurrentEffs        []float64 // the efficiency of each of CurrentRuns
	AltN               int       // dossiers of each alternated run
	SubmitShare        float64   // of the end-to-end time, until the last submission returned
	PoolStartMS        float64   // CPU of starting the extractor's pool of sandbox children, once
	GCMS               float64   // of SelfMS: the garbage collector's CPU (runtime/metrics' estimate)
}

func (r *benchResult) table() string {
	var s strings.Builder
	fmt.Fprintf(&s, "| Figure | Value |\n|---|---|\n")
	fmt.Fprintf(&s, "| End to end, %d sample dossiers | %.1f dossiers/s |\n", r.N, r.E2E)
	fmt.Fprintf(&s, "| Pure compute, all cores | %.1f dossiers/s (%.1f ms a dossier on one core; %.1f ms of CPU) |\n", r.Pure, r.PureMS, r.PureCPUMS)
	fmt.Fprintf(&s, "| efficiency (end to end ÷ pure) | %.2f |\n", r.Efficiency)
	fmt.Fprintf(&s, "| Submitting (4 clients at once) took | %.0f%% of the end-to-end time |\n", r.SubmitShare*100)
	if r.Baseline > 0 {
		fmt.Fprintf(&s, "| Before this work (d49f25e), same run | %.1f dossiers/s → %.1f× |\n", r.Baseline, r.current()/r.Baseline)
	}
	for _, st := range r.PureStages {
		fmt.Fprintf(&s, "| Pure %s | %.2f ms a dossier |\n", st.Name, st.MS)
	}
	fmt.Fprintf(&s, "| CPU, hoso process | %.1f ms a dossier |\n", r.SelfMS)
	fmt.Fprintf(&s, "| CPU, child processes (sandbox, pdftotext, OCR) | %.1f ms a dossier |\n", r.ChildMS)
	fmt.Fprintf(&s, "| CPU, PostgreSQL backends | %.1f ms a dossier |\n", r.PGMS)
	for _, f := range r.PGFamilies {
		fmt.Fprintf(&s, "| PostgreSQL `%s` | %.1f calls, %.2f ms exec a dossier |\n", f.Family, f.Calls, f.MS)
	}
	if r.PGNote != "" {
		fmt.Fprintf(&s, "| PostgreSQL by query family | %s |\n", r.PGNote)
	}
	fmt.Fprintf(&s, "| Allocations, whole process (parsing happens in the sandbox children) | %.0f a dossier (%.1f MiB) |\n", r.Allocs, r.AllocBytes/(1<<20))
	fmt.Fprintf(&s, "| Allocations, pure stages (parsing in-process) | %.0f a dossier |\n", r.PureAllocs)
	return s.String()
}

// current is the rate the baseline is compared with: the median of this
// tree's runs alternated with the baseline's when there are some, else this
// run's.
func (r *benchResult) current() float64 {
	if m := median(r.CurrentRuns); m > 0 {
		return m
	}
	return r.E2E
}

// baselineRuns says how the baseline was measured, for the goal's row.
func (r *benchResult) baselineRuns() string {
	if len(r.BaselineRuns) == 0 || len(r.CurrentRuns) == 0 {
		return fmt.Sprintf("%.1f vs %.1f dossiers/s", r.current(), r.Baseline)
	}
	return fmt.Sprintf("medians of %d alternating runs each, %.1f vs %.1f dossiers/s (this tree %s; d49f25e %s)",
		len(r.BaselineRuns), r.current(), r.Baseline, joinFloats(r.CurrentRuns), joinFloats(r.BaselineRuns))
}

// floats parses a space-separated list of numbers, skipping what is not one.
func floats(s string) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		var v float64
		if _, err := fmt.Sscan(f, &v); err == nil && v > 0 {
			out = append(out, v)
		}
	}
	return out
}

func joinFloats(vs []float64) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%.1f", v)
	}
	return strings.Join(parts, ", ")
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// results collects the benchmarks' figures for docs/performance.md.
var results struct {
	sync.Mutex
	e2e   *benchResult
	peer  *peerResult
	scale *scaleResult
}

// waitSettled waits until none of ids is received or processing, with one
// count query every 20 ms (never loading reports).
func waitSettled(b *testing.B, s *service.Service, ids []string) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if err := s.WaitSettled(ctx, ids, 20*time.Millisecond); err != nil {
		b.Fatal(err)
	}
}

// retireChildren ends the extractor's pooled sandbox processes (the next
// extraction starts new ones), so that getrusage counts their CPU.
func retireChildren(s *service.Service) {
	if r, ok := any(s.Extractor).(interface{ Retire() }); ok {
		r.Retire()
	}
}

// gcCPU is the runtime's estimate of the CPU seconds this process has
// spent collecting garbage.
func gcCPU() float64 {
	m := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(m)
	if m[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return m[0].Value.Float64()
}

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type stageCost struct {
	Name string
	MS   float64 // per dossier, one core
}

type pureResult struct {
	rate   float64 // dossiers/s with GOMAXPROCS goroutines
	rate1  float64 // dossiers/s on one goroutine
	cpu1   float64 // CPU ms a dossier of this process on one goroutine
	stages []stageCost
	allocs float64
}

func (p pureResult) mean(q pureResult) pureResult {
	out := pureResult{rate: (p.rate + q.rate) / 2, rate1: (p.rate1 + q.rate1) / 2, cpu1: (p.cpu1 + q.cpu1) / 2, allocs: (p.allocs + q.allocs) / 2}
	for i, st := range p.stages {
		if i < len(q.stages) {
			st.MS = (st.MS + q.stages[i].MS) / 2
		}
		out.stages = append(out.stages, st)
	}
	return out
}

// pureCompute runs the stages of dossiers ids in memory, rounds times, on
// one goroutine (per-stage cost) and then on GOMAXPROCS goroutines
// (throughput).
func pureCompute(b *testing.B, s *service.Service, ids []string, rounds int) pureResult {
	b.Helper()
	ctx := context.Background()
	m := newMemWorld(b, s, ids)
	names := s.Definition.Stages
	per := map[string]time.Duration{}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := rusage(syscall.RUSAGE_SELF)
	start := time.Now()
	for range rounds {
		for _, id := range ids {
			m.runOne(b, ctx, id, per)
		}
	}
	el1 := time.Since(start)
	cpu1 := rusage(syscall.RUSAGE_SELF) - cpu0
	runtime.ReadMemStats(&ms1)
	n1 := float64(rounds * len(ids))
	out := pureResult{rate1: n1 / el1.Seconds(), cpu1: cpu1.Seconds() * 1000 / n1, allocs: float64(ms1.Mallocs-ms0.Mallocs) / n1}
	for _, st := range names {
		if d, ok := per[st]; ok {
			out.stages = append(out.stages, stageCost{Name: st, MS: d.Seconds() * 1000 / n1})
		}
	}
	// Throughput with every core, as the pipeline has them.
	p := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	start = time.Now()
	for w := range p {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				for i := range ids {
					m.runOne(b, ctx, ids[(i+w)%len(ids)], nil)
				}
			}
		}()
	}
	wg.Wait()
	out.rate = float64(p*rounds*len(ids)) / time.Since(start).Seconds()
	return out
}

// memWorld holds what the stages read, in memory.
type memWorld struct {
	s        *service.Service
	dossiers map[string]dossier.Dossier
	docs     map[string][]store.Document
	files    map[string][]byte
	cache    *memo
	x        *doctext.Extractor
}

func newMemWorld(b *testing.B, s *service.Service, ids []string) *memWorld {
	ctx := context.Background()
	m := &memWorld{s: s, dossiers: map[string]dossier.Dossier{}, docs: map[string][]store.Document{}, files: map[string][]byte{},
		cache: &memo{s: s, m: map[string]any{}}}
	xo := s.Extractor.Options()
	xo.InProcess = true
	m.x = doctext.New(xo, nil)
	for _, id := range ids {
		d, err := s.Store.Dossier(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		docs, err := s.Store.Documents(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		for _, doc := range docs {
			data, err := s.Broker.Files.Get(ctx, doc.ObjectKey)
			if err != nil {
				b.Fatal(err)
			}
			m.files[doc.ObjectKey] = data
		}
		m.dossiers[id], m.docs[id] = d, docs
	}
	// One untimed pass fills the memo of catalog, citation and vault
	// answers.
	for _, id := range ids {
		m.runOne(b, ctx, id, nil)
	}
	m.cache.frozen = true
	return m
}

// runOne runs every stage of dossier id against a fresh scratch copy,
// adding each stage's time to per when set.
func (m *memWorld) runOne(b *testing.B, ctx context.Context, id string, per map[string]time.Duration) {
	sc := &memRecords{d: m.dossiers[id]}
	for _, doc := range m.docs[id] {
		x := doc
		x.PageTexts, x.Pages = nil, 0
		x.ExtractionStatus, x.ExtractionError = "pending", ""
		x.Type, x.Confidence, x.Classification, x.Fields, x.NeedsReview = dossier.TypeUnknown, 0, map[string]any{}, nil, false
		sc.docs = append(sc.docs, x)
	}
	stages, err := stageset.Build(stageset.Deps{Records: sc, Registry: pipelinedef.Static{Def: m.s.Definition}, Files: m,
		Extractor: m.x, Procedures: m.cache, Citations: m.cache, Indexes: m.cache, Vault: m.cache,
		Model: classifier.Default(), Models: m.s.Models})
	if err != nil {
		b.Fatal(err)
	}
	in := pipelines.Input{DossierID: id, Delivery: 1, Progress: func() {}}
	for _, name := range m.s.Definition.Stages {
		st, ok := stages[name]
		if !ok {
			continue
		}
		t0 := time.Now()
		if _, err := st.Run(ctx, in); err != nil {
			b.Fatalf("pure %s of %s: %v", name, id, err)
		}
		if per != nil {
			per[name] += time.Since(t0)
		}
	}
}

func (m *memWorld) Get(ctx context.Context, key string) ([]byte, error) { return m.files[key], nil }

// memRecords is the stages' store in memory: the effects are applied, not
// recorded.
type memRecords struct {
	mu       sync.Mutex
	d        dossier.Dossier
	docs     []store.Document
	findings []dossier.Finding
}

func (r *memRecords) Dossier(ctx context.Context, id string) (dossier.Dossier, error) {
	return r.d, nil
}
func (r *memRecords) Documents(ctx context.Context, id string) ([]store.Document, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]store.Document(nil), r.docs...), nil
}
func (r *memRecords) Findings(ctx context.Context, id string) ([]dossier.Finding, error) {
	return append([]dossier.Finding(nil), r.findings...), nil
}
func (r *memRecords) CompleteStage(ctx context.Context, run store.StageRun, next string, eff store.Effects) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range eff.Extractions {
		for i := range r.docs {
			if r.docs[i].ID == x.DocumentID {
				r.docs[i].ExtractionStatus, r.docs[i].PageTexts, r.docs[i].Pages = x.Status, x.PageTexts, len(x.PageTexts)
			}
		}
	}
	for _, c := range eff.Classifications {
		for i := range r.docs {
			if r.docs[i].ID == c.DocumentID {
				r.docs[i].Type, r.docs[i].Confidence, r.docs[i].Classification, r.docs[i].Fields = c.Type, c.Confidence, c.Details, c.Fields
			}
		}
	}
	r.findings = append(r.findings, eff.Findings...)
	return true, nil
}

// memo answers the stages' catalog, citation and vault questions from
// memory once the first pass has asked PostgreSQL.
type memo struct {
	s      *service.Service
	mu     sync.Mutex
	m      map[string]any
	frozen bool
}

func memoGet[T any](c *memo, key string, f func() (T, error)) (T, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v.(T), nil
	}
	if c.frozen {
		var zero T
		return zero, fmt.Errorf("pure compute asked PostgreSQL for %s after warm-up", key)
	}
	x, err := f()
	if err != nil {
		return x, err
	}
	c.mu.Lock()
	c.m[key] = x
	c.mu.Unlock()
	return x, nil
}

func (c *memo) Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error) {
	return memoGet(c, "proc "+code, func() (*catalog.Procedure, error) { return c.s.Catalog.Get(ctx, code, at) })
}

func (c *memo) Citations(ctx context.Context, proc, req string) ([]dossier.Citation, error) {
	return memoGet(c, "cit "+proc+" "+req, func() ([]dossier.Citation, error) { return c.s.Regulations.Citations(ctx, proc, req) })
}

func (c *memo) CitationsUnder(ctx context.Context, def *pipelinedef.Definition, proc *catalog.Procedure, req string) ([]dossier.Citation, error) {
	return memoGet(c, "citu "+def.VersionLabel()+" "+proc.Code+" "+req, func() ([]dossier.Citation, error) {
		return c.s.Indexes.CitationsUnder(ctx, def, proc, req)
	})
}

func (c *memo) Lookup(ctx context.Context, q vault.Query) (vault.Result, error) {
	key := fmt.Sprintf("vault %s %s %s %v %v", q.ApplicantID, q.ProcedureCode, q.Requirement.Key, q.AsOf, q.Subjects)
	return memoGet(c, key, func() (vault.Result, error) {
		return (&vault.Store{Pool: c.s.Pool, Procedures: c.s.Catalog}).Lookup(ctx, q)
	})
}

// sortFamilies orders query families by time, largest first.
func sortFamilies(f []pgFamily) {
	sort.Slice(f, func(i, j int) bool { return f[i].MS > f[j].MS })
}
