package drills_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestDrillDatabaseOutage terminates the workers' PostgreSQL connections
// mid-run, keeps terminating every new one for a while (the database is
// unreachable for them), then pauses the database by holding ACCESS
// EXCLUSIVE locks on the hot tables. Workers back off and carry on: no
// process exits, nothing is lost, no unique violation surfaces.
func TestDrillDatabaseOutage(t *testing.T) {
	t.Parallel()
	n := scale(400, 60)
	outage := time.Duration(scale(6, 2)) * time.Second
	r := newRig(t, rigOptions{})
	ctx := context.Background()
	app := "hoso-drill-" + r.run
	r.DBURL += "&application_name=" + app

	var uniqueErrs, dbErrs atomic.Int64
	var firstUnique atomic.Value // the first such log line, for the failure message
	onLine := func(m map[string]any) {
		s := fmt.Sprint(m)
		// The SQLSTATE as pgx prints it, not the bare digits: they also turn
		// up in the nanoseconds of a log line's time.
		if strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "duplicate key value") {
			uniqueErrs.Add(1)
			firstUnique.CompareAndSwap(nil, s)
		}
		if strings.Contains(s, "terminating connection") || strings.Contains(s, "57P01") ||
			strings.Contains(s, "connection refused") || strings.Contains(s, "unexpected EOF") {
			dbErrs.Add(1)
		}
	}
	ws := []*worker{r.startWorker(t, onLine), r.startWorker(t, onLine)}
	for _, w := range ws {
		<-w.ready
	}
	start := time.Now()
	var ids []string
	subDone := make(chan struct{})
	go func() { defer close(subDone); ids, _ = r.submitAll(ctx, n, 2) }()

	// Let work flow, then the outage.
	waitRuns(t, r, n/4)
	terminate := func() int {
		var k int
		_ = r.Pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&k)
		return k
	}
	terminated := 0
	outStart := time.Now()
	for time.Since(outStart) < outage {
		terminated += terminate()
		time.Sleep(50 * time.Millisecond)
	}
	// Pause: the hot tables are locked; workers' statements queue.
	tx := lockHotTables(t, r)
	time.Sleep(outage)
	terminated += terminate() // the queued statements die too
	_ = tx.Rollback(ctx)
	outEnd := time.Now()
	before := runs(t, r)
	recovered := waitRuns(t, r, before+1)
	recover := time.Since(outEnd)
	_ = recovered

	<-subDone
	o, _ := r.waitSettled(ids, time.Duration(scale(10, 4))*time.Minute)
	exited := 0
	for _, w := range ws {
		select {
		case <-w.exited:
			exited++
		default:
		}
	}
	figures(t, "db-outage", "dossiers", o.Submitted, "connections_terminated", terminated,
		"unreachable_for", outage, "locked_for", outage, "worker_exits", exited, "db_errors_logged", dbErrs.Load(),
		"unique_violations", uniqueErrs.Load(), "finished", o.Done+o.Failed, "dead_lettered", o.DeadLettered,
		"lost", o.Lost(), "duplicated", o.Duplicated(), "time_to_recover", recover, "elapsed", time.Since(start))
	checkOutcome(t, o)
	if exited != 0 {
		t.Errorf("%d worker processes exited during the outage", exited)
	}
	if uniqueErrs.Load() != 0 {
		t.Errorf("%d unique-violation errors logged; the first: %v", uniqueErrs.Load(), firstUnique.Load())
	}
	if o.DeadLettered != 0 {
		t.Errorf("%d dossiers dead-lettered by a %s outage", o.DeadLettered, 2*outage)
	}
}

// lockHotTables takes ACCESS EXCLUSIVE locks on the tables every stage
// commit writes. A worker's transaction may hold one of them while it waits
// for another the drill already holds; PostgreSQL then breaks the deadlock by
// cancelling one side, sometimes the drill's. That is the database doing its
// job, so the drill tries again in a new transaction. The transaction is
// rolled back on every failure path: an open one would keep its connection,
// and the pool's Close in the test's cleanup would wait for it for ever.
func lockHotTables(t *testing.T, r *rig) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	var last error
	for attempt := 0; attempt < 20; attempt++ {
		tx, err := r.Pool.Begin(ctx)
		if err != nil {
			last = err
			time.Sleep(100 * time.Millisecond)
			continue
		}
		_, err = tx.Exec(ctx, `LOCK TABLE stage_runs, dossiers, findings, suggestions IN ACCESS EXCLUSIVE MODE`)
		if err == nil {
			return tx
		}
		_ = tx.Rollback(ctx)
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("could not lock the hot tables in 20 attempts: %v", last)
	return nil
}

func runs(t *testing.T, r *rig) int {
	var n int
	if err := r.Pool.QueryRow(context.Background(), `SELECT count(*) FROM stage_runs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitRuns waits until at least n stage runs are committed.
func waitRuns(t *testing.T, r *rig, n int) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		got := runs(t, r)
		if got >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d stage runs after 5 minutes", got, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
