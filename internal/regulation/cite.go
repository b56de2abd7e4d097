package regulation

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
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

// citeCandidates is how deep each of cite's searches looks.
const citeCandidates = 10

// Weights of cite's evidence (rank-based, 1/(rank+1) each):
// the requirement searched across the corpus, within the procedure's own
// legal basis, the procedure's dossier article ("hồ sơ" + procedure
// name), which is where most requirements are stated, and its procedure
// article ("thủ tục" + procedure name).
// citeMinShare is the least share of the best candidate's score another
// citation needs.
var citeMinShare = 0.5

const (
	citeBasisBoost  = 1.0
	citeAnchorBoost = 2.0
	// citeStepsBoost weighs the search for the procedure's own article
	// ("thủ tục" + procedure name); 0.25 to 1 scored alike on dev
	// (citation accuracy@1 0.686 → 0.725), 2 worse.
	citeStepsBoost = 0.5
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
		// The procedure's own article ("Thủ tục …", or the dossier
		// article of this procedure rather than of its neighbour: "Hồ sơ
		// đề nghị cấp giấy phép xây dựng mới", not "… sửa chữa, cải tạo").
		steps, err := s.Search(ctx, Query{Text: "thủ tục " + proc, K: 3, InForceOn: on})
		if err != nil {
			return nil, err
		}
		add(steps, citeStepsBoost, false)
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
