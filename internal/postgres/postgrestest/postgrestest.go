// Package postgrestest gives each test a fresh PostgreSQL schema built from
// the real migrations, against the real server (never a mock).
package postgrestest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/postgres"
)

// URL is the server the tests use: HOSO_TEST_DATABASE_URL, or the local
// PostgreSQL's "test" database.
func URL() string {
	if u := os.Getenv("HOSO_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://root@127.0.0.1:5432/test?sslmode=disable"
}

// New creates a schema with a unique name, applies every migration in it and
// returns a pool whose search_path is that schema (then public, for pgvector).
// The schema is dropped when the test ends. It also returns the URL of the
// schema so that a test can start another process or pool on it.
func New(tb testing.TB) (*pgxpool.Pool, string) {
	tb.Helper()
	ctx := context.Background()
	admin, err := postgres.Open(ctx, URL())
	if err != nil {
		tb.Fatalf("postgres unavailable: %v\nstart it with: pg_ctlcluster 15 main start", err)
	}
	defer admin.Close()
	name := fmt.Sprintf("t_%s_%08x", sanitize(tb.Name()), rand.Uint32())
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+name); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	u := WithSchema(URL(), name)
	pool, err := postgres.Open(ctx, u)
	if err != nil {
		tb.Fatal(err)
	}
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		pool.Close()
		tb.Fatalf("migrate: %v", err)
	}
	tb.Cleanup(func() {
		// pgxpool's Close waits for every acquired connection. A test that
		// failed while holding one (an open transaction) would hang here
		// until the package's timeout and hide its own failure; after a
		// grace period the schema is kept and the test says why.
		closed := make(chan struct{})
		go func() { pool.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(closeGrace):
			tb.Errorf("postgrestest: a connection was still in use %s after the test ended (a transaction left open?); schema %s kept", closeGrace, name)
			return
		}
		if os.Getenv("HOSO_TEST_KEEP_SCHEMA") != "" {
			tb.Logf("kept schema %s", name)
			return
		}
		a, err := postgres.Open(context.Background(), URL())
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec(context.Background(), `DROP SCHEMA `+name+` CASCADE`)
	})
	return pool, u
}

// closeGrace is how long the cleanup waits for the test's connections.
const closeGrace = time.Minute

// WithSchema returns url with search_path set to schema, then public.
func WithSchema(rawURL, schema string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
		if b.Len() >= 30 {
			break
		}
	}
	return b.String()
}
