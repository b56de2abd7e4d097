package postgres

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CreateSchema creates schema name (a trusted identifier, such as a test
// or evaluation schema hoso names itself).
func CreateSchema(ctx context.Context, pool *pgxpool.Pool, name string) error {
	_, err := pool.Exec(ctx, `CREATE SCHEMA `+name)
	return err
}

// DropSchema drops schema name and everything in it.
func DropSchema(ctx context.Context, pool *pgxpool.Pool, name string) error {
	_, err := pool.Exec(ctx, `DROP SCHEMA `+name+` CASCADE`)
	return err
}
