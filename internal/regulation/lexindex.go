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
)

// Package variables so the evaluation can measure other values.
var (
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

// articleTitleIDF: heading terms' idf counts articles, not chunks (see
// lexIndex.titleDF). On the everyday dev questions, fold A (tuned on)
// recall@1 0.710 → 0.710, fold B (checked) 0.609 → 0.625. A package
// variable so the evaluation can measure it off.
var articleTitleIDF = true

type lexChunk struct {
	id   int64
	doc  int64
	docI int32 // the document's place in lexIndex.docList
	lenN int32
	lenF int32
	lenT int32
	// art numbers the chunk's article (its copy in its document): the
	// chunks of one article are consecutive and share it.
	art int32
	// gone is the day (since 1970-01-01) from which another text repealed
	// the chunk's article (regulation_documents.repealed_articles); 0 when
	// none did.
	gone int32
}

// posting is one chunk of a term's list. impact holds the term frequency
// while the index is built, then (after finish) BM25's term-frequency
// factor for the chunk, so that a query reads no chunk to score it.
type posting struct {
	chunk  int32
	impact float32
}

type lexDoc struct {
	number   string
	from, to *time.Time
}

// epochDay is t's day since 1970-01-01 (UTC).
func epochDay(t time.Time) int32 { return int32(t.Unix() / 86400) }

type lexIndex struct {
	stamp  string
	chunks []lexChunk
	post   map[string][]posting // "n:" + term (NFC), "f:" + term (folded), "t:" + heading term (folded)
	// maxTF is, per posting list, the largest BM25 term-frequency factor
	// tf·(k1+1)/(tf+k1·(1−b+b·dl/avg)) of any chunk in it: times the
	// term's weight and idf, the most that term can add to any score
	// (the MaxScore bound that lets top stop reading common terms).
	maxTF map[string]float64
	// titleDF is, per heading term, the number of articles whose heading
	// has it; nArticles the articles. A heading is the article's, not
	// its clauses': counted per chunk, the words of a long article's
	// heading would look common and every one of its clauses would be a
	// separate chance to match them.
	titleDF   map[string]int
	nArticles int
	avgN      float64
	avgF      float64
	avgT      float64
	docs      map[int64]lexDoc
	// docList holds the documents of the chunks, each chunk's docI its
	// place here, so a query's document filter is one []bool.
	docList []lexDoc
	docIdx  map[int64]int32
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
	if idx.docIdx == nil {
		idx.docIdx = map[int64]int32{}
	}
	di, ok := idx.docIdx[c.doc]
	if !ok {
		di = int32(len(idx.docList))
		idx.docIdx[c.doc] = di
		idx.docList = append(idx.docList, idx.docs[c.doc])
	}
	c.docI = di
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
			idx.post[k] = append(idx.post[k], posting{i, float32(n)})
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
	if articleTitleIDF {
		idx.titleDF = map[string]int{}
		idx.nArticles = 0
		last := int32(-1)
		for _, c := range idx.chunks {
			if c.art != last {
				idx.nArticles++
				last = c.art
			}
		}
		for k, ps := range idx.post {
			if k[0] != 't' {
				continue
			}
			n, last := 0, int32(-1)
			for _, p := range ps {
				if a := idx.chunks[p.chunk].art; a != last {
					n++
					last = a
				}
			}
			idx.titleDF[k] = n
		}
	}
	for k, ps := range idx.post {
		m := 0.0
		for j, p := range ps {
			f := idx.tfFactor(k[0], p)
			ps[j].impact = float32(f)
			if f := float64(ps[j].impact); f > m {
				m = f
			}
		}
		idx.maxTF[k] = m
	}
}

// tfFactor is BM25's term-frequency part for one posting of a field (whose
// impact still holds the term frequency).
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
	tf := float64(p.impact)
	return tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*dl/avg))
}

