package regulation

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
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

// TestIndexesCiteWithNamedPPMI: a pipeline version whose embed provider
// names the local PPMI-SVD embedder (a candidate to shadow) is refused by
// the activation preflight until one is trained and the texts embedded
// with it, then cites from its vectors; the default version keeps the
// hashing embedder and the citations stored at import.
func TestIndexesCiteWithNamedPPMI(t *testing.T) {
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	s := NewStore(pool, embedding.NewHashing())
	if _, err := s.Import(ctx, []string{filepath.Join(repoRoot(), "data", "legal")}, nil); err != nil {
		t.Fatal(err)
	}
	def := func(from, to string) *pipelinedef.Definition {
		t.Helper()
		d, err := pipelinedef.Parse([]byte(strings.Replace(string(pipelinedef.DefaultYAML()), from, to, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	hashing, err := pipelinedef.Load("")
	if err != nil {
		t.Fatal(err)
	}
	ppmi := def("embed: {provider: local}", "embed: {provider: local, model: ppmi-svd}")
	local := &LocalEmbedders{Base: s}
	ix := &Indexes{Base: s, Embedder: func(d *pipelinedef.Definition) (Embedder, error) { return local.For(ctx, d) }}
	if err := ix.Ready(ctx, hashing); err != nil {
		t.Fatalf("default version not ready: %v", err)
	}
	if err := ix.Ready(ctx, ppmi); err == nil || !strings.Contains(err.Error(), "--train-ppmi") {
		t.Fatalf("PPMI-SVD version ready before any training: %v", err)
	}
	p, err := s.TrainPPMI(ctx, embedding.PPMIOptions{Dim: 32, MinDF: 2})
	if err != nil {
		t.Fatal(err)
	}
	local.mu.Lock()
	local.ppmi = nil // what a minute's wait does: read the latest training again
	local.mu.Unlock()
	if err := ix.Ready(ctx, ppmi); err == nil || !strings.Contains(err.Error(), "reembed") {
		t.Fatalf("PPMI-SVD version ready before its vectors exist: %v", err)
	}
	if _, err := s.WithEmbedder(p).Reembed(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Ready(ctx, ppmi); err != nil {
		t.Fatalf("PPMI-SVD version not ready after reembed: %v", err)
	}
	if name, err := ix.Name(ppmi); err != nil || name != p.Name() {
		t.Fatalf("PPMI-SVD version cites with %q (%v), want %s", name, err, p.Name())
	}
	proc := &catalog.Procedure{Code: "1.001193", Version: 1, Name: "Thủ tục đăng ký khai sinh",
		Requirements: []catalog.Requirement{{Key: "giay-chung-sinh", Name: "Giấy chứng sinh"}}}
	cs, err := ix.CitationsUnder(ctx, ppmi, proc, "giay-chung-sinh")
	if err != nil || len(cs) == 0 {
		t.Fatalf("PPMI-SVD citations: %v, %v", cs, err)
	}
	for _, c := range cs {
		if ok, err := s.VerifyCitation(ctx, c); err != nil || !ok {
			t.Errorf("PPMI-SVD citation %s Điều %d: quote %q not in the cited unit (%v)", c.Document, c.Article, c.Text, err)
		}
	}
}
