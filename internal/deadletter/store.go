package deadletter

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// List returns dead letters, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Letter, error) {
	status := f.Status
	if status == "" {
		status = StatusOpen
	}
	if status == "all" {
		status = ""
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.Pool.Query(ctx, `SELECT `+cols+` FROM dead_letters
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR stage = $2) ORDER BY created_at DESC, id DESC LIMIT $3`, status, f.Stage, limit)
	if err != nil {
		return nil, fmt.Errorf("list dead letters: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Letter, error) {
		var l Letter
		err := scan(r, &l)
		return l, err
	})
	if out == nil {
		out = []Letter{}
	}
	return out, err
}

// Get returns one dead letter with its payload and headers.
func (s *Service) Get(ctx context.Context, id int64) (Letter, error) {
	var l Letter
	var payload, hdr []byte
	err := scan(s.Pool.QueryRow(ctx, `SELECT `+cols+`, coalesce(payload, ''::bytea), headers FROM dead_letters WHERE id = $1`, id), &l, &payload, &hdr)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, dossier.Errorf(dossier.CodeNotFound, "không có thư chết #%d (no such dead letter)", id)
	}
	if err != nil {
		return l, fmt.Errorf("read dead letter %d: %w", id, err)
	}
	l.Payload = string(payload)
	_ = json.Unmarshal(hdr, &l.Headers)
	return l, nil
}

// Retry re-publishes the dead letter's dossier at its stage with a new
// attempt number and marks the letter retried, audited as actor. Only an
// open letter with a dossier can be retried: a message that names no
// dossier (undecodable) has nothing to retry and is discarded instead.
func (s *Service) Retry(ctx context.Context, id int64, actor, reason string) (Letter, error) {
	var l Letter
	if actor == "" {
		return l, dossier.Errorf(dossier.CodeInvalid, "cần người thực hiện (actor required)")
	}
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := scan(tx.QueryRow(ctx, `SELECT `+cols+` FROM dead_letters WHERE id = $1 FOR UPDATE`, id), &l); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return dossier.Errorf(dossier.CodeNotFound, "không có thư chết #%d (no such dead letter)", id)
			}
			return err
		}
		if l.Status != StatusOpen {
			return dossier.Errorf(dossier.CodeConflict, "thư chết #%d đã được xử lý (%s) (already resolved)", id, l.Status)
		}
		if l.DossierID == "" || !isStage(l.Stage) {
			return dossier.Errorf(dossier.CodeInvalid, "thư chết #%d không gắn với hồ sơ nào, không thể thử lại; hãy loại bỏ (no dossier to retry; discard it)", id)
		}
		var status, stage string
		err := tx.QueryRow(ctx, `SELECT status, stage FROM dossiers WHERE id = $1 FOR UPDATE`, l.DossierID).Scan(&status, &stage)
		if errors.Is(err, pgx.ErrNoRows) {
			return dossier.Errorf(dossier.CodeNotFound, "hồ sơ %s không còn (dossier gone)", l.DossierID)
		}
		if err != nil {
			return err
		}
		// Without a publisher the reconciler publishes the dossier: an old
		// stage_since makes it due at its next pass.
		since := "now()"
		if s.Publisher == nil {
			since = "'epoch'"
		}
		if _, err := tx.Exec(ctx, `UPDATE dossiers SET status = 'processing', stage = $2, stage_since = `+since+`,
				attempts = attempts + 1, updated_at = now() WHERE id = $1`, l.DossierID, l.Stage); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE dead_letters SET status = 'retried', resolved_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		l.Status = StatusRetried
		return audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "dead_letter.retry", Entity: "dead_letter", EntityID: fmt.Sprint(id),
			Before: map[string]string{"status": StatusOpen, "dossier_status": status, "dossier_stage": stage},
			After:  map[string]string{"status": StatusRetried, "dossier_id": l.DossierID, "stage": l.Stage}, Reason: reason})
	})
	if err != nil {
		return l, fmt.Errorf("retry dead letter %d: %w", id, err)
	}
	if s.Publisher != nil {
		if err := s.Publisher.PublishStage(ctx, l.DossierID, l.Stage); err != nil {
			// The dossier is re-armed in PostgreSQL; the reconciler will
			// publish it once it counts as stuck.
			return l, fmt.Errorf("retry dead letter %d: publish (the reconciler will retry): %w", id, err)
		}
	}
	return l, nil
}

// Discard closes an open dead letter with a reason, audited as actor. The
// dossier stays failed.
func (s *Service) Discard(ctx context.Context, id int64, actor, reason string) (Letter, error) {
	var l Letter
	if actor == "" {
		return l, dossier.Errorf(dossier.CodeInvalid, "cần người thực hiện (actor required)")
	}
	if reason == "" {
		return l, dossier.Errorf(dossier.CodeInvalid, "cần lý do loại bỏ (a reason is required to discard)")
	}
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := scan(tx.QueryRow(ctx, `SELECT `+cols+` FROM dead_letters WHERE id = $1 FOR UPDATE`, id), &l); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return dossier.Errorf(dossier.CodeNotFound, "không có thư chết #%d (no such dead letter)", id)
			}
			return err
		}
		if l.Status != StatusOpen {
			return dossier.Errorf(dossier.CodeConflict, "thư chết #%d đã được xử lý (%s) (already resolved)", id, l.Status)
		}
		if _, err := tx.Exec(ctx, `UPDATE dead_letters SET status = 'discarded', resolved_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		l.Status = StatusDiscarded
		return audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "dead_letter.discard", Entity: "dead_letter", EntityID: fmt.Sprint(id),
			Before: map[string]string{"status": StatusOpen}, After: map[string]string{"status": StatusDiscarded, "dossier_id": l.DossierID}, Reason: reason})
	})
	if err != nil {
		return l, fmt.Errorf("discard dead letter %d: %w", id, err)
	}
	return l, nil
}
