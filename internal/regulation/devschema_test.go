package regulation

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/postgres"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// devSchemaStore opens the schema kept between runs of the dev-only
// listings (TestEverydayDevMisses, TestEverydayDevCitationMisses), migrates
// it, and imports the catalog and the shared legal corpus on first use, so
// that a later run costs only its searches. The caller closes the pool.
func devSchemaStore(t *testing.T, schema, data string) (*Store, *catalog.Store, func()) {
	t.Helper()
	ctx := context.Background()
	admin, err := postgres.Open(ctx, postgrestest.URL())
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema)
	admin.Close()
	if err != nil {
		t.Fatal(err)
	}
	pool, err := postgres.Open(ctx, postgrestest.WithSchema(postgrestest.URL(), schema))
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		pool.Close()
		t.Fatal(err)
	}
	s := NewStore(pool, embedding.NewHashing())
	cat := catalog.NewStore(pool)
	var docs int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM regulation_documents`).Scan(&docs); err != nil {
		pool.Close()
		t.Fatal(err)
	}
	if docs == 0 {
		if _, err := cat.Import(ctx, filepath.Join(repoRoot(), "data", "procedures"), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := cat.ApplyOverrides(ctx, filepath.Join(repoRoot(), "pipelines", "catalog")); err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, d := range []string{"legal-texts-rightly", "laws-underthesea-vlc", "phapdien-excerpts-diepxuan"} {
			paths = append(paths, filepath.Join(data, d))
		}
		if _, err := s.Import(ctx, paths, nil); err != nil {
			t.Fatal(err)
		}
	}
	// A schema imported before LinkRepeals existed gets its repeals now
	// (idempotent, a few milliseconds).
	if _, err := s.LinkRepeals(ctx); err != nil {
		pool.Close()
		t.Fatal(err)
	}
	return s, cat, pool.Close
}
