package regulation

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Citation sources.
const (
	SourceLegalBasis = "legal_basis" // found within the procedure's căn cứ pháp lý
	SourceCorpus     = "corpus"      // found across the whole index
)

// CitationsPerRequirement is how many citations CiteProcedure stores for
// each requirement.
const CitationsPerRequirement = 3

// CiteProcedure computes and stores the citations of every requirement of
// p: the best clauses within the documents of p's legal basis that are in
// the index, then the best across the whole corpus, each with its hybrid
// score and a quote verified to occur in the cited unit. It replaces the
// citations stored for the same (code, version, effective date), so it is
// idempotent. A procedure whose legal basis is not indexed gets corpus
// citations only.
func (s *Store) CiteProcedure(ctx context.Context, p *catalog.Procedure) error {
	if p == nil || p.Code == "" {
		return dossier.Errorf(dossier.CodeInvalid, "thủ tục không có mã / procedure without code")
	}
	keys, results, err := s.citeAll(ctx, p)
	if err != nil {
		return err
	}
	type row struct {
		key string
		c   dossier.Citation
	}
	var rows []row
	for i := range keys {
		for _, c := range results[i] {
			rows = append(rows, row{keys[i], c})
		}
	}
	eff := p.EffectiveFrom
	if eff.IsZero() {
		eff = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `DELETE FROM regulation_citations WHERE procedure_code = $1 AND procedure_version = $2 AND effective_from = $3`,
		p.Code, p.Version, eff); err != nil {
		return err
	}
	var copyRows [][]any
	rank := map[string]int{}
	for _, r := range rows {
		rank[r.key]++
		copyRows = append(copyRows, []any{p.Code, p.Version, eff, r.key, rank[r.key], r.c.Document, r.c.Title, r.c.Article,
			r.c.Clause, r.c.Point, r.c.Text, r.c.Score, r.c.Source, s.emb.Name()})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"regulation_citations"},
		[]string{"procedure_code", "procedure_version", "effective_from", "requirement_key", "rank", "document", "title", "article",
			"clause", "point", "quote", "score", "source", "model"}, pgx.CopyFromRows(copyRows)); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// citeAll computes the citations of every requirement of p, in requirement
// order, without storing them.
func (s *Store) citeAll(ctx context.Context, p *catalog.Procedure) ([]string, [][]dossier.Citation, error) {
	basis, err := s.indexedBasis(ctx, p.LegalBasis)
	if err != nil {
		return nil, nil, err
	}
	// The texts cited are those in force when the procedure's version took
	// effect, or today for a procedure with no date.
	on := p.EffectiveFrom
	if on.IsZero() || on.Before(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		on = s.now()
	}
	// Requirements are searched concurrently (a few at a time: each search
	// is a PostgreSQL query).
	var keys []string
	var reqs []catalog.Requirement
	done := map[string]bool{}
	for _, r := range p.Requirements {
		if r.Key == "" || done[r.Key] {
			continue
		}
		done[r.Key] = true
		keys = append(keys, r.Key)
		reqs = append(reqs, r)
	}
	results := make([][]dossier.Citation, len(reqs))
	errs := make([]error, len(reqs))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i], errs[i] = s.cite(ctx, requirementQuery(p, r), r.Name, procedureName(p), basis, on)
		}()
	}
	wg.Wait()
	for i := range reqs {
		if errs[i] != nil {
			return nil, nil, fmt.Errorf("cite %s/%s: %w", p.Code, keys[i], errs[i])
		}
	}
	return keys, results, nil
}

// requirementQuery is what a requirement is searched by: its name and
// condition, with the procedure's name (up to its parenthesised scope) as
// context, since "Giấy chứng sinh" alone fits many procedures.
func requirementQuery(p *catalog.Procedure, r catalog.Requirement) string {
	name := procedureName(p)
	q := r.Name
	if r.Condition != nil {
		q += " " + *r.Condition
	}
	return q + " " + name
}

// procedureName is a procedure's name up to its parenthesised scope,
// without the "Thủ tục" prefix.
func procedureName(p *catalog.Procedure) string {
	name := p.Name
	if i := strings.Index(name, "("); i > 0 {
		name = name[:i]
	}
	return strings.TrimPrefix(strings.TrimSpace(name), "Thủ tục ")
}

