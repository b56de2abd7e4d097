package regulation

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

// TestLexTopPrunedIsExact checks that the MaxScore top-k returns exactly
// the k best chunks of an exhaustive BM25 over every match, on a random
// corpus with a Zipf-like vocabulary (common words in most chunks, rare
// ones in few), with a document filter.
func TestLexTopPrunedIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 23))
	vocab := make([]string, 400)
	for i := range vocab {
		vocab[i] = "w" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	zipf := func() string {
		return vocab[int(math.Floor(math.Pow(rng.Float64(), 3)*float64(len(vocab))))]
	}
	idx := &lexIndex{post: map[string][]posting{}, maxTF: map[string]float64{}, docs: map[int64]lexDoc{}}
	for d := int64(1); d <= 20; d++ {
		idx.docs[d] = lexDoc{number: "doc" + string(rune('a'+d))}
	}
	for i := 0; i < 3000; i++ {
		n := 5 + rng.IntN(60)
		w := make([]string, n)
		for j := range w {
			w[j] = zipf()
		}
		text := strings.Join(w, " ")
		idx.add(lexChunk{id: int64(i + 1), doc: 1 + rng.Int64N(20), art: int32(i / 3)}, text, text, strings.Join(w[:3], " "))
	}
	idx.finish()
	keep := func(d lexDoc) bool { return d.number != "docc" && d.number != "docd" }
	exhaustive := func(ts []lexTerm, k int) []int64 {
		score := map[int32]float64{}
		for _, q := range ts {
			ps := idx.post[q.key]
			w := q.weight * idx.idf(q.key)
			for _, p := range ps {
				if keep(idx.docs[idx.chunks[p.chunk].doc]) {
					score[p.chunk] += w * float64(p.impact)
				}
			}
		}
		var all []scored
		for c, x := range score {
			all = append(all, scored{idx.chunks[c].id, x})
		}
		sort.Slice(all, func(i, j int) bool { return all[i].better(all[j]) })
		var out []int64
		for i := 0; i < k && i < len(all); i++ {
			out = append(out, all[i].id)
		}
		return out
	}
	for trial := 0; trial < 200; trial++ {
		var ts []lexTerm
		for j := 0; j < 2+rng.IntN(12); j++ {
			f := []string{"n:", "f:", "t:"}[rng.IntN(3)]
			w := zipf()
			if rng.IntN(4) == 0 {
				w += " " + zipf()
			}
			ts = append(ts, lexTerm{f + w, 0.25 + rng.Float64()})
		}
		k := 1 + rng.IntN(60)
		got, want := idx.top(ts, keep, 0, k), exhaustive(ts, k)
		if len(got) != len(want) {
			t.Fatalf("trial %d: %d hits, want %d", trial, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				// Sums in another order may differ in the last bit; the
				// scores must then be equal within rounding.
				t.Fatalf("trial %d rank %d: chunk %d, want %d", trial, i+1, got[i], want[i])
			}
		}
	}
}
