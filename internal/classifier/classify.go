// Package classify decides which required component (thành phần hồ sơ) of a
// dossier's procedure each document is, or that it is "other" (a known kind
// of document the procedure does not ask for) or "unknown" (too little text,
// or too unsure), with a calibrated confidence and the evidence behind it.
//
// Classification has two steps. A trained classical model (Model: TF-IDF
// logistic regression over accent-folded syllable n-grams and the title line,
// temperature-calibrated) predicts a document type from hoso's taxonomy
// (Taxonomy). The type is then mapped onto one of the procedure's
// requirements by matching the type's aliases and the document's own words
// against each requirement's name, form and alternatives, accent-insensitively.
// A requirement's probability is the sum of the probabilities of the types
// that map onto it, so two kinds of identity paper that both satisfy
// "giấy tờ tùy thân" reinforce rather than split the vote.
package classifier

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Method is the value of Result.Method for this package's model.
const Method = "classical"

// Input is one document's text.
type Input struct {
	Filename string
	Text     string // all pages joined with \f
}

// Result is the classification of one document against one procedure.
type Result struct {
	Requirement     string   `json:"requirement"` // requirement Key, or "other"/"unknown"
	RequirementName string   `json:"requirement_name"`
	DocType         string   `json:"doc_type"`
	Confidence      float64  `json:"confidence"`
	Evidence        []string `json:"evidence"`
	Method          string   `json:"method"`
	Model           string   `json:"model"`
	NeedsReview     bool     `json:"needs_review"`
	Alternatives    []Scored `json:"alternatives,omitempty"`
}

// Scored is one candidate requirement with its probability.
type Scored struct {
	Requirement string  `json:"requirement"`
	DocType     string  `json:"doc_type"`
	Score       float64 `json:"score"`
}

