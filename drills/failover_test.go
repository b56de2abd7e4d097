package drills_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/broker/brokertest"
)

// TestDrillLeaderFailover runs the workers against a 3-node JetStream
// cluster (R3 streams, fsync always), kills the work stream's leader
// mid-run and restarts it, then does the same to a stage consumer's leader
// while a second batch is in flight.
// Every acknowledged submission must finish, and delivery must resume in
// the same worker processes (none is restarted). The workers' watchdog
// recreates an iterator that stalls after the leader change.
func TestDrillLeaderFailover(t *testing.T) {
	t.Parallel()
	n := scale(300, 60)
	cl := brokertest.Cluster(t, 3)
	r := newRig(t, rigOptions{NATSURL: cl.URLs(), Replicas: 3})
	r.env["HOSO_NATS_REPLICAS"] = "3"
	r.env["HOSO_STUCK_AFTER"] = "15s" // submissions recorded while the stream had no leader are re-published
	ctx := context.Background()

	var stalls, reconnects atomic.Int64
	onLine := func(m map[string]any) {
		msg, _ := m["msg"].(string)
		switch {
		case strings.HasPrefix(msg, "consumer stalled"):
			stalls.Add(1)
		case strings.HasPrefix(msg, "nats reconnected"):
			reconnects.Add(1)
		}
	}
	ws := []*worker{r.startWorker(t, onLine), r.startWorker(t, onLine)}
	pids := map[int]bool{}
	for _, w := range ws {
		<-w.ready
		pids[w.cmd.Process.Pid] = true
	}
	start := time.Now()
	var ids []string
	var unacked int
	subDone := make(chan struct{})
	go func() { defer close(subDone); ids, unacked = r.submitAll(ctx, n, 2) }()

	js := r.Sub.Broker.JS
	stream := r.Sub.Broker.Names.WorkStream()
	var recoveries []time.Duration
	kill := func(what string, leader int) {
		if leader < 0 {
			t.Fatalf("no %s leader known", what)
		}
		before := runs(t, r)
		t.Logf("killing %s leader %s at %d stage runs", what, cl.Name(leader), before)
		killed := time.Now()
		cl.Stop(leader)
		waitRuns(t, r, before+5)
		recoveries = append(recoveries, time.Since(killed))
		time.Sleep(2 * time.Second) // run on two nodes for a while
		if err := cl.Restart(leader); err != nil {
			t.Fatal(err)
		}
		if err := cl.WaitReady(60 * time.Second); err != nil {
			t.Fatal(err)
		}
	}
	waitRuns(t, r, n/3)
	kill("stream "+stream, cl.StreamLeader(ctx, js, stream))
	// A second batch, so that the consumer's leader dies with work left:
	// the stream leader's restart and recovery can outlast the whole first
	// batch (at -short's 60 dossiers it did, and the kill then waited for
	// stage runs that no dossier had left to make).
	var ids2 []string
	var unacked2 int
	sub2Done := make(chan struct{})
	go func() { defer close(sub2Done); ids2, unacked2 = r.submitFrom(ctx, n, n/2, 2) }()
	waitRuns(t, r, runs(t, r)+n/4)
	durable := r.Sub.Broker.Names.Durable("classify")
	kill("consumer "+durable, cl.ConsumerLeader(ctx, js, stream, durable))

	<-subDone
	<-sub2Done
	ids, unacked = append(ids, ids2...), unacked+unacked2
	o, _ := r.waitSettled(ids, time.Duration(scale(10, 4))*time.Minute)
	restarted := 0
	for _, w := range ws {
		select {
		case <-w.exited:
			restarted++
		default:
		}
	}
	figures(t, "leader-failover", "dossiers", o.Submitted, "unacknowledged_submissions", unacked,
		"leaders_killed", 2, "acknowledged_missing", o.Lost(), "duplicated", o.Duplicated(),
		"dead_lettered", o.DeadLettered, "workers_restarted", restarted, "watchdog_restarts", stalls.Load(),
		"client_reconnects", reconnects.Load(), "time_to_recover_stream", recoveries[0],
		"time_to_recover_consumer", recoveries[1], "elapsed", time.Since(start))
	checkOutcome(t, o)
	if restarted != 0 {
		t.Errorf("%d worker processes exited", restarted)
	}
}
