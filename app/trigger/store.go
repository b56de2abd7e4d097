package trigger

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// Respond records the citizen's answer (accepted or declined) to inbox item
// itemID, acting as actor ("citizen:<id>" or a portal integration). An
// acceptance of a prompt that proposes a procedure creates a pre-filled
// draft dossier from the vault. Answering the same way twice is idempotent;
// changing an answer is a conflict (every response is kept).
func (c *Consent) Respond(ctx context.Context, citizenID string, itemID int64, response, actor string) (Answer, error) {
	if response != ResponseAccepted && response != ResponseDeclined {
		return Answer{}, dossier.Errorf(dossier.CodeInvalid, "câu trả lời %q không hợp lệ (response must be accepted or declined)", response)
	}
	row, err := c.item(ctx, c.Pool, citizenID, itemID, false)
	if err != nil {
		return Answer{}, err
	}
	var draft *DraftInfo
	if response == ResponseAccepted && row.procedure != "" {
		// Reads (catalog, vault) happen before the transaction.
		if draft, err = c.prefill(ctx, citizenID, row.procedure, row.subjectName, row.subjectID); err != nil {
			return Answer{}, err
		}
		draft.DossierID = DraftDossierID(row.suggestion)
	}
	ans := Answer{InboxID: itemID, SuggestionID: row.suggestion, Response: response, RuleID: row.rule, Draft: draft}
	err = pgx.BeginFunc(ctx, c.Pool, func(tx pgx.Tx) error {
		row, err := c.item(ctx, tx, citizenID, itemID, true)
		if err != nil {
			return err
		}
		if row.response != nil {
			if *row.response != response {
				return dossier.Errorf(dossier.CodeConflict, "đã trả lời %s cho mục này (already answered %s)", *row.response, *row.response)
			}
			ans.Already = true
			return nil
		}
		now := time.Now().UTC()
		var draftID any
		if draft != nil {
			draftID = draft.DossierID
			meta, _ := json.Marshal(map[string]any{"draft": true, "from_suggestion": row.suggestion, "rule": row.rule,
				"prefill": draft.Prefill, "vault_records": draft.Reused, "to_provide": draft.ToProvide})
			if _, err := tx.Exec(ctx, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage, metadata)
				VALUES ($1, $2, $3, $4, $5, 'draft', 'intake', $6) ON CONFLICT (id) DO NOTHING`,
				draft.DossierID, draft.ProcedureCode, citizenID, row.agency, now, meta); err != nil {
				return fmt.Errorf("create draft dossier: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO citizen_responses (inbox_id, citizen_id, response, actor, draft_dossier, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			itemID, citizenID, response, actor, draftID, now); err != nil {
			return fmt.Errorf("record response: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE citizen_inbox SET response = $2, responded_at = $3 WHERE id = $1`, itemID, response, now); err != nil {
			return fmt.Errorf("record response: %w", err)
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "citizen." + response, Entity: "suggestion", EntityID: row.suggestion,
			After: map[string]any{"inbox_id": itemID, "response": response, "draft_dossier": draftID}})
	})
	if err != nil {
		return Answer{}, err
	}
	if ans.Already {
		ans.Draft = nil
		var d string
		if err := c.Pool.QueryRow(ctx, `SELECT coalesce(draft_dossier, '') FROM citizen_responses WHERE inbox_id = $1`, itemID).Scan(&d); err == nil && d != "" && draft != nil {
			draft.DossierID = d
			ans.Draft = draft
		}
		return ans, nil
	}
	responseTotal.WithLabelValues(row.rule, response).Inc()
	if c.Log != nil {
		c.Log.Info("citizen responded", "suggestion", row.suggestion, "response", response, "rule", row.rule)
	}
	return ans, nil
}

func (c *Consent) item(ctx context.Context, q querier, citizenID string, itemID int64, lock bool) (inboxRow, error) {
	var r inboxRow
	sql := `SELECT i.citizen_id, i.suggestion_id, s.dossier_id, d.agency, coalesce(t.rule_id, ''), coalesce(t.procedure_code, ''), i.response,
		coalesce(d.metadata->>'subject_name', ''), coalesce(d.metadata->>'subject_id', '')
		FROM citizen_inbox i JOIN suggestions s ON s.id = i.suggestion_id JOIN dossiers d ON d.id = s.dossier_id
		LEFT JOIN trigger_suggestions t ON t.suggestion_id = i.suggestion_id
		WHERE i.id = $1 AND i.citizen_id = $2`
	if lock {
		sql += ` FOR UPDATE OF i`
	}
	err := q.QueryRow(ctx, sql, itemID, citizenID).Scan(&r.citizen, &r.suggestion, &r.dossierID, &r.agency, &r.rule, &r.procedure, &r.response, &r.subjectName, &r.subjectID)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy mục %d trong hộp thư của công dân %s (inbox item not found)", itemID, citizenID)
	}
	if err != nil {
		return r, fmt.Errorf("read inbox item %d: %w", itemID, err)
	}
	return r, nil
}