// minTokens is the least text that a document needs to be classified at all.
const minTokens = 3

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// Classify classifies in against the procedure's requirements. A confidence
// below threshold gives Requirement "unknown" with NeedsReview set and the
// best guesses in Alternatives. Classify is safe for concurrent use.
func (m *Model) Classify(in Input, reqs []catalog.Requirement, threshold float64) Result {
	text := vntext.NFC(in.Text)
	res := Result{Method: Method, Model: m.Name()}
	toks := foldedTokens(prefix(text, maxText))
	if len(toks) < minTokens {
		res.Requirement, res.DocType = dossier.TypeUnknown, dossier.TypeUnknown
		res.NeedsReview = true
		res.Evidence = []string{"văn bản trống hoặc quá ngắn để phân loại (empty or too little text)"}
		return res
	}
	title := TitleLine(text)
	p, x := m.predict(toks, title)
	ri := reqIndexFor(reqs)
	freqs := ri.freqs
	hits := ri.docPairs(toks)

	// Map each type onto a requirement and sum probabilities per requirement.
	type agg struct {
		key      string
		p        float64
		bestType string
		bestP    float64
	}
	byKey := map[string]*agg{}
	var order []string
	for c, t := range m.classes {
		key := dossier.TypeOther
		if t != dossier.TypeOther {
			key = ri.mapType(t, hits)
		}
		a := byKey[key]
		if a == nil {
			a = &agg{key: key}
			byKey[key] = a
			order = append(order, key)
		}
		a.p += p[c]
		if p[c] > a.bestP {
			a.bestP, a.bestType = p[c], t
		}
	}
	cands := make([]*agg, 0, len(order))
	for _, k := range order {
		cands = append(cands, byKey[k])
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].p > cands[j].p })
	best := cands[0]
	res.Requirement = best.key
	res.DocType = best.bestType
	res.Confidence = round3(best.p)
	if best.key != dossier.TypeOther {
		res.RequirementName = reqName(reqs, best.key)
	} else if key, cov := bestTitleMatch(text, title, freqs); key != "" {
		// The taxonomy has no type for this document (a form of a
		// procedure the model was not trained on), but its title is the
		// name of one of this procedure's requirements: take that, with a
		// confidence that says how fully the title matched.
		res.Requirement, res.RequirementName = key, reqName(reqs, key)
		res.Confidence = round3(titleMatchBase + titleMatchSpan*cov)
		res.Evidence = append(res.Evidence, fmt.Sprintf("tiêu đề khớp tên thành phần hồ sơ %.0f%% (title matches the requirement's name)", 100*cov))
		thinOnly(&res, text)
	} else if key, code := codeMatch(text, reqs); key != "" {
		// The form code on the paper ("Mẫu TK04") is the one the
		// requirement names.
		res.Requirement, res.RequirementName = key, reqName(reqs, key)
		res.Confidence = codeMatchConfidence
		res.Evidence = append(res.Evidence, fmt.Sprintf("mã mẫu %s trên giấy tờ khớp thành phần hồ sơ (form code matches the requirement)", strings.ToUpper(code)))
		thinOnly(&res, text)
	} else if key, code := numberedMatch(text, title, reqs, freqs); key != "" {
		// "Mẫu số 11c" on a paper of the kind the one requirement naming
		// that number asks for.
		res.Requirement, res.RequirementName = key, reqName(reqs, key)
		res.Confidence = numberedMatchConfidence
		res.Evidence = append(res.Evidence, fmt.Sprintf("Mẫu số %s trên giấy tờ, cùng loại giấy, khớp thành phần hồ sơ (form number and kind of paper match the requirement)", strings.ToUpper(code)))
		thinOnly(&res, text)
	} else if key, how := viaTemplate(text, reqs, freqs); key != "" {
		// Its own title is damaged or missing, but its labels are those of
		// a known form whose title or code the requirement names.
		res.Requirement, res.RequirementName = key, reqName(reqs, key)
		res.Confidence = templateMatchConfidence
		res.Evidence = append(res.Evidence, how)
	} else if cov := ri.cov; cov < 1 {
		// "None of this procedure's papers" is only as sure as the model's
		// knowledge of them: a paper of a requirement it was never trained
		// on must go to an official, not be called "other" with confidence.
		res.Confidence = round3(best.p * cov)
		res.Evidence = append(res.Evidence, fmt.Sprintf("mô hình chỉ biết %.0f%% thành phần hồ sơ của thủ tục này; giấy tờ không khớp tên hay mã mẫu nào (the model knows %.0f%% of this procedure's papers; an unfamiliar paper goes to review)", 100*cov, 100*cov))
	}
	for _, a := range cands[1:] {
		if len(res.Alternatives) == 3 || a.p < 0.01 {
			break
		}
		res.Alternatives = append(res.Alternatives, Scored{Requirement: a.key, DocType: a.bestType, Score: round3(a.p)})
	}
	if title != "" {
		res.Evidence = append(res.Evidence, "tiêu đề (title): "+title)
	}
	if kw := m.keywords(x, m.classIndex(res.DocType), 6); len(kw) > 0 {
		res.Evidence = append(res.Evidence, "từ khóa (keywords): "+strings.Join(kw, ", "))
	}
	if info, ok := TypeInfo(res.DocType); ok {
		res.Evidence = append(res.Evidence, fmt.Sprintf("loại giấy tờ (type): %s / %s, xác suất %.2f", info.Name, info.NameEN, best.bestP))
	}
	if res.Confidence < threshold {
		res.Alternatives = append([]Scored{{Requirement: best.key, DocType: best.bestType, Score: res.Confidence}}, res.Alternatives...)
		res.Requirement, res.RequirementName = dossier.TypeUnknown, ""
		res.NeedsReview = true
		res.Evidence = append(res.Evidence, fmt.Sprintf("độ tin cậy %.2f dưới ngưỡng %.2f: cần cán bộ xem xét (below threshold: needs review)", res.Confidence, threshold))
	}
	return res
}

// Confidence of a requirement taken from a matching title: the base plus
// the span times the share of the title's words found in the name.
const (
	titleMatchBase = 0.5
	titleMatchSpan = 0.4
	// titleMatchMin is the least share of the title's words the
	// requirement's name must hold.
	titleMatchMin = 0.8
	// codeMatchConfidence is a requirement taken from a form code.
	codeMatchConfidence = 0.8
	// templateMatchConfidence is a requirement taken from the template a
	// paper was filled from.
	templateMatchConfidence = 0.7
	// numberedMatchConfidence is a requirement taken from a form number
	// ("Mẫu số 11c") with the kind of paper.
	numberedMatchConfidence = 0.75
	// thinConfidence caps a requirement matched by title or code on a
	// paper that holds nothing but its title lines: below any threshold.
	thinConfidence = 0.3
	// minBodyTokens is the least text, outside the title lines, that a
	// paper matched by its title needs to be decided without an official.
	minBodyTokens = 8
)

