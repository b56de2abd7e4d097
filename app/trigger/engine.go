package trigger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
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
