package regulation

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
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
	// A decree of the basis that details a law brings the law: its
	// articles are often where the paper is named ("nộp các giấy tờ theo
	// quy định tại khoản 1 Điều 16 của Luật hộ tịch").
	laws, err := s.implementedLaws(ctx, basis)
	if err != nil {
		return nil, nil, err
	}
	basis = append(basis, laws...)
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
	// citeMentionBoost weighs how much of the paper's name the article's
	// best clause holds (mention, 0 to 1): dev citation accuracy@1 0.667
	// (0), 0.706 (1), 0.765 (2), 0.784 (3), 0.804 (4), 0.824 (5, 6),
	// 0.784 (8), with citeNonRequiring 0.5 and before citeOutsideBasis
	// and citeAmending.
	citeMentionBoost = 5.0
	// citeNonRequiring scales the mention of a clause that does not ask
	// for papers (no nộp, xuất trình, gồm, kèm theo): the paper named in
	// "Nội dung khai sinh … theo Giấy chứng sinh" is not required there
	// (dev accuracy@1 0.784 at 1, 0.824 at 0.5, 0.784 at 0.25).
	citeNonRequiring = 0.5
	// citeOutsideBasis scales the mention of an article outside the
	// procedure's legal basis (and the laws its decrees detail): 0.75
	// 0.843, 1 0.824, 0.5 0.804 on dev (with citeAmending 0.5).
	citeOutsideBasis = 0.75
	// citeAmending scales an amending article's score (0.25 and 0.5
	// alike on dev; alone, no change).
	citeAmending = 0.5
	// citeSpecialCase scales how much an article whose heading adds a
	// case the procedure does not name yields to a more general sibling
	// that names the paper as fully (within citeSameMention).
	citeSpecialCase = 0.5
	citeSameMention = 0.05
)

