package classifier

import (
	"hash/maphash"
	"slices"
	"strings"
	"sync"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// reqIndex is what Classify needs from a procedure's requirement list that
// does not depend on the document: the folded texts, how strongly each
// requirement names each type of the taxonomy (aliasScore), the share of
// requirements the taxonomy knows (coverage) and the word pairs of the
// names (for overlap). Every document of a dossier is classified against
// the same list, and every dossier of a procedure too: the index is built
// once per list (reqIndexFor) instead of once per document. It is
// immutable once built.
type reqIndex struct {
	freqs []foldedReq
	// alias[t][i] is aliasScore(t, freqs[i]) for each type t of the
	// taxonomy; a type it does not hold scores 0 everywhere.
	alias map[string][]float64
	cov   float64
	// words numbers the words of the requirements' names, pairs the
	// adjacent pairs of them (key: first<<32 | second); nameBigrams[i]
	// lists, for each adjacent pair of freqs[i].name's words, its number
	// (nil when the name has fewer than two words).
	words       map[string]int32
	pairs       map[uint64]int32
	nameBigrams [][]int32
}

func newReqIndex(reqs []catalog.Requirement) *reqIndex {
	x := &reqIndex{freqs: make([]foldedReq, len(reqs)), alias: map[string][]float64{}, words: map[string]int32{}, pairs: map[uint64]int32{}}
	for i, r := range reqs {
		x.freqs[i] = foldReq(r)
	}
	for _, info := range Taxonomy {
		if _, ok := x.alias[info.Type]; ok {
			continue
		}
		sc := make([]float64, len(reqs))
		for i, fr := range x.freqs {
			sc[i] = aliasScore(info.Type, fr)
		}
		x.alias[info.Type] = sc
	}
	x.cov = coverage(x.freqs)
	x.nameBigrams = make([][]int32, len(reqs))
	for i, fr := range x.freqs {
		w := strings.Fields(fr.name)
		if len(w) < 2 {
			continue
		}
		ids := make([]int32, len(w)-1)
		word := func(s string) uint64 {
			n, ok := x.words[s]
			if !ok {
				n = int32(len(x.words))
				x.words[s] = n
			}
			return uint64(n)
		}
		for j := 1; j < len(w); j++ {
			k := word(w[j-1])<<32 | word(w[j])
			id, ok := x.pairs[k]
			if !ok {
				id = int32(len(x.pairs))
				x.pairs[k] = id
			}
			ids[j-1] = id
		}
		x.nameBigrams[i] = ids
	}
	return x
}

// docPairs reports, for each numbered name word pair, whether the
// document's tokens hold it (the document's bigrams, as far as any name
// asks). Tokens hold no spaces, so the pair (a, b) is the bigram "a b"; a
// token that is no name's word is in no pair.
func (x *reqIndex) docPairs(toks []string) []bool {
	hits := make([]bool, len(x.pairs))
	if len(x.pairs) == 0 {
		return hits
	}
	prev := int32(-1) // the previous token's word number; -1: no name's word
	for _, t := range toks {
		cur, ok := x.words[t]
		if !ok {
			prev = -1
			continue
		}
		if prev >= 0 {
			if id, ok := x.pairs[uint64(prev)<<32|uint64(cur)]; ok {
				hits[id] = true
			}
		}
		prev = cur
	}
	return hits
}

// mapType returns the key of the requirement that a document of type t
// satisfies, or "other". Among requirements that name the type, the one
// whose name shares most word pairs with the document wins (two kinds of
// văn bản ủy quyền in hộ kinh doanh).
func (x *reqIndex) mapType(t string, hits []bool) string {
	bestKey, best := dossier.TypeOther, 0.0
	for i, s := range x.alias[t] {
		if s == 0 {
			continue
		}
		s += x.overlap(i, hits)
		if s > best {
			best, bestKey = s, x.freqs[i].key
		}
	}
	return bestKey
}

// overlap is the share of requirement i's name's word pairs found in the
// document, in [0,1].
func (x *reqIndex) overlap(i int, hits []bool) float64 {
	ids := x.nameBigrams[i]
	if len(ids) == 0 {
		return 0
	}
	hit := 0
	for _, id := range ids {
		if hits[id] {
			hit++
		}
	}
	return float64(hit) / float64(len(ids))
}

// reqSource is what of a requirement the index is built from, copied so
// that a caller changing its requirements afterwards cannot make a stale
// index look current.
type reqSource struct {
	key, name, form string
	hasForm         bool
	alts            []string
}

func sourceOf(r catalog.Requirement) reqSource {
	s := reqSource{key: r.Key, name: r.Name, alts: slices.Clone(r.Alternatives)}
	if r.Form != nil {
		s.form, s.hasForm = *r.Form, true
	}
	return s
}

func (s *reqSource) is(r catalog.Requirement) bool {
	return s.key == r.Key && s.name == r.Name && s.hasForm == (r.Form != nil) && (r.Form == nil || s.form == *r.Form) && slices.Equal(s.alts, r.Alternatives)
}

type reqIndexEntry struct {
	src []reqSource
	x   *reqIndex
}

func (e *reqIndexEntry) is(reqs []catalog.Requirement) bool {
	if len(e.src) != len(reqs) {
		return false
	}
	for i := range reqs {
		if !e.src[i].is(reqs[i]) {
			return false
		}
	}
	return true
}

// maxReqIndexes bounds the cache: past it, the cache starts afresh (the
// national catalog has some thousands of procedures; a service classifies
// against those its dossiers name).
const maxReqIndexes = 1024

var (
	reqHashSeed = maphash.MakeSeed()
	reqIndexMu  sync.Mutex
	reqIndexes  = map[uint64][]*reqIndexEntry{}
	reqIndexN   int
)

// reqIndexFor returns the index of reqs, built on first use and cached by
// the list's content.
func reqIndexFor(reqs []catalog.Requirement) *reqIndex {
	var h maphash.Hash
	h.SetSeed(reqHashSeed)
	for _, r := range reqs {
		h.WriteString(r.Key)
		h.WriteByte(0)
		h.WriteString(r.Name)
		h.WriteByte(0)
		if r.Form != nil {
			h.WriteByte(1)
			h.WriteString(*r.Form)
		}
		h.WriteByte(0)
		for _, a := range r.Alternatives {
			h.WriteString(a)
			h.WriteByte(0)
		}
		h.WriteByte(1)
	}
	sum := h.Sum64()
	reqIndexMu.Lock()
	for _, e := range reqIndexes[sum] {
		if e.is(reqs) {
			reqIndexMu.Unlock()
			return e.x
		}
	}
	reqIndexMu.Unlock()
	e := &reqIndexEntry{src: make([]reqSource, len(reqs)), x: newReqIndex(reqs)}
	for i, r := range reqs {
		e.src[i] = sourceOf(r)
	}
	reqIndexMu.Lock()
	if reqIndexN >= maxReqIndexes {
		clear(reqIndexes)
		reqIndexN = 0
	}
	reqIndexes[sum] = append(reqIndexes[sum], e)
	reqIndexN++
	reqIndexMu.Unlock()
	return e.x
}
