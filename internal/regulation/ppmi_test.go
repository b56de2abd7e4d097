package regulation

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestTrainPPMIStoredAndSearchable trains the corpus embedder on the
// imported demo texts, finds it again in regulation_models (same name:
// training the same texts twice stores one model), embeds every chunk with
// it beside the hashing vectors, and searches with it.
func TestTrainPPMIStoredAndSearchable(t *testing.T) {
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	s := NewStore(pool, embedding.NewHashing())
	if _, err := s.Import(ctx, []string{filepath.Join(repoRoot(), "data", "legal")}, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.LatestPPMI(ctx); err != nil || ok {
		t.Fatalf("a model before training: %v %v", ok, err)
	}
	o := embedding.PPMIOptions{Dim: 32, MinDF: 2}
	p, err := s.TrainPPMI(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TrainPPMI(ctx, o); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM regulation_models`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d models stored (%v), want 1", n, err)
	}
	got, ok, err := s.LatestPPMI(ctx)
	if err != nil || !ok || got.Name() != p.Name() || !strings.HasPrefix(p.Name(), "local-ppmi-svd-32-") {
		t.Fatalf("loaded %v %v %v, trained %s", got, ok, err, p.Name())
	}
	ps := s.WithEmbedder(got)
	if _, err := ps.Reembed(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if built, err := ps.Built(ctx); err != nil || !built {
		t.Fatalf("no PPMI vectors: %v", err)
	}
	hits, err := ps.Search(ctx, Query{Text: "đăng ký khai sinh cho con", Mode: ModeVector, K: 5})
	if err != nil || len(hits) == 0 {
		t.Fatalf("vector search with PPMI: %d hits, %v", len(hits), err)
	}
}
