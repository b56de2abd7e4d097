package trigger

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ScanReport counts what a scheduler pass did.
type ScanReport struct {
	Expiring   int `json:"expiring"`   // document_expiring events found
	Incomplete int `json:"incomplete"` // dossier_incomplete events found
	Pending    int `json:"pending"`    // recorded events processed (outbox)
	Drafted    int `json:"drafted"`    // new suggestions
}

// Scan is the scheduler pass for the time-based rules: it turns vault
// records that expire within a rule's window into document_expiring events
// and pre-checked dossiers that still lack papers after a rule's delay into
// dossier_incomplete events, then processes every recorded event not yet
// processed. Event ids are stable (record and expiry date; dossier), so
// running Scan again drafts nothing twice.
func (e *Engine) Scan(ctx context.Context) (ScanReport, error) {
	var rep ScanReport
	now := e.now()
	window, types := 0, map[string]int{} // longest window of each document type
	after := 0
	for _, r := range e.Rules.Rules {
		if slices.Contains(r.On, KindDocumentExpiring) {
			window = max(window, r.WithinDays)
			for _, t := range r.Match.DocTypes {
				types[t] = max(types[t], r.WithinDays)
			}
		}
		if slices.Contains(r.On, KindDossierIncomplete) && (after == 0 || r.AfterDays < after) {
			after = r.AfterDays
		}
	}
	var evs []Event
	if window > 0 {
		x, err := e.expiring(ctx, now, window, types)
		if err != nil {
			return rep, err
		}
		rep.Expiring = len(x)
		evs = append(evs, x...)
	}
	if after > 0 {
		x, err := e.incomplete(ctx, now, after)
		if err != nil {
			return rep, err
		}
		rep.Incomplete = len(x)
		evs = append(evs, x...)
	}
	for _, ev := range evs {
		ds, err := e.Handle(ctx, ev)
		if err != nil {
			return rep, fmt.Errorf("scheduled event %s: %w", ev.ID, err)
		}
		for _, d := range ds {
			if d.Created {
				rep.Drafted++
			}
		}
	}
	n, err := e.ProcessPending(ctx, 500)
	rep.Pending = n
	return rep, err
}

var vn = time.FixedZone("ICT", 7*3600)

// Run calls Scan every interval until ctx ends (the scheduler's own
// ticker; the service starts it).
func (e *Engine) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Hour
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if rep, err := e.Scan(ctx); err != nil && ctx.Err() == nil {
			e.log().Warn("trigger scan", "err", err)
		} else if rep.Drafted > 0 {
			e.log().Info("trigger scan", "drafted", rep.Drafted, "expiring", rep.Expiring, "incomplete", rep.Incomplete)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
