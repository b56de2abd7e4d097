package evals

// The evaluation's reads of the database (docs/architecture.md: SQL lives in store.go files).

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

func countDone(ctx context.Context, x *Env, ids []string) (int, error) {
	pool, err := x.DB(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = pool.QueryRow(ctx, `SELECT count(*) FROM dossiers WHERE id = ANY($1) AND status IN ('prechecked','failed')`, ids).Scan(&n)
	return n, err
}

// aiUsage sums the AI calls and tokens recorded for the dossiers.
func aiUsage(ctx context.Context, x *Env, ids []string) (calls, tokens float64, err error) {
	pool, err := x.DB(ctx)
	if err != nil {
		return 0, 0, err
	}
	var c, t int64
	err = pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(tokens),0) FROM ai_calls WHERE dossier_id = ANY($1)`, ids).Scan(&c, &t)
	return float64(c), float64(t), err
}

// citationCount counts the stored citations of one procedure version.
func citationCount(ctx context.Context, pool *pgxpool.Pool, code string, version int) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM regulation_citations WHERE procedure_code = $1 AND procedure_version = $2`, code, version).Scan(&n)
	return n, err
}
