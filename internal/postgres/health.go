package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ServerVersion is the server's version string (`hoso doctor`).
func ServerVersion(ctx context.Context, pool *pgxpool.Pool) (string, error) {
	var version string
	err := pool.QueryRow(ctx, `SHOW server_version`).Scan(&version)
	return version, err
}

// VectorVersions reports pgvector's installed version in this database and
// the version the server could install; nil when there is none.
func VectorVersions(ctx context.Context, pool *pgxpool.Pool) (installed, available *string, err error) {
	err = pool.QueryRow(ctx, `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector'),
		(SELECT default_version FROM pg_available_extensions WHERE name = 'vector')`).Scan(&installed, &available)
	return installed, available, err
}
