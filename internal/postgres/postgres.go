// Package postgres provides hoso's system of record: the connection pool and
// the embedded, numbered SQL migrations that the service, the CLI and the tests
// all apply through Migrate.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DefaultURL is used when DATABASE_URL is unset: the local PostgreSQL with
// trust auth, as on the development and CI machines.
const DefaultURL = "postgres://root@127.0.0.1:5432/hoso?sslmode=disable"

// Open connects to PostgreSQL and registers the pgvector types on every
// connection. It does not migrate; call Migrate.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		// The vector type exists only after migration 0001 ran; before that
		// (the very first connection of Migrate) registration is skipped.
		if err := pgxvec.RegisterTypes(ctx, c); err != nil && !isUndefinedType(err) {
			return err
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres at %s: %w (start it with: pg_ctlcluster 15 main start)", redact(url), err)
	}
	return pool, nil
}

func isUndefinedType(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "42704"
	}
	return strings.Contains(err.Error(), "vector type not found")
}

func redact(url string) string {
	if i := strings.Index(url, "@"); i > 0 {
		if j := strings.Index(url, "://"); j > 0 && j < i {
			return url[:j+3] + "…" + url[i:]
		}
	}
	return url
}

// EnsureDatabase creates the database named in url when it does not exist, by
// connecting to the "postgres" maintenance database on the same server.
func EnsureDatabase(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("parse database url: %w", err)
	}
	name := cfg.Database
	cfg.Database = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect to maintenance database: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created concurrently
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

var gooseMu sync.Mutex // goose keeps package-level state

// Migrate applies every embedded migration that has not run yet, in the
// schema that the pool's search_path names first. It is safe to call on every
// start; concurrent callers are serialised by an advisory lock.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7106513)`); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7106513)`)
	// pgvector lives in the public schema, shared by all test schemas.
	// Under the lock: two processes migrating a fresh database at once
	// would otherwise both try to create it, and one would fail.
	if _, err := conn.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public`); err != nil {
		return fmt.Errorf("create extension vector: %w (run scripts/install-deps.sh to build pgvector)", err)
	}

	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	gooseMu.Lock()
	defer gooseMu.Unlock()
	prov, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithAllowOutofOrder(true), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	res, err := prov.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range res {
		log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path)
	}
	// Reset so that the new vector type is registered on fresh connections.
	pool.Reset()
	return nil
}

// DB wraps a pool for database/sql users (migrations only).
func DB(pool *pgxpool.Pool) *sql.DB { return stdlib.OpenDBFromPool(pool) }
