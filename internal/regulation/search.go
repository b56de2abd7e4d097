package regulation

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Search modes.
const (
	ModeHybrid  = "hybrid"
	ModeLexical = "lexical"
	ModeVector  = "vector"
)

// Query is a regulation search.
type Query struct {
	Text string
	K    int // hits to return; default 10, at most 100
	// Document restricts hits to one số hiệu (any spelling legalnum.Normalize
	// accepts); Documents to several (CiteProcedure's legal basis).
	Document  string
	Documents []string
	// InForceOn is the query's date (--as-of; a dossier's submission date
	// in the check stage; today when zero): only documents in force on it
	// are searched — effective_from on or before it (or unknown) and not
	// expired (replaced) by it.
	InForceOn time.Time
	// IncludeFuture also searches documents not yet in force on InForceOn
	// (Luật Hộ tịch 03/2026/QH16 before 2027-03-01); their hits carry
	// InForce false.
	IncludeFuture bool
	// NoExpansion turns the citizen→law query expansion off (for
	// measuring it, and for callers that pass the law's own words).
	NoExpansion bool
	Mode        string // hybrid (default) | lexical | vector
}

// Version is one text of a cited article other than the one shown: the
// same article in another copy (original, OCR, Pháp điển excerpt) of the
// same document.
type Version struct {
	Document   string `json:"document"`
	SourceKind string `json:"source_kind"`
	Clause     *int   `json:"clause"`
	ChunkID    int64  `json:"chunk_id"`
}

// Hit is one cited unit. The JSON names document, title, article, clause,
// point, text and score are a public contract: add fields, never rename.
type Hit struct {
	Document     string  `json:"document"` // normalised số hiệu
	Title        string  `json:"title"`
	Article      int     `json:"article"`
	Clause       *int    `json:"clause"`
	Point        *string `json:"point"`
	Text         string  `json:"text"` // the most specific unit's text (the point's, when Point is set)
	Score        float64 `json:"score"`
	ArticleLabel string  `json:"article_label"` // "28a" for inserted articles
	ArticleTitle string  `json:"article_title"`
	ClauseText   string  `json:"clause_text,omitempty"` // the whole clause when Point is set
	Chapter      string  `json:"chapter,omitempty"`
	SourceKind   string  `json:"source_kind"`
	LexicalRank  int     `json:"lexical_rank,omitempty"` // 1-based; 0 = not found by that retriever
	VectorRank   int     `json:"vector_rank,omitempty"`
	ChunkID      int64   `json:"chunk_id"`
	// EffectiveFrom/EffectiveTo are the document's validity from the
	// registry (or its text); InForce says whether it is in force on the
	// query's date. AlsoIn lists the other copies of the same article
	// that were collapsed into this hit.
	EffectiveFrom *time.Time `json:"effective_from,omitempty"`
	EffectiveTo   *time.Time `json:"effective_to,omitempty"`
	InForce       bool       `json:"in_force"`
	AlsoIn        []Version  `json:"also_in,omitempty"`
	// repealedOn is when another text repealed this article of an
	// otherwise valid document (LinkRepeals); nil when none did.
	repealedOn *time.Time
}