// indexedBasis maps a legal basis onto the numbers present in the index,
// tolerating scraped numbers with glued prefixes ("202068/2020/QH14" ends
// with "68/2020/QH14").
func (s *Store) indexedBasis(ctx context.Context, basis []catalog.LegalDoc) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT number FROM regulation_documents`)
	if err != nil {
		return nil, err
	}
	have, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, b := range basis {
		cands := []string{legalnum.Normalize(b.Number), legalnum.Normalize(b.Title)}
		for _, c := range cands {
			if c == "" {
				continue
			}
			for _, h := range have {
				if c == h || strings.HasSuffix(c, h) && strings.IndexByte(h, '/') > 0 {
					if !seen[h] {
						seen[h] = true
						out = append(out, h)
					}
				}
			}
		}
	}
	return out, nil
}

// citeCandidates is how deep each of cite's searches looks.
const citeCandidates = 10

// Weights of cite's evidence (rank-based, 1/(rank+1) each):
// the requirement searched across the corpus, within the procedure's own
// legal basis, and the procedure's dossier article ("hồ sơ" + procedure
// name), which is where most requirements are stated.
// citeMinShare is the least share of the best candidate's score another
// citation needs.
var citeMinShare = 0.5

const (
	citeBasisBoost  = 1.0
	citeAnchorBoost = 2.0
)

// cite returns the citations of one requirement. q is the requirement's
// query, proc the procedure's name, basis its indexed legal basis, on the
// date whose in-force texts are cited. Articles of the legal basis lead when
// the basis holds a relevant one; an article that shares no content word
// with the requirement itself (only the procedure's words) is never cited.
func (s *Store) cite(ctx context.Context, q, name, proc string, basis []string, on time.Time) ([]dossier.Citation, error) {
	type cand struct {
		h     Hit
		score float64
		basis bool
	}
	byKey := map[string]*cand{}
	var order []string
	add := func(hits []Hit, w float64, fromBasis bool) {
		for i, h := range hits {
			k := fmt.Sprintf("%s|%s", h.Document, h.ArticleLabel)
			c := byKey[k]
			if c == nil {
				c = &cand{h: h}
				byKey[k] = c
				order = append(order, k)
			}
			c.score += w / float64(i+1)
			c.basis = c.basis || fromBasis
		}
	}
	corpus, err := s.Search(ctx, Query{Text: q, K: citeCandidates, InForceOn: on})
	if err != nil {
		return nil, err
	}
	add(corpus, 1, false)
	if len(basis) > 0 {
		hits, err := s.Search(ctx, Query{Text: q, K: citeCandidates, Documents: basis, InForceOn: on})
		if err != nil {
			return nil, err
		}
		add(hits, citeBasisBoost, true)
	}
	if proc != "" {
		anchor, err := s.Search(ctx, Query{Text: "hồ sơ " + proc, K: 3, InForceOn: on})
		if err != nil {
			return nil, err
		}
		add(anchor, citeAnchorBoost, false)
	}
	idx, err := s.lexicalIndex(ctx)
	if err != nil {
		return nil, err
	}
	want := contentWords(name, proc, idx)
	var cands []*cand
	for _, k := range order {
		c := byKey[k]
		if len(want) > 0 && !sharesWord(c.h, want) {
			continue
		}
		cands = append(cands, c)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	var out []dossier.Citation
	for _, c := range cands {
		if len(out) == CitationsPerRequirement {
			break
		}
		// A candidate far behind the best is cited only as a guess; leave
		// it out rather than cite an article on another subject.
		if len(out) > 0 && c.score < citeMinShare*cands[0].score {
			break
		}
		src := SourceCorpus
		if c.basis {
			src = SourceLegalBasis
		}
		h := c.h
		out = append(out, dossier.Citation{Document: h.Document, Title: h.Title, Article: h.Article, Clause: h.Clause,
			Point: h.Point, Text: bestQuote(h.Text, q), Score: c.score, Source: src})
	}
	return out, nil
}

// contentRarity is the largest share of chunks a bigram may occur in and
// still say what a requirement is about: "ủy quyền" does, "văn bản" (in
// every other clause) does not.
const contentRarity = 1.0

// contentWords returns the folded syllable bigrams of a requirement's name
// that are not in the procedure's name and are rare in the corpus: what
// the requirement itself is about ("ủy quyền" beyond "đăng ký khai sinh").
func contentWords(name, proc string, idx *lexIndex) map[string]bool {
	skip := map[string]bool{}
	for _, t := range terms(vntext.FoldedTokens(proc)) {
		skip[t] = true
	}
	for _, t := range []string{"ban sao", "ban chinh", "theo mau", "quy dinh", "giay to", "cua co", "co tham", "tham quyen", "theo quy", "dinh cua", "phap luat", "van ban", "thuc hien", "co quan", "to chuc", "ca nhan", "ho so", "nguoi yeu", "yeu cau", "chi tiet", "thi hanh", "cua phap"} {
		skip[t] = true
	}
	out := map[string]bool{}
	for _, t := range terms(vntext.FoldedTokens(name)) {
		if !strings.Contains(t, " ") || skip[t] {
			continue
		}
		if n := len(idx.chunks); n > 0 && float64(len(idx.post["f:"+t])) > contentRarity*float64(n) {
			continue
		}
		out[t] = true
	}
	return out
}

// sharesWord reports whether the article heading or the cited text holds
// one of want's bigrams.
func sharesWord(h Hit, want map[string]bool) bool {
	toks := vntext.FoldedTokens(h.ArticleTitle + " . " + h.Text + " . " + h.ClauseText)
	for i := 0; i+1 < len(toks); i++ {
		if want[toks[i]+" "+toks[i+1]] {
			return true
		}
	}
	return false
}

var sentenceEnd = regexp.MustCompile(`[.;:]\s+|\n`)

// maxQuote bounds a quote's length in runes.
const maxQuote = 320

// bestQuote returns the sentence of text that shares most words with q,
// cut to maxQuote runes at a word boundary. It is always a substring of
// the whitespace-collapsed text, so VerifyQuote accepts it.
func bestQuote(text, q string) string {
	text = vntext.CollapseSpace(vntext.NFC(text))
	want := map[string]bool{}
	for _, t := range vntext.FoldedTokens(q) {
		want[t] = true
	}
	best, bestN := text, -1
	start := 0
	bounds := append(sentenceEnd.FindAllStringIndex(text, -1), []int{len(text), len(text)})
	for _, b := range bounds {
		seg := strings.TrimSpace(text[start:b[0]])
		start = b[1]
		if seg == "" {
			continue
		}
		n := 0
		for _, t := range vntext.FoldedTokens(seg) {
			if want[t] {
				n++
			}
		}
		if n > bestN {
			best, bestN = seg, n
		}
	}
	r := []rune(best)
	if len(r) > maxQuote {
		cut := string(r[:maxQuote])
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			cut = cut[:i]
		}
		best = cut
	}
	return best
}

// VerifyQuote reports whether quote really occurs in clauseText, after NFC
// normalisation and collapsing white space in both. An empty quote never
// verifies.
func VerifyQuote(clauseText, quote string) bool {
	q := vntext.CollapseSpace(vntext.NFC(quote))
	if q == "" {
		return false
	}
	return strings.Contains(vntext.CollapseSpace(vntext.NFC(clauseText)), q)
}

// Citations returns the stored citations of one requirement of the newest
// cited version of a procedure, best first (empty when none were computed).
func (s *Store) Citations(ctx context.Context, procedureCode, requirementKey string) ([]dossier.Citation, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT document, title, article, clause, point, quote, score, source FROM regulation_citations
		WHERE procedure_code = $1 AND requirement_key = $2 AND (effective_from, procedure_version) = (
			SELECT effective_from, procedure_version FROM regulation_citations WHERE procedure_code = $1
			ORDER BY effective_from DESC, procedure_version DESC LIMIT 1)
		ORDER BY rank`, procedureCode, requirementKey)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []dossier.Citation{}
	for rows.Next() {
		var c dossier.Citation
		if err := rows.Scan(&c.Document, &c.Title, &c.Article, &c.Clause, &c.Point, &c.Text, &c.Score, &c.Source); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// VerifyCitation reports whether a citation's quote occurs in the unit it
// cites, read from the index (the clause, or the whole article when Clause
// is nil).
func (s *Store) VerifyCitation(ctx context.Context, c dossier.Citation) (bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT text FROM regulation_chunks WHERE number = $1 AND article = $2 AND ($3::int IS NULL OR clause = $3)`,
		legalnum.Normalize(c.Document), c.Article, c.Clause)
	if err != nil {
		return false, err
	}
	texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return false, err
	}
	for _, t := range texts {
		if VerifyQuote(t, c.Text) {
			return true, nil
		}
	}
	return false, nil
}

// Cited reports whether citations of this procedure version were already
// computed with the current embedder, so that loaders can skip the work.
func (s *Store) Cited(ctx context.Context, p *catalog.Procedure) (bool, error) {
	eff := p.EffectiveFrom
	if eff.IsZero() {
		eff = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM regulation_citations
		WHERE procedure_code = $1 AND procedure_version = $2 AND effective_from = $3 AND model = $4)`,
		p.Code, p.Version, eff, s.emb.Name()).Scan(&ok)
	return ok, err
}
