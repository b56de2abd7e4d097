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
	n := 120
	if v := os.Getenv("HOSO_PERF_SCALE_DOSSIERS"); v != "" {
		fmt.Sscan(v, &n)
	}
	serveN := 1000
	if v := os.Getenv("HOSO_PERF_SERVE_DOSSIERS"); v != "" {
		fmt.Sscan(v, &serveN)
	}
	var s strings.Builder
	fmt.Fprintf(&s, "## Scale-out (`TestScaleOutFigures`, drills)\n\n")
	fmt.Fprintf(&s, "%d sample dossiers submitted while the worker processes run, until all are settled; the worker\n", n)
	fmt.Fprintf(&s, "processes are real `hoso worker` binaries (GOMAXPROCS=2) on the same durable consumers.\n\n")
	fmt.Fprintf(&s, "| Setup | dossiers/s | ratio to 1 worker, single node | CPU of the worker processes and their sandboxes, ms a dossier |\n|---|---|---|---|\n")
	var one float64
	for _, k := range []int{1, 2, 4} {
		r := newRig(t, rigOptions{})
		rate, cpu := r.throughputCPU(t, n, k, "worker")
		if k == 1 {
			one = rate
		}
		fmt.Fprintf(&s, "| %d worker process(es), single embedded node | %.1f | %.2f | %.1f |\n", k, rate, rate/one, cpu)
		t.Logf("%d worker process(es): %.1f dossiers/s, %.1f ms of worker CPU a dossier", k, rate, cpu)
	}
	// Four processes of GOMAXPROCS 2 are eight Ps on two cores: the same
	// four with one P each show what that oversubscription costs.
	{
		r := newRig(t, rigOptions{})
		r.env["GOMAXPROCS"] = "1"
		rate, cpu := r.throughputCPU(t, n, 4, "worker")
		fmt.Fprintf(&s, "| 4 worker processes, GOMAXPROCS=1 each, single embedded node | %.1f | %.2f | %.1f |\n", rate, rate/one, cpu)
		t.Logf("4 worker processes, GOMAXPROCS=1: %.1f dossiers/s, %.1f ms of worker CPU a dossier", rate, cpu)
	}
	cl := brokertest.Cluster(t, 3)
	r := newRig(t, rigOptions{NATSURL: cl.URLs(), Replicas: 3})
	r.env["HOSO_NATS_REPLICAS"] = "3"
	rate := r.throughput(t, n, 1, "worker")
	t.Logf("3-node R3 cluster, 1 worker process: %.1f dossiers/s", rate)
	fmt.Fprintf(&s, "| 1 worker process, 3-node cluster, R3 streams | %.1f | %.2f | |\n\n", rate, rate/one)
	fmt.Fprintf(&s, "Each process starts its two sandbox children before it consumes. On two cores, more processes\n")
	fmt.Fprintf(&s, "bring no more CPU, so the rate can at best hold; the CPU column is what each dossier took in the\n")
	fmt.Fprintf(&s, "worker processes, and its growth with the number of processes is their overhead (each process's\n")
	fmt.Fprintf(&s, "cold caches, its share of smaller fetches and commit groups, and Go schedulers of 2 Ps each\n")
	fmt.Fprintf(&s, "contending for 2 cores, which the GOMAXPROCS=1 row reduces). The rates of %d dossiers move by\n", n)
	fmt.Fprintf(&s, "about ±20%% between runs on this shared machine (a ratio above 1 is such noise); the CPU figures\n")
	fmt.Fprintf(&s, "move less.\n\n")

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

// throughput starts k processes of `hoso <cmd>`, submits n dossiers and
// returns dossiers per second from the first submission until every one is
// settled.
func (r *rig) throughput(t *testing.T, n, k int, cmd string) float64 {
	t.Helper()
	rate, _ := r.throughputCPU(t, n, k, cmd)
	return rate
}

// throughputCPU is throughput with the CPU, in ms a dossier, that the k
// processes and their process groups (the sandbox children) spent from the
// first submission until every dossier was settled.
func (r *rig) throughputCPU(t *testing.T, n, k int, cmd string) (rate, cpuMS float64) {
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
	ctx := context.Background()
	cpu0 := groupsCPU(ws)
	start := time.Now()
	ids, failed := r.submitAll(ctx, n, 4)
	if failed > 0 {
		t.Fatalf("%d submissions failed", failed)
	}
	wctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	if err := r.Sub.WaitSettled(wctx, ids, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	cpu := groupsCPU(ws) - cpu0
	for _, w := range ws {
		w.kill()
	}
	return float64(n) / el.Seconds(), cpu.Seconds() * 1000 / float64(n)
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
	ctx := context.Background()
	start := time.Now()
	ids, failed := r.submitAll(ctx, n, 4)
	if failed > 0 {
		t.Fatalf("%d submissions failed", failed)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	if err := r.Sub.WaitSettled(wctx, ids, 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
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
