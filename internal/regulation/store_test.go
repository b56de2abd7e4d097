package regulation

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// repoRoot is the module root, found from this file's location.
func repoRoot() string {
	_, f, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(f), "..", "..")
}

// sharedData returns ../shared/data (or HOSO_SHARED_DATA), or skips.
func sharedData(tb testing.TB) string {
	tb.Helper()
	for _, d := range []string{os.Getenv("HOSO_SHARED_DATA"), filepath.Join(repoRoot(), "..", "shared", "data")} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	tb.Skip("shared data absent (set HOSO_SHARED_DATA or place it at ../shared/data)")
	return ""
}

// demoStore imports data/legal once per test binary into its own schema;
// tests that only read share it.
var demo struct {
	once  sync.Once
	store *Store
	pool  *pgxpool.Pool
	rep   ImportReport
	err   error
}

func demoStore(t *testing.T) *Store {
	t.Helper()
	demo.once.Do(func() {
		pool, _ := postgrestest.New(&onceTB{TB: t})
		demo.pool = pool
		demo.store = NewStore(pool, embedding.NewHashing())
		demo.rep, demo.err = demo.store.Import(context.Background(), []string{filepath.Join(repoRoot(), "data", "legal")}, nil)
	})
	if demo.err != nil {
		t.Fatalf("import data/legal: %v", demo.err)
	}
	return demo.store
}

// onceTB lets the shared schema outlive the first test that asked for it:
// its Cleanup is deferred to the end of the binary (TestMain).
type onceTB struct{ testing.TB }

var cleanups []func()

func (o *onceTB) Cleanup(f func()) { cleanups = append(cleanups, f) }

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}

func mustDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}
