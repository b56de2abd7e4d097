package workers

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

func TestWatchdogCheck(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	cases := []struct {
		name        string
		pending     uint64
		ackPending  int
		maxAck      int
		received    []uint64 // this process's receipts at each check, 10s apart
		wantRestart bool
	}{
		{"StalledWithBacklog", 50, 0, 64, []uint64{7, 7, 7, 7}, true},
		{"ProgressingIsLeftAlone", 50, 3, 64, []uint64{7, 8, 9, 10}, false},
		{"NothingPendingIsIdleNotStalled", 0, 0, 64, []uint64{7, 7, 7, 7}, false},
		{"SaturatedWaitsForAcks", 50, 64, 64, []uint64{7, 7, 7, 7}, false},
		{"ShortIdleIsNotAStall", 50, 0, 64, []uint64{7, 7}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			i, restarts := 0, 0
			w := &Watchdog{Stage: "extract", StallAfter: 25 * time.Second,
				Received: func() uint64 { return c.received[i] },
				Info: func(context.Context) (*jetstream.ConsumerInfo, error) {
					return &jetstream.ConsumerInfo{NumPending: c.pending, NumAckPending: c.ackPending,
						Config: jetstream.ConsumerConfig{MaxAckPending: c.maxAck}}, nil
				},
				Restart: func(context.Context) error { restarts++; return nil },
			}
			for i = range c.received {
				_, _ = w.Check(context.Background(), t0.Add(time.Duration(i)*10*time.Second))
			}
			if got := restarts > 0; got != c.wantRestart {
				t.Fatalf("restarted %d times, want restart = %v", restarts, c.wantRestart)
			}
			if w.Restarts.Load() != int64(restarts) {
				t.Fatalf("Restarts = %d, restart calls %d", w.Restarts.Load(), restarts)
			}
		})
	}
}