// titleMatch returns the requirement that title names, with how fully: a
// text of the requirement (its name, form or an alternative) must begin
// with the same two words as the title — the kind of paper: "tờ khai",
// "đơn đề nghị", "văn bản" — and either hold titleMatchMin of the title's
// words, or have the first paper it lists (at least four words) wholly in
// the title ("Tờ khai tham gia bảo hiểm y tế, Danh sách…" for "TỜ KHAI THAM
// GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM XÃ HỘI, BẢO HIỂM Y TẾ"). "" when none
// does, or when two requirements match equally (ambiguous).
func titleMatch(title string, reqs []foldedReq) (string, float64) {
	tt := foldedTokens(title)
	if len(tt) < 3 || len(tt) > 24 {
		return "", 0
	}
	bestKey, bestName, best, tie := "", "", 0.0, false
	consider := func(r foldedReq, cov float64) {
		switch {
		case cov < titleMatchMin:
		case cov > best:
			bestKey, bestName, best, tie = r.key, r.name, cov, false
		case cov == best && r.key != bestKey && !sameRow(r.name, bestName):
			tie = true
		}
	}
	tt = strings.Fields(stripKind(strings.Join(tt, " ")))
	if len(tt) < 2 {
		return "", 0
	}
	titleSet := set(tt)
	anchored := func(w []string) bool { return len(w) >= 2 && w[0] == tt[0] && w[1] == tt[1] }
	for _, r := range reqs {
		for _, text := range append([]string{r.name}, r.other...) {
			if w := reqWords(text); anchored(w) {
				consider(r, share(titleSet, set(w)))
			}
		}
		for _, h := range r.heads {
			if w := reqWords(h); len(w) >= 4 && anchored(w) {
				consider(r, share(set(w), titleSet))
			}
		}
	}
	if tie {
		return "", 0
	}
	return bestKey, best
}

