package trigger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// Event is a life event. Other systems publish it as JSON on
// <prefix>.events.<kind>; ID is its idempotency key.
type Event struct {
	ID            string            `json:"id"`
	Kind          string            `json:"kind"`
	CitizenID     string            `json:"citizen_id"`           // whom hoso may prompt
	SubjectID     string            `json:"subject_id,omitempty"` // who it is about (the child, the business)
	SubjectName   string            `json:"subject_name,omitempty"`
	DossierID     string            `json:"dossier_id,omitempty"`
	ProcedureCode string            `json:"procedure_code,omitempty"`
	Agency        string            `json:"agency,omitempty"`
	OccurredAt    time.Time         `json:"occurred_at"`
	Data          map[string]string `json:"data,omitempty"`
	Origin        string            `json:"origin,omitempty"` // nats | hoso | scheduler | api
}

// Validate checks what every event must carry.
func (e *Event) Validate() error {
	e.ID, e.Kind, e.CitizenID = strings.TrimSpace(e.ID), strings.TrimSpace(e.Kind), strings.TrimSpace(e.CitizenID)
	switch {
	case e.ID == "":
		return dossier.Errorf(dossier.CodeInvalid, "sự kiện thiếu id (event id is required)")
	case !slices.Contains(Kinds, e.Kind):
		return dossier.Errorf(dossier.CodeInvalid, "loại sự kiện %q không hỗ trợ (unknown event kind; kinds: %s)", e.Kind, strings.Join(Kinds, ", "))
	case e.CitizenID == "":
		return dossier.Errorf(dossier.CodeInvalid, "sự kiện thiếu citizen_id (citizen_id is required)")
	}
	if e.OccurredAt.IsZero() {
		e.OccurredAt = time.Now().UTC()
	}
	return nil
}

type procedures interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
}

// Engine evaluates the rules against events and writes draft suggestions.
// It is safe for concurrent use.
type Engine struct {
	Pool       *pgxpool.Pool
	Rules      *Rules
	Procedures procedures // nil: suggestions name procedures by code only
	// DefaultAgency receives proactive cases of events that carry no
	// agency (the officials who approve them).
	DefaultAgency string
	Log           *slog.Logger
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) log() *slog.Logger {
	if e.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Log
}

// Drafted is one suggestion an event produced.
type Drafted struct {
	SuggestionID string `json:"suggestion_id"`
	DossierID    string `json:"dossier_id"`
	RuleID       string `json:"rule_id"`
	Kind         string `json:"kind"`
	Procedure    string `json:"procedure,omitempty"`
	Text         string `json:"text"`
	Rationale    string `json:"rationale"`
	Created      bool   `json:"created"`
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

func (r *Rule) matches(ev Event) bool {
	if !slices.Contains(r.On, ev.Kind) {
		return false
	}
	// Procedures filter events that come from a procedure (an accepted
	// dossier); a registry's birth event carries none.
	if len(r.Match.Procedures) > 0 && (ev.ProcedureCode != "" || ev.Kind == KindDossierAccepted) &&
		!slices.Contains(r.Match.Procedures, ev.ProcedureCode) {
		return false
	}
	if len(r.Match.DocTypes) > 0 && !slices.Contains(r.Match.DocTypes, ev.Data["doc_type"]) {
		return false
	}
	if ev.Kind == KindDocumentExpiring {
		left, err := strconv.Atoi(ev.Data["days_left"])
		if err != nil || left > r.WithinDays {
			return false
		}
	}
	if ev.Kind == KindDossierIncomplete {
		days, err := strconv.Atoi(ev.Data["days_incomplete"])
		if err != nil || days < r.AfterDays {
			return false
		}
	}
	for k, v := range r.Match.Unless {
		if ev.Data[k] == v {
			return false
		}
	}
	return dataMatches(r.Match.Data, ev.Data)
}

func dataMatches(want, got map[string]string) bool {
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

func (e *Engine) view(ctx context.Context, ev Event, sg Suggest) (View, error) {
	v := View{Citizen: ev.CitizenID, Subject: ev.SubjectName, ProcedureCode: sg.Procedure, Event: ev.Kind + " " + ev.ID,
		SourceDossier: ev.DossierID, Data: nonNilM(ev.Data), DocumentName: ev.Data["document_name"]}
	if exp := ev.Data["valid_until"]; exp != "" {
		if t, err := time.Parse("2006-01-02", exp); err == nil {
			v.ExpiryDate = t.Format("02/01/2006")
		}
	}
	v.DaysLeft, _ = strconv.Atoi(ev.Data["days_left"])
	code := sg.Procedure
	if code == "" && ev.Kind == KindDossierIncomplete {
		code = ev.ProcedureCode
	}
	if code != "" && e.Procedures != nil {
		p, err := e.Procedures.Get(ctx, code, e.now())
		switch {
		case err == nil:
			v.ProcedureName, v.Agency = p.Name, p.Agency
			if p.ProcessingDays > 0 {
				v.Days = strconv.FormatFloat(p.ProcessingDays, 'f', -1, 64)
			}
		case dossier.ErrorCode(err) == dossier.CodeNotFound:
		default:
			return v, err
		}
	}
	if v.ProcedureName == "" {
		v.ProcedureName = "thủ tục " + code
	}
	if ev.Kind == KindDossierIncomplete {
		v.Missing, v.MissingCount = ev.Data["missing"], len(strings.Split(ev.Data["missing_keys"], ","))
		if ev.Data["missing_keys"] == "" {
			v.MissingCount = 0
		}
	}
	return v, nil
}

// ProactiveDossierID is the id of the case that holds the suggestions of an
// event that came with no dossier (a registry's birth, an expiring card):
// suggestions need a dossier, and the officials' queue lists cases.
func ProactiveDossierID(eventID string) string {
	h := sha256.Sum256([]byte(eventID))
	return "pv-" + hex.EncodeToString(h[:])[:16]
}

// StatusProactive is the status of a proactive case: it is never published
// to the pipeline.
const StatusProactive = "proactive"

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

// decodeData reads an event's data, keeping only string-able values.
func decodeData(b []byte) map[string]string {
	var raw map[string]any
	_ = json.Unmarshal(b, &raw)
	out := map[string]string{}
	for k, v := range raw {
		switch x := v.(type) {
		case string:
			out[k] = x
		case float64:
			out[k] = strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			out[k] = strconv.FormatBool(x)
		}
	}
	return out
}

func nonNilM(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}
