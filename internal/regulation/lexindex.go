package regulation

import (
	"container/heap"
	"context"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// The lexical first stage is an inverted index in memory: Okapi BM25 over
// syllables and syllable bigrams of each chunk (heading, chapter and text),
// once with diacritics and once folded, returning only the top k chunks
// through a bounded heap. PostgreSQL's ts_rank had to score every matching
// chunk (5 s p99 at 100k chunks) and ranked worse than a plain BM25 on
// everyday questions. The index is loaded from regulation_chunks on first
// use and reloaded when the chunk table changes (another process imported).

const (
	bm25K1 = 1.2
	bm25B  = 0.75
	// foldedWeight scores the accent-folded field when the query has
	// diacritics: it rescues words typed without them without letting
	// "cấp"/"cáp" collide at full weight.
	foldedWeight = 0.5
	// bigramWeight: a two-syllable word is stronger evidence than either
	// syllable alone; its BM25 is added on top of theirs.
	bigramWeight = 1.0
)

// titleWeight scores the article's heading as a field of its own (folded
// syllables and bigrams, BM25 against the mean heading length), on top of
// the chunk's text where the heading also appears: a heading names what the
// whole article is about ("Quyền của người nộp thuế"), while a long
// clause's words dilute it. A package variable so the evaluation can
// measure it off.
var titleWeight = 1.0

type lexChunk struct {
	id   int64
	doc  int64
	lenN int32
	lenF int32
	lenT int32
}

type posting struct {
	chunk int32
	tf    uint16
}

type lexDoc struct {
	number   string
	from, to *time.Time
}

type lexIndex struct {
	stamp  string
	chunks []lexChunk
	post   map[string][]posting // "n:" + term (NFC), "f:" + term (folded), "t:" + heading term (folded)
	// maxTF is, per posting list, the largest BM25 term-frequency factor
	// tf·(k1+1)/(tf+k1·(1−b+b·dl/avg)) of any chunk in it: times the
	// term's weight and idf, the most that term can add to any score
	// (the MaxScore bound that lets top stop reading common terms).
	maxTF map[string]float64
	avgN  float64
	avgF  float64
	avgT  float64
	docs  map[int64]lexDoc
}

type lexCache struct {
	mu  sync.Mutex
	idx *lexIndex
}

// lexicalIndex returns the loaded index, reloading it when stale.
func (s *Store) lexicalIndex(ctx context.Context) (*lexIndex, error) {
	stamp, err := s.lexStamp(ctx)
	if err != nil {
		return nil, err
	}
	s.lex.mu.Lock()
	defer s.lex.mu.Unlock()
	if s.lex.idx != nil && s.lex.idx.stamp == stamp {
		return s.lex.idx, nil
	}
	idx, err := s.loadLexIndex(ctx, stamp)
	if err != nil {
		return nil, err
	}
	s.lex.idx = idx
	return idx, nil
}

// add indexes one chunk (chunks come in id order, so posting lists are
// sorted by chunk).
func (idx *lexIndex) add(c lexChunk, nfc, fold, title string) {
	i := int32(len(idx.chunks))
	nt, ft, tt := strings.Fields(nfc), strings.Fields(fold), vntext.FoldedTokens(title)
	c.lenN, c.lenF, c.lenT = int32(len(nt)), int32(len(ft)), int32(len(tt))
	idx.chunks = append(idx.chunks, c)
	for _, f := range []struct {
		prefix string
		toks   []string
	}{{"n:", nt}, {"f:", ft}, {"t:", tt}} {
		tf := map[string]int{}
		for _, t := range terms(f.toks) {
			tf[t]++
		}
		for t, n := range tf {
			if n > math.MaxUint16 {
				n = math.MaxUint16
			}
			k := f.prefix + t
			idx.post[k] = append(idx.post[k], posting{i, uint16(n)})
		}
	}
}

// finish computes the mean field lengths and each term's bound.
func (idx *lexIndex) finish() {
	var totN, totF, totT int64
	for _, c := range idx.chunks {
		totN += int64(c.lenN)
		totF += int64(c.lenF)
		totT += int64(c.lenT)
	}
	if n := float64(len(idx.chunks)); n > 0 {
		idx.avgN, idx.avgF, idx.avgT = float64(totN)/n, float64(totF)/n, float64(totT)/n
	}
	for k, ps := range idx.post {
		m := 0.0
		for _, p := range ps {
			if f := idx.tfFactor(k[0], p); f > m {
				m = f
			}
		}
		idx.maxTF[k] = m
	}
}

// tfFactor is BM25's term-frequency part for one posting of a field.
func (idx *lexIndex) tfFactor(field byte, p posting) float64 {
	c := idx.chunks[p.chunk]
	dl, avg := float64(c.lenN), idx.avgN
	switch field {
	case 'f':
		dl, avg = float64(c.lenF), idx.avgF
	case 't':
		dl, avg = float64(c.lenT), idx.avgT
	}
	if avg == 0 {
		avg = 1
	}
	tf := float64(p.tf)
	return tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*dl/avg))
}

// lexTerm is one query term with its weight.
type lexTerm struct {
	key    string // "n:…" or "f:…"
	weight float64
}

