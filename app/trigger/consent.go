package trigger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

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

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
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