// Handle records ev (once, by id) and runs the rules on it, writing each
// drafted suggestion as pending_review. Handling the same event again
// drafts nothing new and returns the same suggestions with Created=false.
func (e *Engine) Handle(ctx context.Context, ev Event) ([]Drafted, error) {
	if err := ev.Validate(); err != nil {
		return nil, err
	}
	if ev.Origin == "" {
		ev.Origin = "nats"
	}
	data, _ := json.Marshal(nonNilM(ev.Data))
	var did any
	if ev.DossierID != "" {
		did = ev.DossierID
	}
	_, err := e.Pool.Exec(ctx, `INSERT INTO trigger_events (id, kind, citizen_id, subject_id, dossier_id, procedure_code, agency, occurred_at, data, origin)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
		ev.ID, ev.Kind, ev.CitizenID, ev.SubjectID, did, ev.ProcedureCode, ev.Agency, ev.OccurredAt, data, ev.Origin)
	if err != nil {
		return nil, fmt.Errorf("record event %s: %w", ev.ID, err)
	}
	return e.process(ctx, ev)
}

// process drafts ev's suggestions and marks it processed.
func (e *Engine) process(ctx context.Context, ev Event) ([]Drafted, error) {
	type draft struct {
		rule *Rule
		sg   Suggest
		view View
	}
	var drafts []draft
	for i := range e.Rules.Rules {
		r := &e.Rules.Rules[i]
		if !r.matches(ev) {
			continue
		}
		for _, sg := range r.Suggest {
			if !dataMatches(sg.When, ev.Data) {
				continue
			}
			v, err := e.view(ctx, ev, sg)
			if err != nil {
				return nil, err
			}
			drafts = append(drafts, draft{r, sg, v})
		}
	}
	var out []Drafted
	err := pgx.BeginFunc(ctx, e.Pool, func(tx pgx.Tx) error {
		out = out[:0]
		var processed *time.Time
		if err := tx.QueryRow(ctx, `SELECT processed_at FROM trigger_events WHERE id = $1 FOR UPDATE`, ev.ID).Scan(&processed); err != nil {
			return fmt.Errorf("lock event %s: %w", ev.ID, err)
		}
		for _, d := range drafts {
			x, err := e.write(ctx, tx, ev, d.rule, d.sg, d.view)
			if err != nil {
				return err
			}
			out = append(out, x)
		}
		_, err := tx.Exec(ctx, `UPDATE trigger_events SET processed_at = coalesce(processed_at, now()), suggestions = $2 WHERE id = $1`, ev.ID, len(out))
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, d := range out {
		if d.Created {
			madeTotal.WithLabelValues(d.RuleID).Inc()
			e.log().Info("proactive suggestion drafted", "rule", d.RuleID, "event", ev.ID, "dossier_id", d.DossierID, "suggestion", d.SuggestionID)
		}
	}
	return out, nil
}

func (e *Engine) write(ctx context.Context, tx pgx.Tx, ev Event, r *Rule, sg Suggest, v View) (Drafted, error) {
	text, err := render(sg.text, v)
	if err != nil {
		return Drafted{}, fmt.Errorf("rule %s text: %w", r.ID, err)
	}
	textEN, err := render(sg.textEN, v)
	if err != nil {
		return Drafted{}, fmt.Errorf("rule %s text_en: %w", r.ID, err)
	}
	why, err := render(sg.rationale, v)
	if err != nil {
		return Drafted{}, fmt.Errorf("rule %s rationale: %w", r.ID, err)
	}
	if sg.Basis != nil {
		unit := fmt.Sprintf("Điều %d", sg.Basis.Article)
		if sg.Basis.Clause > 0 {
			unit = fmt.Sprintf("khoản %d %s", sg.Basis.Clause, unit)
		}
		text += fmt.Sprintf(" Căn cứ: %s %s: “%s”", unit, sg.Basis.Document, strings.TrimSpace(sg.Basis.Text))
	}
	why += " [rule " + r.ID + "]"
	dossierID := ev.DossierID
	if dossierID == "" {
		dossierID = ProactiveDossierID(ev.ID)
		agency := ev.Agency
		if agency == "" {
			agency = e.DefaultAgency
		}
		meta, _ := json.Marshal(map[string]any{"event_id": ev.ID, "event_kind": ev.Kind, "subject_id": ev.SubjectID, "subject_name": ev.SubjectName})
		// A proactive case is never processed: stage done, status proactive.
		if _, err := tx.Exec(ctx, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage, metadata)
			VALUES ($1, $2, $3, $4, $5, 'proactive', 'done', $6) ON CONFLICT (id) DO NOTHING`,
			dossierID, sg.Procedure, ev.CitizenID, agency, ev.OccurredAt, meta); err != nil {
			return Drafted{}, fmt.Errorf("create proactive case for %s: %w", ev.ID, err)
		}
	}
	key := "trigger:" + r.ID + ":" + sg.Kind + ":" + sg.Procedure
	if ev.DossierID == "" || ev.Kind == KindDossierIncomplete {
		key += ":" + ev.ID
	}
	id := store.SuggestionID(dossierID, key)
	// No conflict target: the id derives from (dossier, key), so two passes
	// drafting the same suggestion at once may collide on either index.
	tag, err := tx.Exec(ctx, `INSERT INTO suggestions (id, dossier_id, key, citizen_id, kind, text, text_en, rationale, risk, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending_review') ON CONFLICT DO NOTHING`,
		id, dossierID, key, ev.CitizenID, sg.Kind, text, textEN, why, sg.Risk)
	if err != nil {
		return Drafted{}, fmt.Errorf("draft suggestion %s: %w", key, err)
	}
	created := tag.RowsAffected() == 1
	if _, err := tx.Exec(ctx, `INSERT INTO trigger_suggestions (suggestion_id, rule_id, event_id, citizen_id, procedure_code)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (suggestion_id) DO NOTHING`, id, r.ID, ev.ID, ev.CitizenID, sg.Procedure); err != nil {
		return Drafted{}, fmt.Errorf("tie suggestion %s to rule %s: %w", id, r.ID, err)
	}
	return Drafted{SuggestionID: id, DossierID: dossierID, RuleID: r.ID, Kind: sg.Kind, Procedure: sg.Procedure,
		Text: text, Rationale: why, Created: created}, nil
}