// top returns the ids of the k best chunks for the terms among documents
// that pass keep, best first (ties by id).
//
// It is exact but does not score every match (MaxScore, Turtle & Flood
// 1995, term at a time): terms are read from the one that can add most to
// a score to the one that can add least. Once the k-th best partial score
// exceeds what all the unread terms together could still add, no chunk not
// yet seen can enter the top k, so the rest of the terms only update the
// chunks already seen, found by binary search in their posting lists
// instead of reading the lists of "của", "và", "theo" through.
func (idx *lexIndex) top(ts []lexTerm, keep func(lexDoc) bool, k int) []int64 {
	if k <= 0 {
		return nil
	}
	n := float64(len(idx.chunks))
	allowed := make(map[int64]bool, len(idx.docs))
	for id, d := range idx.docs {
		allowed[id] = keep(d)
	}
	type qterm struct {
		key    string
		field  byte
		weight float64 // weight · idf
		ub     float64 // weight · idf · maxTF
		ps     []posting
	}
	var qs []qterm
	for _, t := range ts {
		ps := idx.post[t.key]
		if len(ps) == 0 {
			continue
		}
		df := float64(len(ps))
		w := t.weight * math.Log(1+(n-df+0.5)/(df+0.5))
		qs = append(qs, qterm{t.key, t.key[0], w, w * idx.maxTF[t.key], ps})
	}
	sort.Slice(qs, func(i, j int) bool {
		if qs[i].ub != qs[j].ub {
			return qs[i].ub > qs[j].ub
		}
		return qs[i].key < qs[j].key
	})
	rest := make([]float64, len(qs)+1) // rest[i]: the most terms i… can add
	for i := len(qs) - 1; i >= 0; i-- {
		rest[i] = rest[i+1] + qs[i].ub
	}
	// Scores accumulate in a dense slice (one float per chunk) with the
	// touched chunks listed, cheaper than a map at 100k chunks.
	score := make([]float64, len(idx.chunks))
	seen := make([]bool, len(idx.chunks))
	var touched []int32
	i := 0
	for ; i < len(qs); i++ {
		if len(touched) >= k && kth(score, touched, k) > rest[i] {
			break
		}
		q := qs[i]
		for _, p := range q.ps {
			if !allowed[idx.chunks[p.chunk].doc] {
				continue
			}
			if !seen[p.chunk] {
				seen[p.chunk] = true
				touched = append(touched, p.chunk)
			}
			score[p.chunk] += q.weight * idx.tfFactor(q.field, p)
		}
	}
	if i < len(qs) {
		// Only the chunks already seen can still make the top k; drop
		// those that cannot reach the k-th best even with every unread
		// term, then add the unread terms to the others.
		theta := kth(score, touched, k)
		cand := touched[:0:0]
		for _, c := range touched {
			if score[c]+rest[i] >= theta {
				cand = append(cand, c)
			}
		}
		sort.Slice(cand, func(a, b int) bool { return cand[a] < cand[b] })
		for ; i < len(qs); i++ {
			q := qs[i]
			ps := q.ps
			for _, c := range cand {
				j := sort.Search(len(ps), func(j int) bool { return ps[j].chunk >= c })
				if j < len(ps) && ps[j].chunk == c {
					score[c] += q.weight * idx.tfFactor(q.field, ps[j])
				}
				ps = ps[j:]
			}
		}
		touched = cand
	}
	h := &scoreHeap{}
	for _, c := range touched {
		e := scored{idx.chunks[c].id, score[c]}
		if h.Len() < k {
			heap.Push(h, e)
		} else if e.better((*h)[0]) {
			(*h)[0] = e
			heap.Fix(h, 0)
		}
	}
	out := make([]int64, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(scored).id
	}
	return out
}

// kth is the k-th largest score among the touched chunks (len ≥ k).
func kth(score []float64, touched []int32, k int) float64 {
	h := make(minFloats, 0, k)
	for _, c := range touched {
		x := score[c]
		if len(h) < k {
			heap.Push(&h, x)
		} else if x > h[0] {
			h[0] = x
			heap.Fix(&h, 0)
		}
	}
	return h[0]
}

type minFloats []float64

func (h minFloats) Len() int           { return len(h) }
func (h minFloats) Less(i, j int) bool { return h[i] < h[j] }
func (h minFloats) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minFloats) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *minFloats) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type scored struct {
	id    int64
	score float64
}

func (a scored) better(b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id < b.id
}

// scoreHeap is a min-heap: the worst of the current top k on top.
type scoreHeap []scored

func (h scoreHeap) Len() int           { return len(h) }
func (h scoreHeap) Less(i, j int) bool { return h[j].better(h[i]) }
func (h scoreHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoreHeap) Push(x any)        { *h = append(*h, x.(scored)) }
func (h *scoreHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// lexTerms turns a query and its expansion into weighted index terms:
// syllables and bigrams with diacritics (when the query has them) and
// folded ones (at foldedWeight when the query has diacritics).
func lexTerms(text string, exp []weighted) []lexTerm {
	nfc := vntext.Tokens(text)
	fold := vntext.FoldedTokens(text)
	accented := strings.Join(nfc, " ") != strings.Join(fold, " ")
	w := map[string]float64{}
	add := func(prefix string, toks []string, weight float64) {
		for _, t := range terms(toks) {
			x := weight
			if strings.Contains(t, " ") {
				x *= bigramWeight
			}
			if x > w[prefix+t] {
				w[prefix+t] = x
			}
		}
	}
	fw := 1.0
	if accented {
		add("n:", nfc, 1)
		fw = foldedWeight
	}
	add("f:", fold, fw)
	if titleWeight > 0 {
		add("t:", fold, titleWeight)
	}
	for _, e := range exp {
		if accented {
			add("n:", vntext.Tokens(e.phrase), e.weight)
		}
		add("f:", vntext.FoldedTokens(e.phrase), fw*e.weight)
		if titleWeight > 0 {
			add("t:", vntext.FoldedTokens(e.phrase), titleWeight*e.weight)
		}
	}
	out := make([]lexTerm, 0, len(w))
	for k, x := range w {
		out = append(out, lexTerm{k, x})
	}
	return out
}
