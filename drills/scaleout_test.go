package drills_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/broker/brokertest"
)

// TestScaleOutFigures measures throughput with 1, 2 and 4 `hoso worker`
// processes on the same durable consumers (one embedded JetStream server
// that outlives them), the same with one worker against a 3-node JetStream
// cluster with R3 streams, and the peak RSS (VmHWM) of one `hoso serve`
// while it processes HOSO_PERF_SERVE_DOSSIERS sample dossiers (1,000 by
// default). It runs when HOSO_PERF_SCALE names the file the figures go to,
// as a Markdown section that docs/performance.md includes (scripts/bench.sh):
//
//	HOSO_PERF_SCALE=/tmp/scale.md go test -run TestScaleOutFigures -v ./drills/
func TestScaleOutFigures(t *testing.T) {
	out := os.Getenv("HOSO_PERF_SCALE")
	if out == "" {
		t.Skip("HOSO_PERF_SCALE is not set (a benchmark, not a test: scripts/bench.sh runs it)")
	}
	n := 480
	if v := os.Getenv("HOSO_PERF_SCALE_DOSSIERS"); v != "" {
		fmt.Sscan(v, &n)
	}
	serveN := 1000
	if v := os.Getenv("HOSO_PERF_SERVE_DOSSIERS"); v != "" {
		fmt.Sscan(v, &serveN)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "## Scale-out (`TestScaleOutFigures`, drills)\n\n")
	fmt.Fprintf(&s, "The worker processes are real `hoso worker` binaries (GOMAXPROCS=2) on the same durable consumers.\n")
	fmt.Fprintf(&s, "Each setup first takes %d sample dossiers from cold (*cold*: the processes' first dossiers, their\n", coldDossiers)
	fmt.Fprintf(&s, "caches empty), then %d more (*warm*, the sustained rate, which the ratios compare); each batch is\n", n)
	fmt.Fprintf(&s, "submitted while the processes run and timed until all its dossiers are settled.\n\n")
	fmt.Fprintf(&s, "| Setup | warm, dossiers/s | ratio to 1 worker, single node | CPU of the worker processes and their sandboxes, ms a dossier (warm) | cold, dossiers/s | cold, CPU ms a dossier |\n|---|---|---|---|---|---|\n")
	var one float64
	for _, k := range []int{1, 2, 4} {
		r := newRig(t, rigOptions{})
		m := r.throughputCPU(t, n, k, "worker")
		if k == 1 {
			one = m.rate
		}
		fmt.Fprintf(&s, "| %d worker process(es), single embedded node | %.1f | %.2f | %.1f | %.1f | %.1f |\n", k, m.rate, m.rate/one, m.cpuMS, m.coldRate, m.coldCPU)
		t.Logf("%d worker process(es): %.1f dossiers/s (cold %.1f), %.1f ms of worker CPU a dossier", k, m.rate, m.coldRate, m.cpuMS)
	}
	// Four processes of GOMAXPROCS 2 are eight Ps on two cores: the same
	// four with one P each show what that oversubscription costs.
	{
		r := newRig(t, rigOptions{})
		r.env["GOMAXPROCS"] = "1"
		m := r.throughputCPU(t, n, 4, "worker")
		fmt.Fprintf(&s, "| 4 worker processes, GOMAXPROCS=1 each, single embedded node | %.1f | %.2f | %.1f | %.1f | %.1f |\n", m.rate, m.rate/one, m.cpuMS, m.coldRate, m.coldCPU)
		t.Logf("4 worker processes, GOMAXPROCS=1: %.1f dossiers/s (cold %.1f), %.1f ms of worker CPU a dossier", m.rate, m.coldRate, m.cpuMS)
	}
	cl := brokertest.Cluster(t, 3)
	r := newRig(t, rigOptions{NATSURL: cl.URLs(), Replicas: 3})
	r.env["HOSO_NATS_REPLICAS"] = "3"
	m := r.throughputCPU(t, n, 1, "worker")
	t.Logf("3-node R3 cluster, 1 worker process: %.1f dossiers/s (cold %.1f)", m.rate, m.coldRate)
	fmt.Fprintf(&s, "| 1 worker process, 3-node cluster, R3 streams | %.1f | %.2f | %.1f | %.1f | %.1f |\n\n", m.rate, m.rate/one, m.cpuMS, m.coldRate, m.coldCPU)
	fmt.Fprintf(&s, "On two cores, more processes bring no more CPU, so the warm rate can at best hold; the CPU column\n")
	fmt.Fprintf(&s, "is what each dossier took in the worker processes, and its growth with the number of processes is\n")
	fmt.Fprintf(&s, "their overhead (each process's share of smaller fetches and commit groups, its consumers' idle pulls\n")
	fmt.Fprintf(&s, "and state writes, and Go schedulers of 2 Ps each contending for 2 cores, which the GOMAXPROCS=1 row\n")
	fmt.Fprintf(&s, "reduces). The cold rate falls with more processes because every process warms its own\n")
	fmt.Fprintf(&s, "caches (decoded procedures, citations, the index of each procedure's requirement names) and heap on\n")
	fmt.Fprintf(&s, "its first dossiers, as do its sandbox children: the cold CPU column grows with the number of processes.\n")
	fmt.Fprintf(&s, "Rates move by about ±10%% between runs on this shared machine (a ratio above 1 is such noise).\n\n")

	r = newRig(t, rigOptions{})
	rate, hwm, rss := r.serveMemory(t, serveN)
	fmt.Fprintf(&s, "## Memory\n\n")
	fmt.Fprintf(&s, "| Figure | Value |\n|---|---|\n")
	fmt.Fprintf(&s, "| `hoso serve`, peak RSS (VmHWM) while it processes %d sample dossiers | %.0f MiB |\n", serveN, float64(hwm)/(1<<20))
	fmt.Fprintf(&s, "| `hoso serve`, RSS at the end | %.0f MiB |\n", float64(rss)/(1<<20))
	fmt.Fprintf(&s, "| `hoso serve`, rate over the %d dossiers | %.1f dossiers/s |\n\n", serveN, rate)
	t.Log("\n" + s.String())
	if err := os.WriteFile(out, []byte(s.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// coldDossiers is the first batch of a scale-out setup, which warms its
// processes: timed on its own as the cold rate, before the warm batch.
const coldDossiers = 120

// scaleRun is one scale-out setup's figures.
type scaleRun struct {
	rate     float64 // dossiers a second over the timed batch, after the warm-up
	cpuMS    float64 // CPU of the processes and their sandboxes, ms a dossier of the timed batch
	coldRate float64 // dossiers a second over the first batch, from cold
	coldCPU  float64 // CPU as cpuMS, over the first batch
}

// throughputCPU starts k processes of `hoso <cmd>`, warms them with
// coldDossiers dossiers, then submits n more and measures from their
// first submission until every one is settled: the rate, and the CPU that
// the k processes and their process groups (the sandbox children) spent.
func (r *rig) throughputCPU(t *testing.T, n, k int, cmd string) scaleRun {
	t.Helper()
	var ws []*worker
	for range k {
		ws = append(ws, r.startProcess(t, cmd))
	}
	for _, w := range ws {
		select {
		case <-w.ready:
		case <-w.exited:
			t.Fatal("worker exited before it was ready")
		case <-time.After(2 * time.Minute):
			t.Fatal("worker not ready after 2 minutes")
		}
	}
	defer func() {
		for _, w := range ws {
			w.kill()
		}
	}()
	ctx := context.Background()
	batch := func(from, n int) (time.Duration, time.Duration) {
		cpu0 := groupsCPU(ws)
		start := time.Now()
		r.submitSettled(t, ctx, from, n, 15*time.Minute, 50*time.Millisecond)
		return time.Since(start), groupsCPU(ws) - cpu0
	}
	coldEl, coldCPU := batch(0, coldDossiers)
	el, cpu := batch(coldDossiers, n)
	return scaleRun{
		rate:     float64(n) / el.Seconds(),
		cpuMS:    cpu.Seconds() * 1000 / float64(n),
		coldRate: float64(coldDossiers) / coldEl.Seconds(),
		coldCPU:  coldCPU.Seconds() * 1000 / float64(coldDossiers),
	}
}

// submitSettled submits dossiers from..from+n-1 with four clients and waits
// until every one is settled, failing the test on a refused submission or
// after timeout.
func (r *rig) submitSettled(t *testing.T, ctx context.Context, from, n int, timeout, poll time.Duration) {
	t.Helper()
	ids, failed := r.submitFrom(ctx, from, n, 4)
	if failed > 0 {
		t.Fatalf("%d submissions failed", failed)
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := r.Sub.WaitSettled(wctx, ids, poll); err != nil {
		t.Fatal(err)
	}
}

// groupsCPU sums the CPU time (user and system) of every process in the
// workers' process groups, with the children each has waited for
// (Linux /proc, clock ticks of 10 ms).
func groupsCPU(ws []*worker) time.Duration {
	groups := map[int]bool{}
	for _, w := range ws {
		groups[w.cmd.Process.Pid] = true
	}
	ents, _ := os.ReadDir("/proc")
	var ticks int64
	for _, e := range ents {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The command name (field 2) may hold spaces: fields count from
		// after its closing parenthesis, where field 3 (state) begins.
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 15 {
			continue
		}
		var pgrp int
		fmt.Sscan(f[2], &pgrp) // field 5
		if !groups[pgrp] {
			continue
		}
		for _, x := range f[11:15] { // fields 14–17: utime, stime, cutime, cstime
			var v int64
			fmt.Sscan(x, &v)
			ticks += v
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

// serveMemory runs one `hoso serve` through n dossiers and returns the rate,
// its peak RSS and its RSS at the end.
func (r *rig) serveMemory(t *testing.T, n int) (rate float64, hwm, rss int64) {
	t.Helper()
	w := r.startProcess(t, "serve")
	select {
	case <-w.ready:
	case <-w.exited:
		t.Fatal("hoso serve exited before it was ready")
	case <-time.After(2 * time.Minute):
		t.Fatal("hoso serve not ready after 2 minutes")
	}
	start := time.Now()
	r.submitSettled(t, context.Background(), 0, n, 30*time.Minute, 100*time.Millisecond)
	rate = float64(n) / time.Since(start).Seconds()
	hwm, rss = procStatus(w.cmd.Process.Pid, "VmHWM:"), w.rss()
	w.kill()
	return rate, hwm, rss
}

// startProcess is startWorker for any subcommand (serve listens on a free
// loopback port).
func (r *rig) startProcess(t *testing.T, sub string) *worker {
	t.Helper()
	if sub != "worker" {
		r.env["HOSO_HTTP_ADDR"] = "127.0.0.1:0"
		defer delete(r.env, "HOSO_HTTP_ADDR")
	}
	saved := hosoSubcommand
	hosoSubcommand = sub
	defer func() { hosoSubcommand = saved }()
	return r.startWorker(t, nil)
}

func procStatus(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key) {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, key)), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}
