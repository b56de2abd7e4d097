package workers

import (
	"context"
	"log/slog"
	"time"

	"github.com/hoso-vn/hoso/internal/store"
)

// stuckFinder lists and re-arms dossiers that wait in a stage too long.
type stuckFinder interface {
	StuckDossiers(ctx context.Context, cutoff time.Time, limit int) ([]store.Stuck, error)
	Touch(ctx context.Context, id string, bump bool) (int, error)
}

// relay publishes approved notifications that are not yet published.
type relay interface {
	Relay(ctx context.Context) (int, error)
}

// Reconciler makes sure no dossier silently stalls: PostgreSQL is the
// record, so a dossier whose stage message was lost (a broker failure, a
// crash between commit and publish, a message that JetStream dropped) is
// found by its age in the stage and published again.
type Reconciler struct {
	Store      stuckFinder
	Publisher  *Publisher
	Relay      relay
	StuckAfter time.Duration
	Interval   time.Duration
	Log        *slog.Logger
}

// RunOnce re-publishes every stuck dossier and relays notifications; it
// returns how many dossiers it re-published.
func (r *Reconciler) RunOnce(ctx context.Context) (int, error) {
	stuck, err := r.Store.StuckDossiers(ctx, time.Now().Add(-r.StuckAfter), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range stuck {
		// A new attempt number gives the message a new de-duplication id.
		if _, err := r.Store.Touch(ctx, s.ID, true); err != nil {
			return n, err
		}
		if err := r.Publisher.PublishStage(ctx, s.ID, s.Stage); err != nil {
			return n, err
		}
		n++
		if r.Log != nil {
			r.Log.Warn("re-published stuck dossier", "dossier_id", s.ID, "stage", s.Stage, "waited", time.Since(s.Since).Round(time.Second))
		}
	}
	if r.Relay != nil {
		if _, err := r.Relay.Relay(ctx); err != nil && r.Log != nil {
			r.Log.Warn("relay notifications", "err", err)
		}
	}
	return n, nil
}

// Run calls RunOnce every Interval until ctx ends.
func (r *Reconciler) Run(ctx context.Context) {
	iv := r.Interval
	if iv <= 0 {
		iv = 30 * time.Second
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := r.RunOnce(ctx); err != nil && ctx.Err() == nil && r.Log != nil {
			r.Log.Warn("reconcile", "err", err)
		}
	}
}