// Search finds the articles that best answer q. Hybrid mode fuses the
// lexical and vector rankings by reciprocal rank fusion. Hits are collapsed
// to one per (document, article): the consolidated, original, OCR and
// excerpt copies of one article become one hit, shown from the cleanest
// copy (consolidated, then original, OCR, excerpt) and listing the others
// in AlsoIn. Only documents in force on q.InForceOn (today when zero) are
// searched, unless q.IncludeFuture.
func (s *Store) Search(ctx context.Context, q Query) ([]Hit, error) {
	q.Text = vntext.CollapseSpace(vntext.NFC(q.Text))
	if q.Text == "" {
		return nil, dossier.Errorf(dossier.CodeInvalid, "câu hỏi trống / empty query")
	}
	if q.K <= 0 {
		q.K = 10
	}
	if q.K > 100 {
		return nil, dossier.Errorf(dossier.CodeInvalid, "k tối đa 100 / k must be at most 100")
	}
	if q.Mode == "" {
		q.Mode = ModeHybrid
	}
	if q.Mode != ModeHybrid && q.Mode != ModeLexical && q.Mode != ModeVector {
		return nil, dossier.Errorf(dossier.CodeInvalid, "mode %q không hợp lệ / unknown mode (hybrid|lexical|vector)", q.Mode)
	}
	var docs []string
	for _, d := range append([]string{q.Document}, q.Documents...) {
		if d == "" {
			continue
		}
		n := legalnum.Normalize(d)
		if n == "" {
			return nil, dossier.Errorf(dossier.CodeInvalid, "số hiệu %q không hợp lệ / invalid document number", d)
		}
		docs = append(docs, n)
	}
	on := q.InForceOn
	if on.IsZero() {
		on = s.now()
	}
	// Several copies of one article compete for the same slots, so look
	// deeper than k before collapsing.
	depth := s.Depth
	if depth < 6*q.K {
		depth = 6 * q.K
	}
	f := filter{docs: docs, on: on, future: q.IncludeFuture}
	var exp []weighted
	if !q.NoExpansion {
		exp = s.thesaurus().Expand(q.Text)
	}
	// The two retrievers run at the same time: the vector one mostly
	// waits on PostgreSQL while the lexical one scores in memory, so the
	// hybrid search costs about the slower of the two, not their sum.
	var lex, vec []int64
	var lexErr error
	lexDone := make(chan struct{})
	go func() {
		defer close(lexDone)
		if q.Mode != ModeVector {
			lex, lexErr = s.lexical(ctx, q.Text, exp, f, depth)
		}
	}()
	var vecErr error
	if q.Mode != ModeLexical {
		vt := q.Text
		for _, e := range exp {
			if !e.heading {
				vt += " " + e.phrase
			}
		}
		vec, vecErr = s.vector(ctx, vt, f, depth)
	}
	<-lexDone
	if lexErr != nil {
		return nil, fmt.Errorf("lexical search: %w", lexErr)
	}
	if vecErr != nil {
		return nil, fmt.Errorf("vector search: %w", vecErr)
	}
	type fused struct {
		id       int64
		score    float64
		lex, vec int
	}
	by := map[int64]*fused{}
	add := func(ids []int64, lexical bool) {
		for i, id := range ids {
			x := by[id]
			if x == nil {
				x = &fused{id: id}
				by[id] = x
			}
			w := 1.0
			if !lexical {
				w = s.vectorWeight()
			}
			x.score += w / (s.RRFK + float64(i+1))
			if lexical {
				x.lex = i + 1
			} else {
				x.vec = i + 1
			}
		}
	}
	add(lex, true)
	add(vec, false)
	if missingRank && q.Mode == ModeHybrid {
		// A candidate one retriever found and the other did not is not
		// unrelated to the query by the other: it ranks somewhere below
		// that list's depth. Counting it there, rather than as nothing,
		// keeps a strong lexical match that the vector list just missed
		// from falling below weak matches that both lists hold.
		for _, x := range by {
			if x.lex == 0 && len(lex) >= depth {
				x.score += 1 / (s.RRFK + float64(depth+1))
			}
			if x.vec == 0 && len(vec) >= depth {
				x.score += s.vectorWeight() / (s.RRFK + float64(depth+1))
			}
		}
	}
	ranked := make([]*fused, 0, len(by))
	for _, x := range by {
		ranked = append(ranked, x)
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].score != ranked[j].score {
			return ranked[i].score > ranked[j].score
		}
		return ranked[i].id < ranked[j].id
	})
	ids := make([]int64, len(ranked))
	for i, x := range ranked {
		ids[i] = x.id
	}
	rows, err := s.load(ctx, ids)
	if err != nil {
		return nil, err
	}
	qtoks := queryWeights(q.Text)
	// Collapse: the first (best-fused) chunk of an article fixes its rank
	// and score; the copy shown is the cleanest text among that article's
	// candidates, preferring the clause of the best chunk.
	type group struct {
		best   Hit
		score  float64
		lex    int
		vec    int
		copies []Hit
	}
	var order []string
	groups := map[string]*group{}
	for _, x := range ranked {
		h, ok := rows[x.id]
		if !ok || h.repealedOn != nil && !h.repealedOn.After(on) {
			continue // the vector stage filters documents, not articles
		}
		key := h.Document + "|" + h.ArticleLabel
		g := groups[key]
		if g == nil {
			g = &group{best: h, score: x.score, lex: x.lex, vec: x.vec}
			groups[key] = g
			order = append(order, key)
		}
		g.copies = append(g.copies, h)
	}
	// The shown copy of each article; the cleaner copies of the clauses
	// that were not candidates are fetched in one query for all articles
	// (not one per hit).
	if len(order) > q.K {
		order = order[:q.K]
	}
	shownBy := make(map[string]Hit, len(order))
	var want []Hit
	for _, key := range order {
		g := groups[key]
		shown := g.best
		for _, c := range g.copies[1:] {
			if sourceRank(c.SourceKind) < sourceRank(shown.SourceKind) && sameClause(c.Clause, g.best.Clause) {
				shown = c
			}
		}
		shownBy[key] = shown
		if sourceRank(shown.SourceKind) > 0 && g.best.Clause != nil {
			want = append(want, shown)
		}
	}
	cleaner, err := s.cleanerCopies(ctx, want, on, q.IncludeFuture)
	if err != nil {
		return nil, err
	}
	var hits []Hit
	for _, key := range order {
		g := groups[key]
		shown := shownBy[key]
		if c, ok := cleaner[shown.ChunkID]; ok {
			shown = c
		}
		seen := map[string]bool{shown.SourceKind + fmt.Sprint(shown.Document): true}
		for _, c := range g.copies {
			k := c.SourceKind + fmt.Sprint(c.Document)
			if seen[k] {
				continue
			}
			seen[k] = true
			shown.AlsoIn = append(shown.AlsoIn, Version{Document: c.Document, SourceKind: c.SourceKind, Clause: c.Clause, ChunkID: c.ChunkID})
		}
		shown.Score = g.score
		shown.LexicalRank, shown.VectorRank = g.lex, g.vec
		shown.InForce = inForce(shown.EffectiveFrom, shown.EffectiveTo, on)
		refinePoint(&shown, qtoks)
		hits = append(hits, shown)
	}
	return hits, nil
}

