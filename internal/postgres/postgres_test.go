package postgres_test

import (
	"context"
	"testing"

	"github.com/hoso-vn/hoso/internal/postgres"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

func TestMigrateTwice(t *testing.T) {
	t.Parallel()
	pool, _ := postgrestest.New(t)
	// A second Migrate is a no-op: the service runs it on every start.
	if err := postgres.Migrate(context.Background(), pool, nil); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM dossiers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
}