// ProcessPending runs the rules on recorded events not yet processed (the
// outbox that dossier acceptance writes, or events whose first attempt
// failed). It returns how many events it processed.
func (e *Engine) ProcessPending(ctx context.Context, limit int) (int, error) {
	rows, err := e.Pool.Query(ctx, `SELECT id, kind, citizen_id, subject_id, coalesce(dossier_id, ''), procedure_code, agency, occurred_at, data, origin
		FROM trigger_events WHERE processed_at IS NULL ORDER BY received_at, id LIMIT $1`, limit)
	if err != nil {
		return 0, fmt.Errorf("pending events: %w", err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var ev Event
		var data []byte
		err := r.Scan(&ev.ID, &ev.Kind, &ev.CitizenID, &ev.SubjectID, &ev.DossierID, &ev.ProcedureCode, &ev.Agency, &ev.OccurredAt, &data, &ev.Origin)
		if err == nil {
			ev.Data = decodeData(data)
		}
		return ev, err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ev := range evs {
		if _, err := e.process(ctx, ev); err != nil {
			return n, fmt.Errorf("process event %s: %w", ev.ID, err)
		}
		n++
	}
	return n, nil
}

// HandleStored processes one recorded event by id (after Accept wrote it).
func (e *Engine) HandleStored(ctx context.Context, id string) ([]Drafted, error) {
	var ev Event
	var data []byte
	err := e.Pool.QueryRow(ctx, `SELECT id, kind, citizen_id, subject_id, coalesce(dossier_id, ''), procedure_code, agency, occurred_at, data, origin
		FROM trigger_events WHERE id = $1`, id).Scan(&ev.ID, &ev.Kind, &ev.CitizenID, &ev.SubjectID, &ev.DossierID, &ev.ProcedureCode, &ev.Agency, &ev.OccurredAt, &data, &ev.Origin)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy sự kiện %s (event not found)", id)
	}
	if err != nil {
		return nil, err
	}
	ev.Data = decodeData(data)
	return e.process(ctx, ev)
}

// Stats reads the trigger_rule_stats view, most rejected first.
func Stats(ctx context.Context, pool *pgxpool.Pool) ([]RuleStats, error) {
	rows, err := pool.Query(ctx, `SELECT rule_id, made, pending, approved, rejected, accepted, declined FROM trigger_rule_stats
		ORDER BY rejected DESC, made DESC, rule_id`)
	if err != nil {
		return nil, fmt.Errorf("rule stats: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RuleStats, error) {
		var s RuleStats
		err := r.Scan(&s.RuleID, &s.Made, &s.Pending, &s.Approved, &s.Rejected, &s.Accepted, &s.Declined)
		return s, err
	})
	if out == nil {
		out = []RuleStats{}
	}
	return out, err
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