// missingRank counts a candidate that only one retriever returned at the
// other's depth + 1 (see Search): on the everyday dev questions, fold A
// (tuned on) recall@1 0.710 → 0.726, fold B (checked) 0.625 → 0.625 with
// recall@10 0.969 → 0.984. A package variable so the evaluation can
// measure it off.
var missingRank = true

// hashingVectorWeight is the vector ranking's weight in the fusion when
// the embedder is the local hashing one: on the everyday dev questions
// (with the heading field) 0.25 gave recall@1 0.611 and MRR 0.723 against
// 0.563 and 0.682 at 0.5 and 0.476 and 0.617 at 1, since hashed n-grams
// carry no meaning beyond the words the lexical stage already has.
const hashingVectorWeight = 0.25

func (s *Store) vectorWeight() float64 {
	if s.VectorWeight > 0 {
		return s.VectorWeight
	}
	if strings.HasPrefix(s.emb.Name(), "local-hashing") {
		return hashingVectorWeight
	}
	return 1
}

// sourceRank orders copies of one article: the clean consolidated text
// first, then the original, an OCR copy, a Pháp điển excerpt.
func sourceRank(kind string) int {
	switch kind {
	case SourceConsolidated:
		return 0
	case SourceOriginal:
		return 1
	case SourceOCR:
		return 2
	}
	return 3
}

