package vault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
)

// StatusAccepted is the status of a dossier that an official accepted: its
// documents are verified records in the vault.
const StatusAccepted = "accepted"

// EventDossierAccepted is the kind of the trigger event that acceptance
// writes (in the same transaction) for the proactive rules.
const EventDossierAccepted = "dossier_accepted"

// Acceptance is the result of accepting a dossier.
type Acceptance struct {
	DossierID  string    `json:"dossier_id"`
	AcceptedBy string    `json:"accepted_by"`
	AcceptedAt time.Time `json:"accepted_at"`
	Records    []Record  `json:"records"`
	EventID    string    `json:"event_id"`
	// Already reports that the dossier had been accepted before; nothing
	// was written.
	Already bool `json:"already"`
}

// AcceptedEventID is the id of the trigger event of dossierID's acceptance.
func AcceptedEventID(dossierID string) string { return "accepted:" + dossierID }

// Accept marks a pre-checked dossier accepted by an official and keeps each
// of its present, classified documents, with the fields extracted from it,
// as a verified record of the applicant. It writes, in one transaction, the
// dossier's status, the records, an audit row and a dossier_accepted trigger
// event (the outbox that the proactive rules read). Accepting twice returns
// the first acceptance and writes nothing.
func (s *Store) Accept(ctx context.Context, dossierID string, by review.Actor, note string) (Acceptance, error) {
	out := Acceptance{DossierID: dossierID, EventID: AcceptedEventID(dossierID)}
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var d dossier.Dossier
		err := tx.QueryRow(ctx, `SELECT id, procedure_code, applicant_id, agency, status, submitted_at FROM dossiers WHERE id = $1 FOR UPDATE`,
			dossierID).Scan(&d.ID, &d.ProcedureCode, &d.ApplicantID, &d.Agency, &d.Status, &d.SubmittedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s (dossier not found)", dossierID)
		}
		if err != nil {
			return fmt.Errorf("read dossier %s: %w", dossierID, err)
		}
		if err := authorize(by, d.Agency); err != nil {
			return err
		}
		if d.Status == StatusAccepted {
			out.Already = true
			return tx.QueryRow(ctx, `SELECT accepted_by, accepted_at FROM dossier_acceptances WHERE dossier_id = $1`, dossierID).
				Scan(&out.AcceptedBy, &out.AcceptedAt)
		}
		if d.Status != dossier.StatusPrechecked {
			return dossier.Errorf(dossier.CodeConflict, "hồ sơ %s đang ở trạng thái %s, chỉ chấp nhận hồ sơ đã kiểm tra xong (only a prechecked dossier can be accepted)", dossierID, d.Status)
		}
		docs, err := documents(ctx, tx, dossierID)
		if err != nil {
			return err
		}
		for _, doc := range docs {
			r, ok := recordOf(d, doc, by.ID)
			if !ok {
				continue
			}
			if err := normalise(&r); err != nil {
				if s.Log != nil {
					s.Log.Warn("document not kept in the vault", "dossier_id", dossierID, "document_id", doc.id, "err", err)
				}
				continue
			}
			if _, err := insert(ctx, tx, r); err != nil {
				return err
			}
			out.Records = append(out.Records, r)
		}
		now := time.Now().UTC()
		out.AcceptedBy, out.AcceptedAt = by.ID, now
		if _, err := tx.Exec(ctx, `INSERT INTO dossier_acceptances (dossier_id, accepted_by, accepted_at, note, records) VALUES ($1, $2, $3, $4, $5)`,
			dossierID, by.ID, now, note, len(out.Records)); err != nil {
			return fmt.Errorf("record acceptance of %s: %w", dossierID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE dossiers SET status = $2, updated_at = now() WHERE id = $1`, dossierID, StatusAccepted); err != nil {
			return fmt.Errorf("accept %s: %w", dossierID, err)
		}
		data, _ := json.Marshal(map[string]any{"records": len(out.Records), "accepted_by": by.ID})
		if _, err := tx.Exec(ctx, `INSERT INTO trigger_events (id, kind, citizen_id, dossier_id, procedure_code, agency, occurred_at, data, origin)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'hoso') ON CONFLICT (id) DO NOTHING`,
			out.EventID, EventDossierAccepted, d.ApplicantID, dossierID, d.ProcedureCode, d.Agency, now, data); err != nil {
			return fmt.Errorf("record acceptance event of %s: %w", dossierID, err)
		}
		ids := make([]string, len(out.Records))
		for i, r := range out.Records {
			ids[i] = r.ID
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: by.ID, Action: "dossier.accept", Entity: "dossier", EntityID: dossierID,
			Before: map[string]string{"status": d.Status}, After: map[string]any{"status": StatusAccepted, "vault_records": ids}, Reason: note})
	})
	if err != nil {
		return out, err
	}
	if out.Already {
		recs, err := s.bySourceDossier(ctx, dossierID)
		out.Records = recs
		return out, err
	}
	return out, nil
}

func authorize(by review.Actor, agency string) error {
	if by.ID == "" {
		return dossier.Errorf(dossier.CodeInvalid, "thiếu người thực hiện (--by is required)")
	}
	if !by.CanSeeAgency(agency) {
		return dossier.Errorf(dossier.CodeForbidden, "cán bộ %s không thuộc cơ quan tiếp nhận hồ sơ này (not this agency's dossier)", by.ID)
	}
	if by.Has(review.RoleAdmin) || by.Has(review.RoleApprover) || by.Has(review.RoleReviewer) {
		return nil
	}
	return dossier.Errorf(dossier.CodeForbidden, "cán bộ %s không có quyền chấp nhận hồ sơ (reviewer or approver role required)", by.ID)
}

func (s *Store) bySourceDossier(ctx context.Context, dossierID string) ([]Record, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+recordCols+` FROM vault_records WHERE source_dossier = $1 ORDER BY source_ref`, dossierID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, scanRecord)
	if out == nil {
		out = []Record{}
	}
	return out, err
}

type docRow struct {
	id, filename, reqKey, status string
	class                        map[string]any
	fields                       []dossier.Field
}

func documents(ctx context.Context, tx pgx.Tx, dossierID string) ([]docRow, error) {
	rows, err := tx.Query(ctx, `SELECT id, filename, doc_type, extraction_status, classification, fields FROM documents WHERE dossier_id = $1 ORDER BY ordinal`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("read documents of %s: %w", dossierID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (docRow, error) {
		var d docRow
		var class, fields []byte
		err := r.Scan(&d.id, &d.filename, &d.reqKey, &d.status, &class, &fields)
		_ = json.Unmarshal(class, &d.class)
		_ = json.Unmarshal(fields, &d.fields)
		return d, err
	})
}

// recordOf turns a present, classified document into a record; ok is false
// for documents that matched no requirement or could not be read.
func recordOf(d dossier.Dossier, doc docRow, by string) (Record, bool) {
	if doc.status != dossier.ExtractOK || doc.reqKey == "" || doc.reqKey == dossier.TypeUnknown || doc.reqKey == dossier.TypeOther {
		return Record{}, false
	}
	t, _ := doc.class["doc_type"].(string)
	if _, ok := Type(t); !ok {
		name, _ := doc.class["requirement_name"].(string)
		t = TypeForRequirementName(name)
	}
	if t == "" {
		return Record{}, false
	}
	info, _ := Type(t)
	r := Record{
		OwnerID: d.ApplicantID, Type: t, Title: info.Name, Fields: doc.fields,
		Source: "dossier", SourceRef: doc.id, SourceDossier: d.ID, VerifiedBy: by,
	}
	for _, f := range doc.fields {
		val := f.Normalized
		if val == "" {
			val = f.Value
		}
		switch f.Name {
		case "expiry_date":
			if tm, err := time.Parse("2006-01-02", val); err == nil {
				r.ValidUntil = &tm
			}
		case "issue_date":
			if tm, err := time.Parse("2006-01-02", val); err == nil {
				r.ValidFrom = &tm
			}
		}
	}
	// Whom the document is about (the child of a birth certificate, the
	// holder of a card), from its own fields: once-only reuse compares it
	// with the subject of a later dossier.
	sub := subjectFromFields(SubjectRole(t), doc.fields, d.ApplicantID)
	r.SubjectRole, r.SubjectName, r.SubjectIDNumber, r.SubjectBirthDate = sub.Role, sub.Name, sub.IDNumber, sub.BirthDate
	if t == "cccd" && sub.IDNumber != "" {
		r.Number = sub.IDNumber
	}
	if r.ValidFrom != nil && r.ValidUntil != nil && r.ValidUntil.Before(*r.ValidFrom) {
		r.ValidFrom = nil // a misread date must not keep a valid record out
	}
	return r, true
}
