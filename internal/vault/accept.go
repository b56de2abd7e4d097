package vault

import (
	"context"
	"encoding/json"
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
		d, err := lockDossier(ctx, tx, dossierID)
		if err != nil {
			return err
		}
		if err := authorize(by, d.Agency); err != nil {
			return err
		}
		if d.Status == StatusAccepted {
			out.Already = true
			out.AcceptedBy, out.AcceptedAt, err = acceptanceOf(ctx, tx, dossierID)
			return err
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
		if err := markAccepted(ctx, tx, dossierID, by.ID, now, note, len(out.Records)); err != nil {
			return err
		}
		data, _ := json.Marshal(map[string]any{"records": len(out.Records), "accepted_by": by.ID})
		if err := insertAcceptedEvent(ctx, tx, out.EventID, d, now, data); err != nil {
			return err
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

type docRow struct {
	id, filename, reqKey, status string
	class                        map[string]any
	fields                       []dossier.Field
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