func set(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// share is the fraction of a's words that are in b.
func share(a, b map[string]bool) float64 {
	if len(a) == 0 {
		return 0
	}
	hit := 0
	for w := range a {
		if b[w] {
			hit++
		}
	}
	return float64(hit) / float64(len(a))
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

func reqName(reqs []catalog.Requirement, key string) string {
	for _, r := range reqs {
		if r.Key == key {
			return r.Name
		}
	}
	return ""
}

// keywords returns the body and title terms that pushed the document most
// towards class c, as readable accent-folded phrases.
func (m *Model) keywords(x sparse, c, n int) []string {
	type kv struct {
		f string
		v float64
	}
	// The features are distinct, so this order is total: the phrases come
	// out the same however the list is sorted. The first few usually give
	// n phrases: those are picked out first, without a list of all, which
	// is built and sorted only when they do not.
	before := func(a, b kv) bool { return a.v > b.v || (a.v == b.v && a.f < b.f) }
	phrases := func(kvs []kv) []string {
		var out []string
		for _, e := range kvs {
			f := e.f[strings.IndexByte(e.f, ':')+1:]
			f = strings.ReplaceAll(f, "_", " ")
			if slices.Contains(out, f) {
				continue
			}
			out = append(out, f)
			if len(out) == n {
				break
			}
		}
		return out
	}
	const head = 24
	var top [head]kv
	k, all := 0, 0
	for j, i := range x.idx {
		v := float64(m.w[c][i]) * float64(x.val[j])
		if !(v > 0) {
			continue
		}
		all++
		e := kv{m.feats[i], v}
		if k == head && !before(e, top[head-1]) {
			continue
		}
		j := min(k, head-1)
		for j > 0 && before(e, top[j-1]) {
			top[j] = top[j-1]
			j--
		}
		top[j] = e
		k = min(k+1, head)
	}
	if all == k {
		return phrases(top[:k]) // every feature, in order
	}
	if out := phrases(top[:]); len(out) == n {
		return out
	}
	kvs := make([]kv, 0, all)
	for j, i := range x.idx {
		if v := float64(m.w[c][i]) * float64(x.val[j]); v > 0 {
			kvs = append(kvs, kv{m.feats[i], v})
		}
	}
	slices.SortFunc(kvs, func(a, b kv) int {
		if before(a, b) {
			return -1
		}
		if before(b, a) {
			return 1
		}
		return 0
	})
	return phrases(kvs)
}

// leading words of a requirement name that do not name the document.
var reqPrefixes = []string{"ban sao ", "ban chinh ", "02 bo ", "01 bo ", "01 ban ", "02 ban ", "mot trong nhung ", "mot trong cac "}

func stripReq(s string) string {
	s = strings.TrimLeft(s, " -+*•.")
	for changed := true; changed; {
		changed = false
		for _, p := range reqPrefixes {
			if strings.HasPrefix(s, p) {
				s, changed = s[len(p):], true
			}
		}
	}
	return s
}

// foldedReq is a requirement's accent-folded texts.
type foldedReq struct {
	key   string
	name  string   // stripped name
	other []string // form and alternatives, stripped
	heads []string // the first paper each of name and alternatives lists (up to a comma, semicolon or bracket), stripped
}

func foldReq(r catalog.Requirement) foldedReq {
	f := foldedReq{key: r.Key, name: stripReq(spaced(r.Name)), heads: []string{stripReq(spaced(head(r.Name)))}}
	if r.Form != nil {
		f.other = append(f.other, stripReq(spaced(*r.Form)))
	}
	for _, a := range r.Alternatives {
		f.other = append(f.other, stripReq(spaced(a)))
		f.heads = append(f.heads, stripReq(spaced(head(a))))
	}
	return f
}

// head is the first paper a requirement's text lists: "Tờ khai tham gia bảo
// hiểm y tế, Danh sách đề nghị…" → "Tờ khai tham gia bảo hiểm y tế".
func head(s string) string {
	if i := strings.IndexAny(s, ",;("); i > 0 {
		return s[:i]
	}
	return s
}

// spaced folds s and reduces it to single-space separated tokens, with
// punctuation kept only as token boundaries ("Hộ chiếu/Thẻ căn cước" →
// "ho chieu the can cuoc").
func spaced(s string) string { return strings.Join(foldedTokens(s), " ") }

// aliasScore scores how strongly requirement r names a document of type t:
// the longest matching alias, in syllables, discounted when the match is far
// into the requirement's name (an incidental mention).
func aliasScore(t string, r foldedReq) float64 {
	best := 0.0
	for _, al := range aliases[t] {
		a, anchored, w := al.phrase, al.anchored, al.weight
		for ti := -1; ti < len(r.other); ti++ {
			s := r.name
			if ti >= 0 {
				s = r.other[ti]
			}
			pos := wordIndex(s, a)
			if pos < 0 || (anchored && pos != 0) {
				continue
			}
			sc := w
			if ti < 0 && pos > 40 {
				sc *= 0.6
			}
			best = math.Max(best, sc)
		}
	}
	return best
}

type alias struct {
	phrase   string
	anchored bool
	weight   float64
}

// aliases holds the taxonomy's aliases, folded once.
var aliases = func() map[string][]alias {
	out := map[string][]alias{}
	for _, info := range Taxonomy {
		for _, a := range info.Aliases {
			p := spaced(strings.TrimPrefix(a, "^"))
			out[info.Type] = append(out[info.Type], alias{p, strings.HasPrefix(a, "^"), float64(len(strings.Fields(p)))})
		}
	}
	return out
}()

// wordIndex returns the byte index of phrase in s at word boundaries, or -1.
func wordIndex(s, phrase string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], phrase)
		if i < 0 {
			return -1
		}
		i += off
		end := i + len(phrase)
		if (i == 0 || s[i-1] == ' ') && (end == len(s) || s[end] == ' ') {
			return i
		}
		off = i + 1
	}
}
