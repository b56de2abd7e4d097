package catalog

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

const subset = "../../data/procedures/procedures.jsonl"

func TestStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	st := NewStore(pool)

	rep, err := st.Import(ctx, subset, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total == 0 || rep.Inserted != rep.Total || len(rep.Failures) != 0 {
		t.Fatalf("first import: %+v", rep)
	}

	t.Run("ReimportIsIdempotent", func(t *testing.T) {
		again, err := st.Import(ctx, subset, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.Inserted != 0 || again.Unchanged != rep.Total {
			t.Fatalf("re-import: inserted %d unchanged %d, want 0 and %d", again.Inserted, again.Unchanged, rep.Total)
		}
	})

	t.Run("GetKhaiSinh", func(t *testing.T) {
		p, err := st.Get(ctx, "1.001193", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if p.Source != SourceImport || p.Version != 1 || len(p.Requirements) < 5 {
			t.Fatalf("got %s v%d with %d requirements", p.Source, p.Version, len(p.Requirements))
		}
		var cs *Requirement
		for i := range p.Requirements {
			if p.Requirements[i].Key == "giay-chung-sinh" {
				cs = &p.Requirements[i]
			}
		}
		if cs == nil || cs.ElectronicSubstitute == nil || len(cs.Alternatives) != 2 || cs.Optional {
			t.Fatalf("giấy chứng sinh: %+v", cs)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		_, err := st.Get(ctx, "9.999999", time.Now())
		if dossier.ErrorCode(err) != dossier.CodeNotFound {
			t.Fatalf("err = %v, want not_found", err)
		}
		if _, err := st.Get(ctx, "1.001193", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); dossier.ErrorCode(err) != dossier.CodeNotFound {
			t.Fatalf("before the import's effective date: err = %v, want not_found", err)
		}
	})

	t.Run("SearchAccentInsensitive", func(t *testing.T) {
		for _, q := range []string{"dang ky khai sinh", "Đăng ký khai sinh", "KHAI SINH"} {
			ps, err := st.Search(ctx, q, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 0 || ps[0].Code != "1.001193" {
				t.Fatalf("search %q: first %v", q, codes(ps))
			}
		}
	})

	t.Run("ListFilters", func(t *testing.T) {
		ps, err := st.List(ctx, ListFilter{Field: "ho tich", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) == 0 {
			t.Fatal("no hộ tịch procedures")
		}
		for _, p := range ps {
			if p.Field != "Hộ tịch" {
				t.Errorf("%s: field %q", p.Code, p.Field)
			}
		}
		page, err := st.List(ctx, ListFilter{Limit: 2, Offset: 1})
		if err != nil || len(page) != 2 {
			t.Fatalf("page: %v %v", codes(page), err)
		}
	})

	t.Run("OverrideWinsAndVersions", func(t *testing.T) {
		n, err := st.ApplyOverrides(ctx, "../../pipelines/catalog")
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("applied %d, want 1", n)
		}
		p, err := st.Get(ctx, "1.001193", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if p.Source != SourceOverride || p.Version != 2 {
			t.Fatalf("got %s v%d, want override v2", p.Source, p.Version)
		}
		found := false
		for _, r := range p.Requirements {
			if r.Key == "mau-ho-tich-dien-tu" {
				found = r.Method == MethodManual && r.Optional && r.Condition != nil
			}
			if r.Key == "mau-ho-tich-dien-tu-tuong-tac-dang-ky-khai-sinh" {
				t.Error("removed requirement still present")
			}
		}
		if !found {
			t.Error("added requirement missing or not optional")
		}
		if n, _ := st.ApplyOverrides(ctx, "../../pipelines/catalog"); n != 0 {
			t.Errorf("re-applying the same override added %d versions", n)
		}
		// A later version takes over from its effective date only.
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "x.yaml"), []byte("code: \"1.001193\"\neffective_from: \"2030-01-01\"\nname: Thủ tục đăng ký khai sinh (2030)\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ApplyOverrides(ctx, dir); err != nil {
			t.Fatal(err)
		}
		if p, _ := st.Get(ctx, "1.001193", time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC)); p.Name != "Thủ tục đăng ký khai sinh" {
			t.Errorf("2029: %q", p.Name)
		}
		if p, _ := st.Get(ctx, "1.001193", time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)); p.Name != "Thủ tục đăng ký khai sinh (2030)" {
			t.Errorf("2030: %q", p.Name)
		}
	})

	t.Run("HandWritten", func(t *testing.T) {
		dir := t.TempDir()
		y := "code: \"9.000001\"\neffective_from: \"2025-01-01\"\nname: Thủ tục thử\nrequirements:\n  - name: Đơn đề nghị\n  - name: Bản sao giấy tờ\n    copies: 1\n    condition: Trường hợp ủy quyền\n"
		if err := os.WriteFile(filepath.Join(dir, "m.yaml"), []byte(y), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ApplyOverrides(ctx, dir); err != nil {
			t.Fatal(err)
		}
		p, err := st.Get(ctx, "9.000001", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if p.Source != SourceManual || len(p.Requirements) != 2 || p.Requirements[1].Originals != 0 || !p.Requirements[1].Optional {
			t.Fatalf("%+v", p)
		}
	})
}

func codes(ps []Procedure) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

// BenchmarkImportNational measures the whole national file: "parse" is the
// parser alone, "db" the full import into a fresh schema. Peak heap is
// sampled from runtime.MemStats.
func BenchmarkImportNational(b *testing.B) {
	dir := sharedData()
	if dir == "" {
		b.Skip("shared data absent")
	}
	src := filepath.Join(dir, "dvc-procedures-2026", "procedures.jsonl")
	peak := func(f func()) float64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		stop := make(chan struct{})
		done := make(chan uint64)
		go func() {
			var max uint64
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > max {
					max = m.HeapAlloc
				}
				select {
				case <-stop:
					done <- max
					return
				case <-t.C:
				}
			}
		}()
		f()
		close(stop)
		max := <-done
		if max < base {
			return 0
		}
		return float64(max-base) / (1 << 20)
	}
	b.Run("parse", func(b *testing.B) {
		var mb float64
		for b.Loop() {
			mb = max(mb, peak(func() {
				err := eachRecord(src, func(_ int, rec []byte) error {
					_, err := ParseNational(rec)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}))
		}
		b.ReportMetric(mb, "peak-heap-MiB")
		b.ReportMetric(2642*float64(b.N)/b.Elapsed().Seconds(), "procedures/s")
	})
	b.Run("db", func(b *testing.B) {
		var mb float64
		for b.Loop() {
			b.StopTimer()
			pool, _ := postgrestest.New(b)
			st := NewStore(pool)
			b.StartTimer()
			mb = max(mb, peak(func() {
				rep, err := st.Import(context.Background(), src, nil)
				if err != nil || rep.Inserted != 2642 {
					b.Fatalf("import: %v %+v", err, rep.Inserted)
				}
			}))
		}
		b.ReportMetric(mb, "peak-heap-MiB")
		b.ReportMetric(2642*float64(b.N)/b.Elapsed().Seconds(), "procedures/s")
	})
}

// importedSubset is a store in a fresh schema with the test subset imported.
func importedSubset(t *testing.T) (*pgxpool.Pool, *Store) {
	t.Helper()
	pool, _ := postgrestest.New(t)
	st := NewStore(pool)
	if _, err := st.Import(context.Background(), subset, nil); err != nil {
		t.Fatal(err)
	}
	return pool, st
}

// TestGetSeesUpdatedDocument: Get keeps documents read before, by row
// version, so a document changed in place is read afresh.
func TestGetSeesUpdatedDocument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, st := importedSubset(t)
	p, err := st.Get(ctx, "1.001193", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p.Name = "changed by the caller" // must not reach the next caller
	if _, err := pool.Exec(ctx, `UPDATE procedure_versions SET doc = doc || '{"field":"Lĩnh vực mới"}' WHERE code = '1.001193'`); err != nil {
		t.Fatal(err)
	}
	again, err := st.Get(ctx, "1.001193", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if again.Field != "Lĩnh vực mới" || again.Name == p.Name {
		t.Fatalf("after the update: field %q, name %q", again.Field, again.Name)
	}
	third, err := st.Get(ctx, "1.001193", time.Now())
	if err != nil || third.Field != "Lĩnh vực mới" || third.Name != again.Name {
		t.Fatalf("from the cache: %+v, %v", third, err)
	}
}

// TestGetFromCacheIsACopy: a procedure served from the cache equals the
// one decoded from its document, and nothing a caller changes in it, deep
// inside included, reaches the next caller.
func TestGetFromCacheIsACopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, st := importedSubset(t)
	first, err := st.Get(ctx, "1.001193", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	if err := pool.QueryRow(ctx, `SELECT doc FROM procedure_versions WHERE code = '1.001193' ORDER BY id DESC LIMIT 1`).Scan(&doc); err != nil {
		t.Fatal(err)
	}
	var want Procedure
	if err := json.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	want.Version, want.EffectiveFrom, want.Source = first.Version, first.EffectiveFrom, first.Source
	if len(want.Requirements) == 0 {
		t.Fatal("the sample procedure has no requirements")
	}
	for i := range 3 {
		p, err := st.Get(ctx, "1.001193", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p, &want) {
			t.Fatalf("read %d differs from the decoded document:\n%+v\n%+v", i, p, &want)
		}
		// Change everything a caller could reach.
		p.Requirements[0].Name = "changed"
		p.Requirements[0].Alternatives = append(p.Requirements[0].Alternatives, "x")
		s := "changed"
		p.Requirements[0].Form = &s
		p.Requirements = append(p.Requirements[:0], Requirement{Key: "only"})
		p.LegalBasis = nil
		p.ApplicantTypes = append(p.ApplicantTypes, "changed")
	}
}
