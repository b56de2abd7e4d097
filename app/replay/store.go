package replay

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// recordReplay stores a replay for the dossier's history.
func recordReplay(ctx context.Context, pool *pgxpool.Pool, id, recorded, compared string, exact bool, diff []byte, actor string) error {
	_, err := pool.Exec(ctx, `INSERT INTO replays (dossier_id, recorded, compared, exact, diff, actor) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, recorded, compared, exact, diff, actor)
	return err
}

// lastCheckAt returns when the dossier's recorded check committed, or nil
// when it never ran.
func lastCheckAt(ctx context.Context, pool *pgxpool.Pool, id string) (*time.Time, error) {
	var at *time.Time
	err := pool.QueryRow(ctx, `SELECT max(finished_at) FROM stage_runs WHERE dossier_id = $1 AND stage = $2`, id, dossier.StageCheck).Scan(&at)
	return at, err
}

// modelPin is the model and prompt a task of the recorded run called.
type modelPin struct{ task, model, prompt, hash string }

// recordedModelPins returns, per task, the model and prompt of the
// dossier's last production call to a remote model.
func recordedModelPins(ctx context.Context, pool *pgxpool.Pool, id string) ([]modelPin, error) {
	rows, err := pool.Query(ctx, `SELECT DISTINCT ON (task) task, model, prompt, prompt_hash FROM ai_calls
		WHERE dossier_id = $1 AND scope = 'production' AND provider <> 'local' AND prompt <> ''
		ORDER BY task, id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("read recorded AI calls of %s: %w", id, err)
	}
	var pins []modelPin
	for rows.Next() {
		var p modelPin
		if err := rows.Scan(&p.task, &p.model, &p.prompt, &p.hash); err != nil {
			rows.Close()
			return nil, err
		}
		pins = append(pins, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read recorded AI calls of %s: %w", id, err)
	}
	return pins, nil
}

// recordedPins returns the classifier models on the dossier's documents
// and the task:model:prompt-hash of its production AI calls.
func recordedPins(ctx context.Context, pool *pgxpool.Pool, id string) (models, prompts []string, err error) {
	err = pool.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT classification->>'model') FILTER (WHERE classification ? 'model'), '{}')
		FROM documents WHERE dossier_id = $1`, id).Scan(&models)
	if err != nil {
		return nil, nil, fmt.Errorf("read recorded models of %s: %w", id, err)
	}
	err = pool.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT task || ':' || model || ':' || left(prompt_hash, 12)), '{}')
		FROM ai_calls WHERE dossier_id = $1 AND scope = 'production'`, id).Scan(&prompts)
	if err != nil {
		return nil, nil, fmt.Errorf("read recorded AI calls of %s: %w", id, err)
	}
	return models, prompts, nil
}

// selectDossiers returns the ids of the dossiers of procedure ("" for
// all) submitted in [since, until), oldest first, at most limit.
func selectDossiers(ctx context.Context, pool *pgxpool.Pool, procedure string, since, until time.Time, limit int) ([]string, error) {
	rows, err := pool.Query(ctx, `SELECT id FROM dossiers
		WHERE ($1 = '' OR procedure_code = $1) AND submitted_at >= $2 AND submitted_at < $3
		ORDER BY submitted_at, id LIMIT $4`, procedure, since, until, limit)
	if err != nil {
		return nil, fmt.Errorf("select dossiers to reprocess: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// rearm re-arms one dossier for a re-run from stage from in one audited
// transaction (see Reprocess); ok is false for a dossier in flight.
func (p *Reprocessor) rearm(ctx context.Context, id, from string, redo []string, o ReprocessOptions) (ok bool, err error) {
	err = pgx.BeginFunc(ctx, p.Pool, func(tx pgx.Tx) error {
		var status, stage, version string
		err := tx.QueryRow(ctx, `SELECT status, stage, pipeline_version FROM dossiers WHERE id = $1 FOR UPDATE`, id).Scan(&status, &stage, &version)
		if err == pgx.ErrNoRows {
			return dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s (dossier not found)", id)
		}
		if err != nil {
			return err
		}
		if status == dossier.StatusReceived || status == dossier.StatusProcessing {
			return nil
		}
		ok = true
		if _, err := tx.Exec(ctx, `DELETE FROM stage_runs WHERE dossier_id = $1 AND stage = ANY($2)`, id, redo); err != nil {
			return err
		}
		if slices.Contains(redo, dossier.StageCheck) {
			if _, err := tx.Exec(ctx, `DELETE FROM findings WHERE dossier_id = $1`, id); err != nil {
				return err
			}
		}
		newVersion := version
		if o.Version != "" {
			newVersion = o.Version
		}
		if _, err := tx.Exec(ctx, `UPDATE dossiers SET stage = $2, status = 'processing', stage_since = now(), updated_at = now(),
				pipeline_version = $3 WHERE id = $1`, id, from, newVersion); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: o.Actor, Action: "dossier.reprocess", Entity: "dossier", EntityID: id,
			Before: map[string]string{"status": status, "stage": stage, "pipeline_version": version},
			After:  map[string]any{"status": "processing", "stage": from, "pipeline_version": newVersion, "redo": redo},
			Reason: o.Reason})
	})
	if err != nil {
		return false, fmt.Errorf("re-arm %s: %w", id, err)
	}
	return ok, nil
}
