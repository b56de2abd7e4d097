package service_test

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/postgres"
)

// benchDatabase points the test kit at a database of its own, so that the
// PostgreSQL backends and statements of a benchmark are told apart from the
// other tests sharing the server.
func benchDatabase(b *testing.B) {
	b.Helper()
	u := "postgres://root@127.0.0.1:5432/hoso_bench?sslmode=disable"
	if v := os.Getenv("HOSO_BENCH_DATABASE_URL"); v != "" {
		u = v
	}
	if err := postgres.EnsureDatabase(context.Background(), regexp.MustCompile(`[&?]pool_[a-z_]+=[^&]*`).ReplaceAllString(u, "")); err != nil {
		b.Skipf("bench database: %v", err)
	}
	b.Setenv("HOSO_TEST_DATABASE_URL", u)
}

type pgFamily struct {
	Family string
	Calls  float64 // per dossier
	MS     float64 // execution time per dossier
}

// pgMeter measures PostgreSQL's share: the CPU of the backends connected
// to the bench database (utime+stime from /proc, the server runs on this
// machine), and, when pg_stat_statements is preloaded, the statements by
// family.
type pgMeter struct {
	pool  *pgxpool.Pool
	n     func() int
	cpu0  map[int]time.Duration
	stmts bool
	note  string
	dbOID uint32
	pid   int
}

func newPGMeter(b *testing.B, s *service.Service) *pgMeter {
	m := &pgMeter{pool: s.Pool}
	ctx := context.Background()
	if _, err := s.Pool.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public`); err == nil {
		if _, err := s.Pool.Exec(ctx, `SELECT count(*) FROM public.pg_stat_statements`); err == nil {
			m.stmts = true
		} else {
			m.note = "skipped: pg_stat_statements is not in shared_preload_libraries (scripts/install-deps.sh adds it; it applies after a PostgreSQL restart)"
		}
	} else {
		m.note = "skipped: pg_stat_statements unavailable: " + firstLineOf(err.Error())
	}
	_ = s.Pool.QueryRow(ctx, `SELECT oid FROM pg_database WHERE datname = current_database()`).Scan(&m.dbOID)
	return m
}

func (m *pgMeter) start(ctx context.Context) {
	m.cpu0 = m.backendCPU(ctx)
	if m.stmts {
		_, _ = m.pool.Exec(ctx, `SELECT public.pg_stat_statements_reset(0, $1::oid, 0)`, m.dbOID)
	}
}

// stop returns the backends' CPU since start and the statement families
// (per dossier figures are made by the caller).
func (m *pgMeter) stop(ctx context.Context) (time.Duration, []pgFamily) {
	cpu1 := m.backendCPU(ctx)
	var total time.Duration
	for pid, c := range cpu1 {
		total += c - m.cpu0[pid] // a backend born during the run starts at 0
	}
	if !m.stmts {
		return total, nil
	}
	rows, err := m.pool.Query(ctx, `SELECT query, calls, total_exec_time FROM public.pg_stat_statements WHERE dbid = $1`, m.dbOID)
	if err != nil {
		m.note = "pg_stat_statements: " + err.Error()
		return total, nil
	}
	defer rows.Close()
	agg := map[string]*pgFamily{}
	for rows.Next() {
		var q string
		var calls int64
		var ms float64
		if rows.Scan(&q, &calls, &ms) != nil || strings.Contains(q, "pg_stat_statements") {
			continue // the meter's own reset is not the pipeline's
		}
		f := family(q)
		if agg[f] == nil {
			agg[f] = &pgFamily{Family: f}
		}
		agg[f].Calls += float64(calls)
		agg[f].MS += ms
	}
	var out []pgFamily
	for _, f := range agg {
		out = append(out, *f)
	}
	sortFamilies(out)
	if len(out) > 12 {
		out = out[:12]
	}
	return total, out
}

// backendCPU reads utime+stime of every backend on the bench database.
func (m *pgMeter) backendCPU(ctx context.Context) map[int]time.Duration {
	out := map[int]time.Duration{}
	rows, err := m.pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datid = $1`, m.dbOID)
	if err != nil {
		return out
	}
	var pids []int
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			pids = append(pids, pid)
		}
	}
	rows.Close()
	for _, pid := range pids {
		if c, ok := procCPU(pid); ok {
			out[pid] = c
		}
	}
	return out
}

// procCPU reads utime+stime of pid from /proc (clock ticks of 10 ms).
func procCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond, true
}

var familyRE = regexp.MustCompile(`(?is)^\s*(?:with\b.*?\)\s*)?(insert\s+into|update|delete\s+from|select\b.*?\bfrom|begin|commit|rollback|set|show|listen|notify)\s*([a-z_."]*)`)

// family names a statement by its verb and first table.
func family(q string) string {
	m := familyRE.FindStringSubmatch(q)
	if m == nil {
		return firstLineOf(q)
	}
	verb := strings.ToUpper(strings.Fields(m[1])[0])
	return strings.TrimSpace(verb + " " + strings.Trim(m[2], `"`))
}

func firstLineOf(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}