func sameClause(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func inForce(from, to *time.Time, on time.Time) bool {
	return (from == nil || !from.After(on)) && (to == nil || to.After(on))
}

func clauseKey(c *int) string {
	if c == nil {
		return "-"
	}
	return fmt.Sprint(*c)
}

type filter struct {
	docs   []string
	on     time.Time
	future bool // also documents not yet in force on on
}

// where appends the filter's conditions on d (documents): it is a filter
// on documents only.
func (f filter) where(args *[]any) string {
	var conds []string
	if len(f.docs) > 0 {
		*args = append(*args, f.docs)
		conds = append(conds, fmt.Sprintf("d.number = ANY($%d)", len(*args)))
	}
	if !f.on.IsZero() {
		*args = append(*args, f.on)
		n := len(*args)
		if f.future {
			conds = append(conds, fmt.Sprintf("(d.effective_to IS NULL OR d.effective_to > $%d)", n))
		} else {
			conds = append(conds, fmt.Sprintf("(d.effective_from IS NULL OR d.effective_from <= $%d) AND (d.effective_to IS NULL OR d.effective_to > $%d)", n, n))
		}
	}
	if len(conds) == 0 {
		return "true"
	}
	return strings.Join(conds, " AND ")
}

// lexical ranks chunks by BM25 over the in-memory inverted index (see
// lexindex.go), keeping only documents that pass the filter.
func (s *Store) lexical(ctx context.Context, text string, exp []weighted, f filter, limit int) ([]int64, error) {
	idx, err := s.lexicalIndex(ctx)
	if err != nil {
		return nil, err
	}
	docs := map[string]bool{}
	for _, d := range f.docs {
		docs[d] = true
	}
	keep := func(d lexDoc) bool {
		if len(docs) > 0 && !docs[d.number] {
			return false
		}
		if f.on.IsZero() {
			return true
		}
		if d.to != nil && !d.to.After(f.on) {
			return false
		}
		return f.future || d.from == nil || !d.from.After(f.on)
	}
	var on int32
	if !f.on.IsZero() {
		on = epochDay(f.on)
	}
	return idx.top(lexTerms(text, exp), keep, on, limit), nil
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// pointsMarker smuggles the points through ClauseText until refinePoint
// decides; it is replaced there.
func pointsMarker(ps []Point) string {
	if len(ps) == 0 {
		return ""
	}
	b, _ := json.Marshal(ps)
	return "\x00" + string(b)
}

// queryWeights returns the query's content syllables (folded).
func queryWeights(text string) map[string]bool {
	m := map[string]bool{}
	for _, t := range vntext.FoldedTokens(text) {
		if len(t) > 1 {
			m[t] = true
		}
	}
	return m
}

// refinePoint narrows a clause hit to one of its points when a single point
// shares clearly more query words than any other.
func refinePoint(h *Hit, q map[string]bool) {
	marker := h.ClauseText
	h.ClauseText = ""
	if !strings.HasPrefix(marker, "\x00") {
		return
	}
	var ps []Point
	if json.Unmarshal([]byte(marker[1:]), &ps) != nil || len(ps) == 0 {
		return
	}
	best, second, bi := 0, 0, -1
	for i, p := range ps {
		n := 0
		seen := map[string]bool{}
		for _, t := range vntext.FoldedTokens(p.Text) {
			if q[t] && !seen[t] {
				seen[t] = true
				n++
			}
		}
		if n > best {
			best, second, bi = n, best, i
		} else if n > second {
			second = n
		}
	}
	if bi < 0 || best < 2 || best < second+2 {
		return
	}
	label := ps[bi].Label
	h.Point = &label
	h.ClauseText = h.Text
	h.Text = ps[bi].Text
}
