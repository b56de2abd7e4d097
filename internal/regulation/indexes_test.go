package regulation

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// indexRig is the birth-registration procedure cited from the two civil
// status texts under the local embedder (the stored citations), with a
// second index built by a 256-dimension hashing embedder (another model).
type indexRig struct {
	base  *Store
	other Embedder
	proc  *catalog.Procedure
	def   *pipelinedef.Definition
}

func newIndexRig(tb testing.TB) indexRig {
	tb.Helper()
	ctx := context.Background()
	pool, _ := postgrestest.New(tb)
	base := NewStore(pool, embedding.NewHashing())
	legal := filepath.Join(repoRoot(), "data", "legal", "legal-texts-rightly")
	if _, err := base.Import(ctx, []string{
		filepath.Join(legal, "laws", "03-2026-QH16 Luật Hộ tịch.txt"),
		filepath.Join(legal, "decrees", "401-VBHN-BTP 2026 Nghị định Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch.txt"),
	}, nil); err != nil {
		tb.Fatal(err)
	}
	cat := catalog.NewStore(pool)
	if _, err := cat.Import(ctx, filepath.Join(repoRoot(), "data", "procedures"), nil); err != nil {
		tb.Fatal(err)
	}
	proc, err := cat.Get(ctx, "1.001193", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	if err := base.CiteProcedure(ctx, proc); err != nil {
		tb.Fatal(err)
	}
	other := &embedding.Hashing{Dim: 256}
	if _, err := base.WithEmbedder(other).Reembed(ctx, nil); err != nil {
		tb.Fatal(err)
	}
	def, err := pipelinedef.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	return indexRig{base: base, other: other, proc: proc, def: def}
}

func (r indexRig) indexes(emb Embedder) *Indexes {
	return &Indexes{Base: r.base, Embedder: func(*pipelinedef.Definition) (Embedder, error) { return emb, nil }}
}

// The base model's index answers with the stored citations; another model
// cites live from its own vectors, verified quotes included; an index whose
// vectors were never built is refused with the command that builds it.
func TestIndexesPerVersion(t *testing.T) {
	t.Parallel()
	r := newIndexRig(t)
	ctx := context.Background()
	key := "giay-chung-sinh"
	stored, err := r.base.Citations(ctx, r.proc.Code, key)
	if err != nil || len(stored) == 0 {
		t.Fatalf("stored citations: %v %v", stored, err)
	}
	got, err := r.indexes(r.base.Embedder()).CitationsUnder(ctx, r.def, r.proc, key)
	if err != nil || len(got) != len(stored) || got[0].Ref() != stored[0].Ref() || got[0].Text != stored[0].Text {
		t.Fatalf("base index: %+v, want the stored %+v (%v)", got, stored, err)
	}
	live, err := r.indexes(r.other).CitationsUnder(ctx, r.def, r.proc, key)
	if err != nil || len(live) == 0 {
		t.Fatalf("live citations: %+v %v", live, err)
	}
	for _, c := range live {
		ok, err := r.base.VerifyCitation(ctx, c)
		if err != nil || !ok {
			t.Errorf("live citation %s does not verify: %q", c.Ref(), c.Text)
		}
	}
	if err := r.indexes(r.other).Ready(ctx, r.def); err != nil {
		t.Errorf("built index not ready: %v", err)
	}
	unbuilt := r.indexes(&embedding.Hashing{Dim: 128})
	if _, err := unbuilt.CitationsUnder(ctx, r.def, r.proc, key); err == nil || !strings.Contains(err.Error(), "hoso regs reembed --pipeline") {
		t.Fatalf("unbuilt index: %v", err)
	}
	if err := unbuilt.Ready(ctx, r.def); err == nil {
		t.Fatal("an unbuilt index passed the activation preflight")
	}
}

// BenchmarkCitationsUnder measures what a candidate regulation index costs
// the check stage per requirement: the stored citations (the production
// path), the first live citation of a procedure version (every requirement
// searched in the candidate's vectors), and the cached live ones.
//
//	go test ./internal/regulation/ -run '^$' -bench CitationsUnder -benchtime 20x
func BenchmarkCitationsUnder(b *testing.B) {
	r := newIndexRig(b)
	ctx := context.Background()
	key := "giay-chung-sinh"
	b.Run("Stored", func(b *testing.B) {
		ix := r.indexes(r.base.Embedder())
		for b.Loop() {
			if _, err := ix.CitationsUnder(ctx, r.def, r.proc, key); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LiveFirst", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.indexes(r.other).CitationsUnder(ctx, r.def, r.proc, key); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LiveCached", func(b *testing.B) {
		ix := r.indexes(r.other)
		if _, err := ix.CitationsUnder(ctx, r.def, r.proc, key); err != nil { // fills the cache, untimed
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := ix.CitationsUnder(ctx, r.def, r.proc, key); err != nil {
				b.Fatal(err)
			}
		}
	})
}
