package signing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// This file holds every SQL statement of the package; service.go holds the
// logic over them.

// put stores a record once per (kind, ref); a second call is a no-op and
// reports false.
func (s *Service) put(ctx context.Context, r Record) (bool, error) {
	sum := sha256.Sum256(r.Content)
	var dossierID any
	if r.DossierID != "" {
		dossierID = r.DossierID
	}
	tag, err := s.Pool.Exec(ctx, `INSERT INTO signed_records (dossier_id, kind, ref, official, content, content_type, signature, signer, sha256)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (kind, ref) DO NOTHING`,
		dossierID, r.Kind, r.Ref, r.Official, r.Content, r.ContentType, r.Signature, r.Signer, hex.EncodeToString(sum[:]))
	if err != nil {
		return false, fmt.Errorf("store signed %s %s: %w", r.Kind, r.Ref, err)
	}
	return tag.RowsAffected() == 1, nil
}

// has reports whether the record (kind, ref) is already signed.
func (s *Service) has(ctx context.Context, kind, ref string) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM signed_records WHERE kind = $1 AND ref = $2)`, kind, ref).Scan(&ok)
	return ok, err
}

// acceptance is an official's acceptance of a dossier.
type acceptance struct {
	By   string
	At   time.Time
	Note string
}

// acceptance returns the dossier's acceptance; ok is false when it has none.
func (s *Service) acceptance(ctx context.Context, dossierID string) (a acceptance, ok bool, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT accepted_by, accepted_at, note FROM dossier_acceptances WHERE dossier_id = $1`, dossierID).
		Scan(&a.By, &a.At, &a.Note)
	if errors.Is(err, pgx.ErrNoRows) {
		return acceptance{}, false, nil
	}
	if err != nil {
		return acceptance{}, false, err
	}
	return a, true, nil
}

// procedure returns a procedure's name and its processing time in working
// days; both are zero when the code is unknown.
func (s *Service) procedure(ctx context.Context, code string) (name string, days float64, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT name, processing_days FROM procedure_names WHERE code = $1 LIMIT 1`, code).Scan(&name, &days)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, nil
	}
	return name, days, err
}

// decision is an official's decision on a suggestion, as signed. Its field
// order is the signed JSON's: do not reorder.
type decision struct {
	SuggestionID string    `json:"suggestion_id"`
	DossierID    string    `json:"dossier_id"`
	Kind         string    `json:"kind"`
	Status       string    `json:"status"`
	Text         string    `json:"text"`
	TextEN       string    `json:"text_en,omitempty"`
	CitizenID    string    `json:"citizen_id"`
	DecidedBy    string    `json:"decided_by"`
	DecidedAt    time.Time `json:"decided_at"`
	Reason       string    `json:"reason,omitempty"`
	Approvals    string    `json:"approvals,omitempty"`
}

// decisions returns the decided suggestions of a dossier, by id.
func (s *Service) decisions(ctx context.Context, dossierID string) ([]decision, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, kind, status, text, text_en, citizen_id, coalesce(decided_by, ''), decided_at, reason, approvals::text
		FROM suggestions WHERE dossier_id = $1 AND decided_by IS NOT NULL ORDER BY id`, dossierID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (decision, error) {
		var x decision
		var at *time.Time
		if err := r.Scan(&x.SuggestionID, &x.Kind, &x.Status, &x.Text, &x.TextEN, &x.CitizenID, &x.DecidedBy, &at, &x.Reason, &x.Approvals); err != nil {
			return x, err
		}
		if at != nil {
			x.DecidedAt = at.UTC()
		}
		x.DossierID = dossierID
		return x, nil
	})
}

// auditHead is the last row of the audit chain.
type auditHead struct {
	Seq  int64
	Hash string
	At   time.Time
}

// lastAuditRow returns the audit chain's head; ok is false when the log is
// empty.
func (s *Service) lastAuditRow(ctx context.Context) (h auditHead, ok bool, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.Hash, &h.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return auditHead{}, false, nil
	}
	if err != nil {
		return auditHead{}, false, err
	}
	return h, true, nil
}

// auditHash returns the hash the audit log holds at seq.
func (s *Service) auditHash(ctx context.Context, seq int64) (string, error) {
	var h string
	err := s.Pool.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&h)
	return h, err
}

// Records returns the signed records of a dossier, oldest first.
func (s *Service) Records(ctx context.Context, dossierID string) ([]Record, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, coalesce(dossier_id, ''), kind, ref, official, content_type, content, signature, signer, sha256, signed_at
		FROM signed_records WHERE dossier_id = $1 ORDER BY id`, dossierID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Record, error) {
		var x Record
		err := r.Scan(&x.ID, &x.DossierID, &x.Kind, &x.Ref, &x.Official, &x.ContentType, &x.Content, &x.Signature, &x.Signer, &x.SHA256, &x.SignedAt)
		return x, err
	})
}

// Receipt returns a dossier's signed receipt (the PDF signed on
// acceptance); ok is false when none is signed yet.
func (s *Service) Receipt(ctx context.Context, dossierID string) (r Record, ok bool, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT id, coalesce(dossier_id, ''), kind, ref, official, content_type, content, signature, signer, sha256, signed_at
		FROM signed_records WHERE kind = $1 AND ref = $2`, KindReceipt, dossierID).
		Scan(&r.ID, &r.DossierID, &r.Kind, &r.Ref, &r.Official, &r.ContentType, &r.Content, &r.Signature, &r.Signer, &r.SHA256, &r.SignedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, err
	}
	return r, true, nil
}

// auditHeadRecords returns the signed daily audit heads, by day.
func (s *Service) auditHeadRecords(ctx context.Context) ([]Record, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, kind, ref, official, content_type, content, signature, signer, sha256, signed_at
		FROM signed_records WHERE kind = 'audit_head' ORDER BY ref`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Record, error) {
		var x Record
		err := r.Scan(&x.ID, &x.Kind, &x.Ref, &x.Official, &x.ContentType, &x.Content, &x.Signature, &x.Signer, &x.SHA256, &x.SignedAt)
		return x, err
	})
}

// unsignedDossiers returns up to limit dossiers that lack a signed report
// or receipt, or have a decision not yet signed, by id.
func (s *Service) unsignedDossiers(ctx context.Context, limit int) ([]string, error) {
	rows, err := s.Pool.Query(ctx, `SELECT d.id FROM dossiers d
		WHERE (d.status IN ('prechecked', 'accepted') AND NOT EXISTS (SELECT 1 FROM signed_records r WHERE r.kind = 'report' AND r.ref = d.id))
		   OR (d.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM signed_records r WHERE r.kind = 'receipt' AND r.ref = d.id))
		   OR EXISTS (SELECT 1 FROM suggestions sg WHERE sg.dossier_id = d.id AND sg.decided_by IS NOT NULL
		        AND NOT EXISTS (SELECT 1 FROM signed_records r WHERE r.kind = 'decision' AND r.ref = sg.id || ':' || sg.status))
		ORDER BY d.id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
