package drills_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// TestDrillKill runs generated dossiers through `hoso worker` processes and
// SIGKILLs a worker at random points — mid-extraction, mid-classification,
// between a stage's commit and its ack — at least 50 times (10 under
// -short). Every dossier must end finished or dead-lettered with a reason,
// with no effect recorded twice.
//
// The worker logs every handled delivery at debug level; a delivery of a
// (dossier, stage) after the delivery that committed it is a redelivery of
// work whose ack the kill prevented: the "between commit and ack" case.
func TestDrillKill(t *testing.T) {
	t.Parallel()
	n, kills, procs := scale(1000, 60), scale(50, 6), 2
	r := newRig(t, rigOptions{})
	ctx := context.Background()

	var mu sync.Mutex
	handled := map[[2]string]int{} // (dossier, stage) → highest delivery that returned without error
	onLine := func(m map[string]any) {
		if m["msg"] != "delivery handled" || m["err"] != "" {
			return
		}
		id, _ := m["dossier_id"].(string)
		stage, _ := m["stage"].(string)
		d, _ := m["delivery"].(float64)
		mu.Lock()
		k := [2]string{id, stage}
		handled[k] = max(handled[k], int(d))
		mu.Unlock()
	}
	ws := make([]*worker, procs)
	for i := range ws {
		ws[i] = r.startWorker(t, onLine)
	}

	start := time.Now()
	var ids []string
	subDone := make(chan struct{})
	go func() {
		defer close(subDone)
		ids, _ = r.submitAll(ctx, n, 4)
	}()

	// The killer: wait until the victim consumes, let it work for a random
	// while, SIGKILL its process group, start a replacement at once.
	var ready []time.Duration
	done := 0
	var lastKill time.Time
	for done < kills {
		i := done % procs
		w := ws[i]
		select {
		case <-w.ready:
		case <-time.After(60 * time.Second):
			t.Fatalf("worker %d never became ready", i)
		}
		time.Sleep(time.Duration(200+rand.IntN(1300)) * time.Millisecond)
		w.kill()
		lastKill = time.Now()
		done++
		nw := r.startWorker(t, onLine)
		go func(start time.Time) {
			select {
			case <-nw.ready:
				mu.Lock()
				ready = append(ready, time.Since(start))
				mu.Unlock()
			case <-nw.exited:
			}
		}(lastKill)
		ws[i] = nw
	}
	<-subDone
	t.Logf("%d kills in %s; submitted %d", done, time.Since(start).Round(time.Second), len(ids))
	o, drain := r.waitSettled(ids, time.Duration(scale(20, 5))*time.Minute)
	elapsed := time.Since(start)

	// Redeliveries of already committed work.
	rows, err := r.Pool.Query(ctx, `SELECT dossier_id, stage, delivery FROM stage_runs WHERE dossier_id = ANY($1)`, ids)
	if err != nil {
		t.Fatal(err)
	}
	afterCommit := 0
	mu.Lock()
	for rows.Next() {
		var id, stage string
		var d int
		if err := rows.Scan(&id, &stage, &d); err != nil {
			t.Fatal(err)
		}
		if handled[[2]string{id, stage}] > d {
			afterCommit++
		}
	}
	mu.Unlock()
	rows.Close()
	mu.Lock()
	p50, pmax := percentile(ready, 0.5), percentile(ready, 1)
	mu.Unlock()
	figures(t, "kill", "dossiers", o.Submitted, "kills", done, "finished", o.Done+o.Failed, "dead_lettered", o.DeadLettered,
		"lost", o.Lost(), "duplicated", o.Duplicated(), "redelivered_after_commit", afterCommit,
		"restart_to_consuming_p50", p50, "restart_to_consuming_max", pmax,
		"drain_after_last_kill", time.Since(lastKill), "settle_wait", drain, "elapsed", elapsed)
	checkOutcome(t, o)
	if o.Submitted != n {
		t.Errorf("%d of %d submissions acknowledged", o.Submitted, n)
	}
}
