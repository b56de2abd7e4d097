package drills_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/internal/broker"
)

// TestDrillDuplicates sends the same submission five times inside the
// de-duplication window and once after it, at both layers: the API's
// idempotency key (PostgreSQL unique) and the stage message id (JetStream
// Nats-Msg-Id). One dossier, one intake message, one set of effects.
func TestDrillDuplicates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t, rigOptions{})
	window := time.Second

	t.Run("IdempotencyKey", func(t *testing.T) {
		req := r.request(0, "khai-sinh-day-du")
		var ids []string
		for i := range 6 {
			if i == 5 {
				time.Sleep(window + 200*time.Millisecond) // after any window: the key is forever
			}
			res, err := r.Sub.Submission.Submit(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if (i == 0) != res.Created {
				t.Errorf("submission %d: created = %v", i+1, res.Created)
			}
			ids = append(ids, res.DossierID)
		}
		for _, id := range ids[1:] {
			if id != ids[0] {
				t.Fatalf("one submission gave dossiers %v", ids)
			}
		}
		var n int
		if err := r.Pool.QueryRow(ctx, `SELECT count(*) FROM dossiers WHERE idempotency_key = $1`, req.IdempotencyKey).Scan(&n); err != nil || n != 1 {
			t.Fatalf("dossiers with the key = %d (%v), want 1", n, err)
		}
		// Intake got one message for it despite six submissions.
		if got := countMsgs(t, r.Sub.Broker, r.Sub.Broker.Names.StageSubject("intake"), ids[0]); got != 1 {
			t.Fatalf("intake messages for the dossier = %d, want 1", got)
		}
		figures(t, "duplicates-api", "submissions", 6, "dossiers", n, "intake_messages", 1)
	})

	t.Run("MsgIDWindow", func(t *testing.T) {
		// A stream with a short duplicate window stands in for the work
		// stream's 10 minutes.
		js := r.Sub.Broker.JS
		name := r.Prefix + "_DUPWIN"
		subj := r.Prefix + ".dupwin.intake"
		if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{subj},
			Duplicates: window, Storage: jetstream.FileStorage}); err != nil {
			t.Fatal(err)
		}
		id := "HS-dup:intake:0"
		var dupes int
		for i := range 6 {
			if i == 5 {
				time.Sleep(window + 500*time.Millisecond)
			}
			m := nats.NewMsg(subj)
			m.Data = []byte(`{"dossier_id":"HS-dup","stage":"intake","attempt":0}`)
			ack, err := js.PublishMsg(ctx, m, jetstream.WithMsgID(id))
			if err != nil {
				t.Fatal(err)
			}
			if ack.Duplicate {
				dupes++
			}
		}
		st, _ := js.Stream(ctx, name)
		info, err := st.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Inside the window: 1 stored, 4 reported as duplicates. After it:
		// JetStream stores it again, and the stage inbox (stage_runs) is
		// what keeps the effects single — see TestDrillKill.
		if info.State.Msgs != 2 || dupes != 4 {
			t.Fatalf("stored %d, duplicates %d; want 2 stored (one per window), 4 duplicates", info.State.Msgs, dupes)
		}
		if broker.DedupWindow < 2*time.Minute {
			t.Errorf("work stream dedup window %s is shorter than a reconciler pass", broker.DedupWindow)
		}
		figures(t, "duplicates-msgid", "publications", 6, "stored_inside_window", 1, "dropped_as_duplicate", dupes,
			"stored_after_window", int(info.State.Msgs)-1)
	})

	t.Run("RedeliveredStagesWriteOnce", func(t *testing.T) {
		// The same stage message for a finished dossier, delivered again
		// after the JetStream window (new attempt → new message id), must
		// not add effects: the full pipeline runs in a worker process.
		w := r.startWorker(t, nil)
		<-w.ready
		res, err := r.submitRetry(ctx, r.request(1, "khai-sinh-thieu-giay-chung-sinh"))
		if err != nil {
			t.Fatal(err)
		}
		o, _ := r.waitSettled([]string{res.DossierID}, 2*time.Minute)
		checkOutcome(t, o)
		before := effects(t, r, res.DossierID)
		for range 2 {
			if _, err := r.Sub.Store.Touch(ctx, res.DossierID, true); err != nil { // a new attempt: a new Nats-Msg-Id
				t.Fatal(err)
			}
			for _, stg := range []string{"intake", "extract", "classify", "check", "suggest"} {
				if err := r.Sub.Publisher.PublishStage(ctx, res.DossierID, stg); err != nil {
					t.Fatal(err)
				}
			}
		}
		waitConsumersIdle(t, r)
		after := effects(t, r, res.DossierID)
		if before != after {
			t.Fatalf("effects changed on redelivery: %v → %v", before, after)
		}
		o = r.outcome(ctx, []string{res.DossierID})
		checkOutcome(t, o)
		figures(t, "duplicates-redelivery", "republished_stage_messages", 10, "new_effects", 0)
	})
}

func countMsgs(t *testing.T, b *broker.Broker, subject, dossierID string) int {
	t.Helper()
	ctx := context.Background()
	c, err := b.JS.OrderedConsumer(ctx, b.Names.WorkStream(), jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		batch, err := c.Fetch(100, jetstream.FetchMaxWait(300*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for m := range batch.Messages() {
			got++
			if m.Headers().Get("Hoso-Dossier-Id") == dossierID {
				n++
			}
		}
		if got == 0 {
			return n
		}
	}
}

type effectCounts struct{ Runs, Findings, Suggestions, Documents int }

func effects(t *testing.T, r *rig, id string) effectCounts {
	t.Helper()
	var e effectCounts
	err := r.Pool.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM stage_runs WHERE dossier_id = $1),
		(SELECT count(*) FROM findings WHERE dossier_id = $1),
		(SELECT count(*) FROM suggestions WHERE dossier_id = $1),
		(SELECT count(*) FROM documents WHERE dossier_id = $1)`, id).Scan(&e.Runs, &e.Findings, &e.Suggestions, &e.Documents)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// waitConsumersIdle waits until every stage consumer has delivered and had
// acknowledged everything.
func waitConsumersIdle(t *testing.T, r *rig) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		idle := true
		for _, c := range broker.Consumers {
			cons, err := r.Sub.Broker.Consumer(ctx, c.Stage)
			if err != nil {
				t.Fatal(err)
			}
			info, err := cons.Info(ctx)
			if err != nil || info.NumPending > 0 || info.NumAckPending > 0 {
				idle = false
			}
		}
		if idle {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("consumers still busy after 2 minutes")
}
