package trigger

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
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

// expiring lists the valid records of the given types that expire within
// window days and were not replaced by a newer record of the same type.
func (e *Engine) expiring(ctx context.Context, now time.Time, window int, windows map[string]int) ([]Event, error) {
	types := slices.Sorted(maps.Keys(windows))
	y, m, d := now.In(vn).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	rows, err := e.Pool.Query(ctx, `SELECT r.id, r.owner_id, r.doc_type, r.title, r.valid_until, coalesce(r.source_dossier, ''),
			coalesce((SELECT agency FROM dossiers WHERE id = r.source_dossier), '')
		FROM vault_records r
		WHERE r.revoked_at IS NULL AND r.doc_type = ANY($1) AND r.valid_until >= $2::date AND r.valid_until <= $3::date
		  AND NOT EXISTS (SELECT 1 FROM vault_records n WHERE n.owner_id = r.owner_id AND n.doc_type = r.doc_type
		                  AND n.revoked_at IS NULL AND (n.valid_until IS NULL OR n.valid_until > r.valid_until))
		ORDER BY r.valid_until, r.id`, types, today, today.AddDate(0, 0, window))
	if err != nil {
		return nil, fmt.Errorf("expiring records: %w", err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var id, owner, typ, title, src, agency string
		var until time.Time
		if err := r.Scan(&id, &owner, &typ, &title, &until, &src, &agency); err != nil {
			return Event{}, err
		}
		left := int(until.Sub(today).Hours() / 24)
		return Event{
			ID: "expiring:" + id + ":" + until.Format("2006-01-02"), Kind: KindDocumentExpiring, CitizenID: owner, Agency: agency,
			OccurredAt: now, Origin: "scheduler",
			Data: map[string]string{"record_id": id, "doc_type": typ, "document_name": title,
				"valid_until": until.Format("2006-01-02"), "days_left": strconv.Itoa(left)},
		}, nil
	})
	if err != nil {
		return nil, err
	}
	out := evs[:0]
	for _, ev := range evs {
		if left, _ := strconv.Atoi(ev.Data["days_left"]); left <= windows[ev.Data["doc_type"]] {
			out = append(out, ev)
		}
	}
	return out, nil
}

// incomplete lists pre-checked dossiers that have waited at least after
// days with required papers missing, with the list of what is missing.
func (e *Engine) incomplete(ctx context.Context, now time.Time, after int) ([]Event, error) {
	rows, err := e.Pool.Query(ctx, `SELECT d.id, d.applicant_id, d.procedure_code, d.agency, d.stage_since,
			array_agg(f.key ORDER BY f.key), array_agg(f.requirement ORDER BY f.key)
		FROM dossiers d JOIN findings f ON f.dossier_id = d.id AND f.kind = 'completeness' AND f.status = 'missing'
		WHERE d.status = 'prechecked' AND d.stage_since <= $1
		GROUP BY d.id ORDER BY d.stage_since, d.id`, now.AddDate(0, 0, -after))
	if err != nil {
		return nil, fmt.Errorf("incomplete dossiers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var id, applicant, code, agency string
		var since time.Time
		var keys, names []string
		if err := r.Scan(&id, &applicant, &code, &agency, &since, &keys, &names); err != nil {
			return Event{}, err
		}
		days := int(now.Sub(since).Hours() / 24)
		list := make([]string, len(names))
		for i, n := range names {
			list[i] = fmt.Sprintf("(%d) %s", i+1, strings.TrimSuffix(strings.TrimSpace(n), "."))
		}
		return Event{
			ID: "incomplete:" + id, Kind: KindDossierIncomplete, CitizenID: applicant, DossierID: id, ProcedureCode: code,
			Agency: agency, OccurredAt: now, Origin: "scheduler",
			Data: map[string]string{"days_incomplete": strconv.Itoa(days), "missing": strings.Join(list, "; "),
				"missing_keys": strings.Join(keys, ",")},
		}, nil
	})
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
