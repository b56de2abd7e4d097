package correction

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// header is what a correction needs to know of its dossier.
type header struct {
	ID            string
	Agency        string
	ProcedureCode string
	SubmittedAt   time.Time
	Status        string
	Stage         string
	Accepted      bool
}

// lockDossier reads dossier id's header and locks the row until tx ends,
// so that a correction and a re-arm of the dossier are one step.
func lockDossier(ctx context.Context, tx pgx.Tx, id string) (header, error) {
	var h header
	err := tx.QueryRow(ctx, `SELECT d.id, d.agency, d.procedure_code, d.submitted_at, d.status, d.stage,
			EXISTS (SELECT 1 FROM dossier_acceptances a WHERE a.dossier_id = d.id)
		FROM dossiers d WHERE d.id = $1 FOR UPDATE OF d`, id).
		Scan(&h.ID, &h.Agency, &h.ProcedureCode, &h.SubmittedAt, &h.Status, &h.Stage, &h.Accepted)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s (dossier not found)", id)
	}
	if err != nil {
		return h, fmt.Errorf("read dossier %s: %w", id, err)
	}
	return h, nil
}

// agencyOf returns the agency of dossier id ("" when there is none).
func agencyOf(ctx context.Context, q store.Querier, id string) (string, error) {
	var a string
	err := q.QueryRow(ctx, `SELECT agency FROM dossiers WHERE id = $1`, id).Scan(&a)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s (dossier not found)", id)
	}
	return a, err
}

// documentType returns the type the classify stage gave a document of the
// dossier.
func documentType(ctx context.Context, tx pgx.Tx, dossierID, docID string) (string, error) {
	var t string
	err := tx.QueryRow(ctx, `SELECT doc_type FROM documents WHERE dossier_id = $1 AND id = $2`, dossierID, docID).Scan(&t)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", dossier.Errorf(dossier.CodeInvalid, "hồ sơ %s không có tài liệu %q (no such document in this dossier)", dossierID, docID)
	}
	return t, err
}

// findingStatus returns a finding's status as the rules concluded it (the
// status before any official's change).
func findingStatus(ctx context.Context, tx pgx.Tx, dossierID, key string) (string, error) {
	var status, auto string
	err := tx.QueryRow(ctx, `SELECT status, coalesce(details->>'auto_status', '') FROM findings WHERE dossier_id = $1 AND key = $2`,
		dossierID, key).Scan(&status, &auto)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", dossier.Errorf(dossier.CodeInvalid, "hồ sơ %s không có kết quả kiểm tra %q (no such finding in this dossier)", dossierID, key)
	}
	if auto != "" {
		return auto, err
	}
	return status, err
}

// rearm moves a pre-checked dossier back to the check stage with a new
// attempt number (the next message's de-duplication id), in tx.
func rearm(ctx context.Context, tx pgx.Tx, id string) error {
	_, err := tx.Exec(ctx, `UPDATE dossiers SET stage = 'check', status = 'processing', stage_since = now(), updated_at = now(),
			attempts = attempts + 1 WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("re-arm %s for check: %w", id, err)
	}
	return nil
}

// withdrawPending rejects, in tx, the pending suggestion drafted from a
// finding that an official has just said needs nothing from the citizen
// (present or not applicable), so that nobody approves a request the
// official has overruled. Decided suggestions are left as they are. It
// returns the suggestions it rejected, before and after, for the audit.
func withdrawPending(ctx context.Context, tx pgx.Tx, dossierID, findingKey, by, reason string) ([]string, error) {
	rows, err := tx.Query(ctx, `UPDATE suggestions SET status = 'rejected', decided_by = $3, decided_at = now(), reason = $4
		WHERE dossier_id = $1 AND key = ANY($2) AND status = 'pending_review' RETURNING id`,
		dossierID, []string{"missing:" + findingKey}, by, reason)
	if err != nil {
		return nil, fmt.Errorf("withdraw suggestions of %s: %w", findingKey, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