// idf is BM25's idf of an indexed term: over chunks, or over articles for
// a heading term (titleDF).
func (idx *lexIndex) idf(key string) float64 {
	df, n := float64(len(idx.post[key])), float64(len(idx.chunks))
	if d, ok := idx.titleDF[key]; ok {
		df, n = float64(d), float64(idx.nArticles)
	}
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// lexTerm is one query term with its weight.
type lexTerm struct {
	key    string // "n:…", "f:…" or "t:…"
	weight float64
}

// top returns the ids of the k best chunks for the terms among documents
// that pass keep, best first (ties by id), leaving out the chunks whose
// article was repealed on or before day on (an epochDay; 0 = no date).
//
// It is exact but does not score every match: MaxScore (Turtle & Flood
// 1995), document at a time. The terms are ordered by the most each can
// add to a score (weight · idf · the largest impact in its list). Once the
// k-th best score so far (theta) is at least what the weakest terms
// together can add, a chunk that has only those terms cannot enter the top
// k: their lists ("của", "và", "theo") are no longer walked, only probed
// (by binary search) for the chunks the other terms bring, and only while
// the chunk can still beat theta.
func (idx *lexIndex) top(ts []lexTerm, keep func(lexDoc) bool, on int32, k int) []int64 {
	if k <= 0 {
		return nil
	}
	allowed := make([]bool, len(idx.docList))
	for i, d := range idx.docList {
		allowed[i] = keep(d)
	}
	type cursor struct {
		weight float64 // weight · idf
		ub     float64 // weight · idf · the list's largest impact
		ps     []posting
	}
	cs := make([]cursor, 0, len(ts))
	for _, t := range ts {
		ps := idx.post[t.key]
		if len(ps) == 0 {
			continue
		}
		w := t.weight * idx.idf(t.key)
		cs = append(cs, cursor{w, w * idx.maxTF[t.key], ps})
	}
	// Weakest first; upto[i] is the most terms 0…i−1 can add together,
	// rounded up a little so that summing in another order never makes
	// a chunk's true score exceed its bound.
	sort.Slice(cs, func(i, j int) bool { return cs[i].ub < cs[j].ub })
	upto := make([]float64, len(cs)+1)
	for i, c := range cs {
		upto[i+1] = upto[i] + c.ub
	}
	for i := range upto {
		upto[i] *= 1 + 1e-9
	}
	h := make(scoreHeap, 0, k)
	theta := math.Inf(-1)
	ess := 0 // terms ess… are essential: a chunk must have one to enter
	for ess < len(cs) {
		// The next chunk in any essential list.
		next := int32(math.MaxInt32)
		for i := ess; i < len(cs); i++ {
			if ps := cs[i].ps; len(ps) > 0 && ps[0].chunk < next {
				next = ps[0].chunk
			}
		}
		if next == math.MaxInt32 {
			break
		}
		score := 0.0
		for i := ess; i < len(cs); i++ {
			if ps := cs[i].ps; len(ps) > 0 && ps[0].chunk == next {
				score += cs[i].weight * float64(ps[0].impact)
				cs[i].ps = ps[1:]
			}
		}
		if c := &idx.chunks[next]; !allowed[c.docI] || on != 0 && c.gone != 0 && c.gone <= on {
			continue
		}
		// The non-essential terms, strongest first, while the chunk can
		// still beat theta (chunks come in id order, so a later chunk
		// with theta's score ranks below it and cannot enter).
		ok := true
		for i := ess - 1; i >= 0; i-- {
			if score+upto[i+1] <= theta {
				ok = false
				break
			}
			ps := cs[i].ps
			j := sort.Search(len(ps), func(j int) bool { return ps[j].chunk >= next })
			cs[i].ps = ps[j:]
			if j < len(ps) && ps[j].chunk == next {
				score += cs[i].weight * float64(ps[j].impact)
			}
		}
		if !ok || score <= theta {
			continue
		}
		e := scored{idx.chunks[next].id, score}
		if len(h) < k {
			heap.Push(&h, e)
		} else {
			h[0] = e
			heap.Fix(&h, 0)
		}
		if len(h) == k {
			theta = h[0].score
			for ess < len(cs) && upto[ess+1] <= theta {
				ess++
			}
		}
	}
	out := make([]int64, len(h))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(scored).id
	}
	return out
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

// queryNoise holds the words of a citizen's question that carry no legal
// content: first person, question words and sentence particles ("tôi",
// "muốn", "gì", "ai", "đâu", "nào", "vậy", "nhé"). The law hardly ever
// uses them, so BM25 gives them a high idf and a question's "tôi" or
// "muốn" matches the rare article (a form, a declaration) that has them.
// Words that are also the syllables of legal words stay: "sao" (bản
// sao), "bao" (bao gồm), "giờ" (24 giờ), "em" (trẻ em), "mới" (cấp mới).
// A package variable so the evaluation can measure it off.
var queryNoise = map[string]bool{
	"tôi": true, "tớ": true, "muốn": true, "gì": true, "ai": true, "đâu": true,
	"nào": true, "nhiêu": true, "vậy": true, "nữa": true, "rồi": true,
	"chứ": true, "hay": true, "nhỉ": true, "nhé": true, "ạ": true, "à": true,
	"hả": true, "ơi": true, "ấy": true, "kia": true, "nó": true, "luôn": true,
}

// noiseMask marks the query's tokens that are in queryNoise, by the
// accented token when the two tokenisations align (so "tới" is not taken
// for "tôi"), else by the folded one.
func noiseMask(nfc, fold []string) []bool {
	m := make([]bool, len(fold))
	if len(queryNoise) == 0 {
		return m
	}
	if len(nfc) == len(fold) {
		for i, t := range nfc {
			m[i] = queryNoise[t]
		}
		return m
	}
	folded := map[string]bool{}
	for w := range queryNoise {
		folded[vntext.Fold(w)] = true
	}
	for i, t := range fold {
		m[i] = folded[t]
	}
	return m
}

// lexTerms turns a query and its expansion into weighted index terms:
// syllables and bigrams with diacritics (when the query has them) and
// folded ones (at foldedWeight when the query has diacritics). The
// query's noise words (queryNoise) and the bigrams that hold one are left
// out; the expansion's phrases are the law's words and kept whole.
func lexTerms(text string, exp []weighted) []lexTerm {
	nfc := vntext.Tokens(text)
	fold := vntext.FoldedTokens(text)
	accented := strings.Join(nfc, " ") != strings.Join(fold, " ")
	w := map[string]float64{}
	add := func(prefix string, toks []string, noise []bool, weight float64) {
		for i, t := range terms(toks) {
			// terms lists the syllables, then the bigrams (i−n is the
			// bigram of syllables i−n and i−n+1).
			if noise != nil {
				if n := len(toks); i < n && noise[i] || i >= n && (noise[i-n] || noise[i-n+1]) {
					continue
				}
			}
			x := weight
			if strings.Contains(t, " ") {
				x *= bigramWeight
			}
			if x > w[prefix+t] {
				w[prefix+t] = x
			}
		}
	}
	mask := noiseMask(nfc, fold)
	nfcMask := make([]bool, len(nfc))
	for i, t := range nfc {
		nfcMask[i] = queryNoise[t]
	}
	fw := 1.0
	if accented {
		add("n:", nfc, nfcMask, 1)
		fw = foldedWeight
	}
	add("f:", fold, mask, fw)
	if titleWeight > 0 {
		add("t:", fold, mask, titleWeight)
	}
	for _, e := range exp {
		if e.heading {
			if titleWeight > 0 {
				add("t:", vntext.FoldedTokens(e.phrase), nil, titleWeight*e.weight)
			}
			continue
		}
		if accented {
			add("n:", vntext.Tokens(e.phrase), nil, e.weight)
		}
		add("f:", vntext.FoldedTokens(e.phrase), nil, fw*e.weight)
		if titleWeight > 0 {
			add("t:", vntext.FoldedTokens(e.phrase), nil, titleWeight*e.weight)
		}
	}
	out := make([]lexTerm, 0, len(w))
	for k, x := range w {
		out = append(out, lexTerm{k, x})
	}
	return out
}
