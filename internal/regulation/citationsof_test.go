package regulation

import (
	"context"
	"reflect"
	"testing"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// TestCitationsOfIsCitationsPerKey: the one-query read of a procedure's
// citations gives, for every requirement, what the per-requirement read
// gives, under the base index and under another model's live index.
func TestCitationsOfIsCitationsPerKey(t *testing.T) {
	t.Parallel()
	r := newIndexRig(t)
	ctx := context.Background()
	all, err := r.base.CitationsOf(ctx, r.proc.Code)
	if err != nil || len(all) == 0 {
		t.Fatalf("CitationsOf: %d keys, %v", len(all), err)
	}
	for _, emb := range []Embedder{r.base.Embedder(), r.other} {
		ix := r.indexes(emb)
		under, err := ix.CitationsOfUnder(ctx, r.def, r.proc)
		if err != nil {
			t.Fatal(err)
		}
		for _, req := range r.proc.Requirements {
			one, err := ix.CitationsUnder(ctx, r.def, r.proc, req.Key)
			if err != nil {
				t.Fatal(err)
			}
			got := under[req.Key]
			if got == nil {
				got = []dossier.Citation{}
			}
			if !reflect.DeepEqual(got, one) {
				t.Errorf("%s, %s: CitationsOfUnder %+v, CitationsUnder %+v", emb.Name(), req.Key, got, one)
			}
			if emb == r.base.Embedder() {
				stored, err := r.base.Citations(ctx, r.proc.Code, req.Key)
				if err != nil {
					t.Fatal(err)
				}
				if g := all[req.Key]; len(g) != len(stored) || len(g) > 0 && !reflect.DeepEqual(g, stored) {
					t.Errorf("%s: CitationsOf %+v, Citations %+v", req.Key, g, stored)
				}
			}
		}
	}
}
