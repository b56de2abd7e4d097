package trigger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vault"
)

// Citizens' responses.
const (
	ResponseAccepted = "accepted"
	ResponseDeclined = "declined"
)

// StatusDraft is the status of a dossier that hoso pre-filled for a citizen
// who accepted a prompt. A draft is never published to the pipeline; the
// citizen checks it and submits it with the papers that are not held.
const StatusDraft = "draft"

// DraftDossierID is the id of the draft started by accepting suggestionID,
// so that accepting twice starts one draft.
func DraftDossierID(suggestionID string) string {
	h := sha256.Sum256([]byte(suggestionID))
	return "hs-draft-" + hex.EncodeToString(h[:])[:16]
}

// Consent records citizens' answers to approved prompts.
type Consent struct {
	Pool       *pgxpool.Pool
	Vault      *vault.Store
	Procedures procedures // nil: drafts carry no requirement pre-fill
	Log        *slog.Logger
}

// Answer is the outcome of a response.
type Answer struct {
	InboxID      int64      `json:"inbox_id"`
	SuggestionID string     `json:"suggestion_id"`
	Response     string     `json:"response"`
	RuleID       string     `json:"rule_id,omitempty"`
	Draft        *DraftInfo `json:"draft,omitempty"`
	// Already reports that the same answer had been recorded before.
	Already bool `json:"already"`
}

// DraftInfo describes the pre-filled draft dossier.
type DraftInfo struct {
	DossierID     string            `json:"dossier_id"`
	ProcedureCode string            `json:"procedure_code"`
	Prefill       map[string]string `json:"prefill"`
	// Reused maps requirement keys to the vault records that satisfy them:
	// the citizen does not provide those again.
	Reused map[string]string `json:"reused"`
	// ToProvide lists the requirements the citizen still has to provide.
	ToProvide []string `json:"to_provide"`
}

type inboxRow struct {
	citizen, suggestion, dossierID, agency, rule, procedure string
	subjectName, subjectID                                  string // whom the event is about (the child, the business)
	response                                                *string
}

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

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
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

// prefill builds a draft of procedure code for citizenID: which
// requirements the vault satisfies and the fields its records carry. The
// event's subject (the child just born, the business) is whom the draft is
// about: a record about anyone else is not reused.
func (c *Consent) prefill(ctx context.Context, citizenID, code, subjectName, subjectID string) (*DraftInfo, error) {
	d := &DraftInfo{ProcedureCode: code, Prefill: map[string]string{"applicant_id": citizenID}, Reused: map[string]string{}, ToProvide: []string{}}
	if c.Procedures == nil || c.Vault == nil {
		return d, nil
	}
	now := time.Now()
	p, err := c.Procedures.Get(ctx, code, now)
	if dossier.ErrorCode(err) == dossier.CodeNotFound {
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	subjects := vault.DossierSubjects(citizenID, nil, nil)
	if subjectName != "" || vault.IsIDNumber(subjectID) {
		for _, role := range []string{vault.RoleChild, vault.RoleBusiness} {
			s := vault.Subject{Role: role, Name: subjectName}
			if vault.IsIDNumber(subjectID) {
				s.IDNumber = subjectID
			}
			subjects[role] = s
		}
	}
	var used []vault.Record
	for _, req := range p.Requirements {
		if req.Optional || req.Kind == catalog.KindPresent {
			continue
		}
		res, err := c.Vault.Lookup(ctx, vault.Query{ApplicantID: citizenID, Requirement: req, ProcedureCode: code, At: now, Subjects: subjects})
		if err != nil {
			return nil, err
		}
		m := res.Match
		if m == nil {
			d.ToProvide = append(d.ToProvide, req.Name)
			continue
		}
		d.Reused[req.Key] = m.RecordID
		used = append(used, m.Record)
	}
	// Every valid record the citizen holds can pre-fill the forms, not only
	// those that stand in for a paper.
	all, err := c.Vault.Valid(ctx, citizenID, allTypes(), now)
	if err != nil {
		return nil, err
	}
	for _, r := range append(used, all...) {
		for _, f := range r.Fields {
			subj := f.Subject
			if subj == "" {
				subj = "applicant"
			}
			k := subj + "." + f.Name
			if _, ok := d.Prefill[k]; ok {
				continue
			}
			v := f.Normalized
			if v == "" {
				v = f.Value
			}
			d.Prefill[k] = v
		}
	}
	return d, nil
}

func allTypes() []string {
	var out []string
	for _, t := range vault.Types() {
		out = append(out, t.Type)
	}
	return out
}