// cite returns the citations of one requirement. q is the requirement's
// query, proc the procedure's name, basis its indexed legal basis, on the
// date whose in-force texts are cited. Articles of the legal basis lead when
// the basis holds a relevant one; an article that shares no content word
// with the requirement itself (only the procedure's words) is never cited.
func (s *Store) cite(ctx context.Context, q, name, proc string, basis []string, on time.Time) ([]dossier.Citation, error) {
	type cand struct {
		h       Hit
		score   float64
		basis   bool
		mention float64
		kept    float64 // score before general-before-special
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
	// Every unit (intro, clauses) of each candidate article: the article
	// is judged on the clause that names the paper, not only on the
	// clause a search happened to return.
	var ids []int64
	for _, k := range order {
		ids = append(ids, byKey[k].h.ChunkID)
	}
	units, err := s.articleUnits(ctx, ids)
	if err != nil {
		return nil, err
	}
	want := contentWords(name, proc, idx)
	actOf := headingWords(proc)
	named := headingWords(proc + " " + name)
	// The application itself ("Văn bản đề nghị đăng ký tạm trú" in
	// "Đăng ký tạm trú") has no words of its own beyond the request: the
	// dossier or procedure article whose heading names the procedure's
	// act ("Hồ sơ, thủ tục đăng ký tạm trú …") is about it.
	app := isApplication(name, proc)
	paper := paperBigrams(name, idx)
	var cands []*cand
	for _, k := range order {
		c := byKey[k]
		us := units[c.h.ChunkID]
		if len(want) > 0 && !sharesWord(c.h, want) && !unitsShare(us, want) &&
			!(app && dossierHeading(c.h.ArticleTitle) && specialCase(c.h.ArticleTitle, actOf, named) >= 0) {
			continue
		}
		// The clause that names the paper best, and how much of the
		// paper's name it holds.
		best := -1
		for i, u := range us {
			m := mention(paper, u.Fold)
			if !requiresPaper(u.Fold) {
				m *= citeNonRequiring
			}
			if m > c.mention {
				c.mention, best = m, i
			}
		}
		if best >= 0 && us[best].Clause != nil {
			c.h.Clause, c.h.Point, c.h.Text, c.h.ClauseText = us[best].Clause, nil, us[best].Text, ""
		}
		// The procedure's own legal basis first: a text outside it that
		// names the paper as fully counts a little less.
		if c.basis {
			c.score += citeMentionBoost * c.mention
		} else {
			c.score += citeMentionBoost * citeOutsideBasis * c.mention
		}
		// The version in force: an article that amends another text
		// ("Sửa đổi, bổ sung Điều 2 …") yields to the amended article,
		// which the index holds as consolidated.
		if amending(c.h.ArticleTitle) {
			c.score *= citeAmending
		}
		cands = append(cands, c)
	}
	// General before special: of two articles that name the paper about
	// as fully and whose headings both name the procedure's act, the one
	// whose heading adds a case the procedure does not name ("Đăng ký
	// khai sinh cho trẻ em sinh ra ở nước ngoài …" beside "Thủ tục đăng
	// ký khai sinh") yields, by how much more it adds.
	spec := make([]float64, len(cands))
	for i, c := range cands {
		spec[i] = specialCase(c.h.ArticleTitle, actOf, named)
	}
	factor := make([]float64, len(cands))
	for i, c := range cands {
		factor[i] = 1
		if spec[i] <= 0 {
			continue
		}
		for j, d := range cands {
			if j == i || spec[j] < 0 || spec[j] >= spec[i] || d.mention < c.mention-citeSameMention {
				continue
			}
			factor[i] = min(factor[i], 1-citeSpecialCase*(spec[i]-spec[j]))
		}
	}
	// The share a citation needs of the best is taken before this
	// reordering: a special case stays a citation, after the general
	// article.
	best := 0.0
	for i, c := range cands {
		c.kept = c.score
		best = max(best, c.score)
		c.score *= factor[i]
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	if citeTrace != nil {
		var lines []string
		for _, c := range cands {
			lines = append(lines, fmt.Sprintf("%.3f m%.2f %v %s Điều %s k%v %.60q", c.score, c.mention, c.basis, c.h.Document, c.h.ArticleLabel, clauseNum(c.h.Clause), c.h.ArticleTitle))
		}
		citeTrace(proc+"|"+name, lines)
	}
	var out []dossier.Citation
	for _, c := range cands {
		if len(out) == CitationsPerRequirement {
			break
		}
		// A candidate far behind the best is cited only as a guess; leave
		// it out rather than cite an article on another subject.
		if len(out) > 0 && c.kept < citeMinShare*best {
			continue
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

// isApplication reports whether a requirement is the procedure's own
// application: its name, up to a comma or bracket, is a request word
// ("đơn", "tờ khai", "văn bản / giấy / phiếu đề nghị") followed by words
// of the procedure's name only.
func isApplication(name, proc string) bool {
	if i := strings.IndexAny(name, ",(;:"); i > 0 {
		name = name[:i]
	}
	t := strings.Join(vntext.FoldedTokens(name), " ")
	rest := ""
	for _, w := range []string{"van ban de nghi ", "giay de nghi ", "phieu de nghi ", "don de nghi ", "to khai de nghi ", "to khai ", "don "} {
		if strings.HasPrefix(t, w) {
			rest = strings.TrimPrefix(t, w)
			break
		}
	}
	toks := strings.Fields(rest)
	if len(toks) < 2 {
		return false
	}
	act := " " + strings.Join(vntext.FoldedTokens(proc), " ") + " "
	return strings.Contains(act, " "+strings.Join(toks, " ")+" ")
}

// dossierHeading reports whether an article heading is about a dossier
// or a procedure's steps ("Hồ sơ …", "Thủ tục …", "Trình tự …", "Giấy tờ
// nộp …"), not about competence, conditions or fees.
func dossierHeading(title string) bool {
	t := " " + strings.Join(vntext.FoldedTokens(title), " ") + " "
	for _, w := range []string{" ho so ", " thu tuc ", " trinh tu ", " giay to "} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// headingWords returns the folded syllable bigrams of a text that say
// what it is about: without numbers (footnote marks) and without the words
// of any procedure's heading ("thủ tục", "hồ sơ", "trình tự", "đề nghị").
func headingWords(text string) map[string]bool {
	var toks []string
	for _, t := range vntext.FoldedTokens(text) {
		if t != "" && (t[0] < '0' || t[0] > '9') {
			toks = append(toks, t)
		}
	}
	out := map[string]bool{}
	for i := 0; i+1 < len(toks); i++ {
		b := toks[i] + " " + toks[i+1]
		switch b {
		case "thu tuc", "ho so", "trinh tu", "de nghi", "quy dinh", "giay to", "tai lieu":
			continue
		}
		out[b] = true
	}
	return out
}

// specialCase is the share of an article heading's words that neither the
// procedure nor the paper names, for a heading that names the procedure's
// act (at least two of its bigrams): 0 for "Thủ tục đăng ký khai sinh" in
// "Đăng ký khai sinh", most of "Đăng ký khai sinh cho trẻ em sinh ra ở
// nước ngoài về cư trú tại Việt Nam". It is -1 for a heading that does not
// name the act ("Quy định về xuất trình, nộp giấy tờ …").
func specialCase(title string, act, named map[string]bool) float64 {
	h := headingWords(title)
	shared, extra := 0, 0
	for b := range h {
		if act[b] {
			shared++
		}
		if !named[b] {
			extra++
		}
	}
	if shared < 2 || len(h) == 0 {
		return -1
	}
	return float64(extra) / float64(len(h))
}

// paperBigrams returns the folded syllable bigrams of a requirement's
// name (up to a parenthesised note such as the form's number, when the
// name before it says enough), each weighted by its inverse document
// frequency among the indexed chunks.
func paperBigrams(name string, idx *lexIndex) map[string]float64 {
	if i := strings.Index(name, "("); i > 0 && len(vntext.FoldedTokens(name[:i])) >= 3 {
		name = name[:i]
	}
	toks := vntext.FoldedTokens(name)
	n := float64(len(idx.chunks))
	out := map[string]float64{}
	for i := 0; i+1 < len(toks); i++ {
		b := toks[i] + " " + toks[i+1]
		if _, ok := out[b]; ok {
			continue
		}
		df := float64(len(idx.post["f:"+b]))
		out[b] = math.Log(1 + n/(df+1))
	}
	return out
}

// amending reports whether an article's heading says it amends another
// text ("Sửa đổi, bổ sung …", "Bãi bỏ …"): the amended text, as in force,
// is what to cite.
func amending(title string) bool {
	t := strings.Join(vntext.FoldedTokens(title), " ")
	return strings.HasPrefix(t, "sua doi") || strings.HasPrefix(t, "bai bo") || strings.HasPrefix(t, "bo sung")
}

// requiresPaper reports whether a unit's folded text is one that asks for
// papers: it says they are submitted or shown (nộp, xuất trình) or lists
// what a dossier is made of (gồm, kèm theo).
func requiresPaper(fold string) bool {
	for _, w := range []string{" nop ", " xuat trinh ", " gom ", " kem theo "} {
		if strings.Contains(" "+fold+" ", w) {
			return true
		}
	}
	return false
}

// mention is the share of a paper's name (its bigrams, weighted by
// rarity) that one unit's folded text holds: 1 when the clause names the
// paper in full ("nộp tờ khai theo mẫu quy định và Giấy chứng sinh").
func mention(paper map[string]float64, fold string) float64 {
	var total, got float64
	for _, w := range paper {
		total += w
	}
	if total == 0 {
		return 0
	}
	toks := strings.Fields(fold)
	seen := map[string]bool{}
	for i := 0; i+1 < len(toks); i++ {
		b := toks[i] + " " + toks[i+1]
		if w, ok := paper[b]; ok && !seen[b] {
			seen[b] = true
			got += w
		}
	}
	return got / total
}

// unitsShare reports whether any unit of an article holds one of want's
// bigrams.
func unitsShare(us []articleUnit, want map[string]bool) bool {
	for _, u := range us {
		toks := strings.Fields(u.Fold)
		for i := 0; i+1 < len(toks); i++ {
			if want[toks[i]+" "+toks[i+1]] {
				return true
			}
		}
	}
	return false
}

// citeTrace, when set (by tests), receives each requirement's ranked
// candidates.
var citeTrace func(name string, lines []string)

func clauseNum(c *int) int {
	if c == nil {
		return 0
	}
	return *c
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

// lawTitle is a law's number and the folded tokens of its title ("luat
// ho tich").
type lawTitle struct {
	number string
	tokens []string
}

// parentLaws returns the numbers of the laws that a decree's or
// circular's title says it details or implements ("… biện pháp thi hành
// Luật Hộ tịch", "… chi tiết một số điều Luật Cư trú"): at each "Luật" in
// such a title, the longest law title that starts there (so "Luật Căn
// cước công dân" is not read as "Luật Căn cước").
func parentLaws(titles []string, laws []lawTitle) []string {
	var out []string
	for _, title := range titles {
		toks := vntext.FoldedTokens(title)
		if len(toks) == 0 || toks[0] == "luat" {
			continue
		}
		implements := false
		for i := 0; i+1 < len(toks); i++ {
			switch toks[i] + " " + toks[i+1] {
			case "thi hanh", "chi tiet", "huong dan":
				implements = true
			}
		}
		if !implements {
			continue
		}
		for i, t := range toks {
			if t != "luat" {
				continue
			}
			best := 0
			for _, l := range laws {
				if len(l.tokens) > best && len(l.tokens) <= len(toks)-i && slices.Equal(toks[i:i+len(l.tokens)], l.tokens) {
					best = len(l.tokens)
				}
			}
			if best == 0 {
				continue
			}
			for _, l := range laws {
				if len(l.tokens) == best && slices.Equal(toks[i:i+best], l.tokens) && !slices.Contains(out, l.number) {
					out = append(out, l.number)
				}
			}
		}
	}
	return out
}
