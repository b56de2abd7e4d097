package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

const correctionCols = `id, dossier_id, kind, target, value, auto_value, reason, actor, created_at`

func scanCorrection(r pgx.CollectableRow) (dossier.Correction, error) {
	var c dossier.Correction
	err := r.Scan(&c.ID, &c.DossierID, &c.Kind, &c.Target, &c.Value, &c.AutoValue, &c.Reason, &c.Actor, &c.CreatedAt)
	return c, err
}

// QueryCorrections reads the officials' corrections of a dossier, oldest
// first.
func QueryCorrections(ctx context.Context, q Querier, dossierID string) (dossier.Corrections, error) {
	rows, err := q.Query(ctx, `SELECT `+correctionCols+` FROM corrections WHERE dossier_id = $1 ORDER BY id`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("read corrections of %s: %w", dossierID, err)
	}
	cs, err := pgx.CollectRows(rows, scanCorrection)
	if err != nil {
		return nil, fmt.Errorf("read corrections of %s: %w", dossierID, err)
	}
	return cs, nil
}

// Corrections reads the officials' corrections of a dossier (the check and
// suggest stages apply them).
func (s *Store) Corrections(ctx context.Context, dossierID string) (dossier.Corrections, error) {
	return QueryCorrections(ctx, s.Pool, dossierID)
}

// CorrectionsSince lists every correction made at or after since, oldest
// first (hoso eval harvest).
func CorrectionsSince(ctx context.Context, q Querier, since time.Time) ([]dossier.Correction, error) {
	rows, err := q.Query(ctx, `SELECT `+correctionCols+` FROM corrections WHERE created_at >= $1 ORDER BY id`, since)
	if err != nil {
		return nil, fmt.Errorf("read corrections: %w", err)
	}
	return pgx.CollectRows(rows, scanCorrection)
}

// InsertCorrection records c inside tx, keyed by dossier.CorrectionKey over
// the correction it supersedes. It returns the stored row and created=false
// when the same correction was already recorded (nothing written).
func InsertCorrection(ctx context.Context, tx pgx.Tx, c dossier.Correction) (dossier.Correction, bool, error) {
	c.Reason = vntext.Clean(c.Reason)
	// The correction in force for (kind, target): the same decision again
	// is that row; another one supersedes it, and its key says which.
	rows, err := tx.Query(ctx, `SELECT `+correctionCols+` FROM corrections WHERE dossier_id = $1 AND kind = $2 AND target = $3 ORDER BY id DESC LIMIT 1`,
		c.DossierID, c.Kind, c.Target)
	if err != nil {
		return c, false, fmt.Errorf("read corrections of %s: %w", c.DossierID, err)
	}
	latest, err := pgx.CollectRows(rows, scanCorrection)
	if err != nil {
		return c, false, fmt.Errorf("read corrections of %s: %w", c.DossierID, err)
	}
	var prev int64
	if len(latest) == 1 {
		if latest[0].Value == c.Value && latest[0].Reason == c.Reason {
			return latest[0], false, nil
		}
		prev = latest[0].ID
	}
	key := dossier.CorrectionKey(c.Kind, c.Target, c.Value, c.Reason, prev)
	rows, err = tx.Query(ctx, `INSERT INTO corrections (dossier_id, key, kind, target, value, auto_value, reason, actor)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dossier_id, key) DO NOTHING RETURNING `+correctionCols,
		c.DossierID, key, c.Kind, c.Target, c.Value, c.AutoValue, c.Reason, c.Actor)
	if err != nil {
		return c, false, fmt.Errorf("record correction of %s: %w", c.DossierID, err)
	}
	got, err := pgx.CollectRows(rows, scanCorrection)
	if err != nil {
		return c, false, fmt.Errorf("record correction of %s: %w", c.DossierID, err)
	}
	if len(got) == 1 {
		return got[0], true, nil
	}
	rows, err = tx.Query(ctx, `SELECT `+correctionCols+` FROM corrections WHERE dossier_id = $1 AND key = $2`, c.DossierID, key)
	if err != nil {
		return c, false, fmt.Errorf("read correction of %s: %w", c.DossierID, err)
	}
	old, err := pgx.CollectExactlyOneRow(rows, scanCorrection)
	return old, false, err
}
