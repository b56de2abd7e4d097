package classifier

import (
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"strings"
	"sync"

	"github.com/hoso-vn/hoso/data/forms"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Matching a document against the procedure's own requirements, for the
// papers of the procedures the model was not trained on (its taxonomy covers
// a few): the title, completed with its subtitle ("TỜ KHAI" + "Đề nghị khôi
// phục giá trị sử dụng hộ chiếu phổ thông"), and the form code ("mẫu TK04",
// "CT01", "TK1-TS").

// kindWords are the words that open a paper's title and say only what kind
// of paper it is; "Mẫu đơn đề nghị…" and "Đơn đề nghị…" name the same paper
// as "Đề nghị…" in a requirement list.
var kindPrefixes = []string{"mau don ", "mau ", "don "}

func stripKind(s string) string {
	for _, p := range kindPrefixes {
		if strings.HasPrefix(s, p) && len(strings.Fields(s)) > len(strings.Fields(p))+1 {
			return s[len(p):]
		}
	}
	return s
}

// bareKind are titles that only say what kind of paper follows.
var bareKind = map[string]bool{"to khai": true, "don": true, "don de nghi": true, "giay de nghi": true, "de nghi": true,
	"thong bao": true, "quyet dinh": true, "bao cao": true, "van ban de nghi": true, "phieu de nghi": true, "to trinh": true}

// fullTitle is the document's title for requirement matching: wrappedTitle,
// and, when that only names the kind of paper ("TỜ KHAI", "ĐƠN ĐỀ NGHỊ"),
// the next one or two substantive lines
// that say what it asks for, in whatever case they are written.
func fullTitle(text, title string) string {
	t := wrappedTitle(text, title)
	if !bareKind[strings.Join(foldedTokens(t), " ")] {
		return t
	}
	if i := strings.IndexByte(text, '\f'); i >= 0 {
		text = text[:i]
	}
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines) && i < 25; i++ {
		if vntext.CollapseSpace(strings.TrimSpace(lines[i])) != title {
			continue
		}
		out := t
		for j, added := i+1, 0; j < len(lines) && j <= i+3 && added < 2; j++ {
			n := strings.TrimSpace(lines[j])
			if n == "" {
				continue
			}
			if !substantive(n) || strings.ContainsAny(n, ":.…") && len(foldedTokens(n)) > 12 {
				break
			}
			out += " " + vntext.CollapseSpace(n)
			added++
		}
		return out
	}
	return t
}

// reCode finds form codes: letters and digits together ("TK04", "TK01a",
// "CT01", "CC01", "TK1-TS", "BK01"), after "mẫu" or standing alone in a
// title area. Bare numbers ("Mẫu số 01") are not codes: every circular
// has a Mẫu số 01.
var reCode = regexp.MustCompile(`\b([a-z]{1,4}\d{1,3}[a-z]?(?:-[a-z]{1,4})?)\b`)

// formCodes returns the form codes in a folded text.
func formCodes(folded string) map[string]bool {
	out := map[string]bool{}
	for _, m := range reCode.FindAllStringSubmatch(folded, -1) {
		c := m[1]
		// Years, article and clause numbers are not codes: a code has at
		// least two letters.
		letters := 0
		for _, r := range c {
			if r >= 'a' && r <= 'z' {
				letters++
			}
		}
		// Nor are the signs of legal texts: QĐ, NĐ, TT, QH (a law's
		// "29/2023/QH15").
		if letters >= 2 && !strings.HasPrefix(c, "qd") && !strings.HasPrefix(c, "nd") && !strings.HasPrefix(c, "tt") && !strings.HasPrefix(c, "qh") {
			out[c] = true
		}
	}
	return out
}

// headText is the title area of a document: its first 12 lines, folded.
func headText(text string) string {
	if i := strings.IndexByte(text, '\f'); i >= 0 {
		text = text[:i]
	}
	lines := strings.SplitN(text, "\n", 13)
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(foldedTokens(strings.Join(lines, "\n")), " ")
}

// codeMatch returns the one requirement whose own texts (name, form,
// alternatives) carry a form code that the document's title area carries;
// "" when none does, or when requirements naming different papers do (a
// row repeated across cases is one paper).
func codeMatch(text string, reqs []catalog.Requirement) (string, string) {
	doc := formCodes(headText(text))
	if len(doc) == 0 {
		return "", ""
	}
	found, name, code := "", "", ""
	for _, r := range reqs {
		texts := append([]string{r.Name}, r.Alternatives...)
		if r.Form != nil {
			texts = append(texts, *r.Form)
		}
		for c := range formCodes(strings.Join(foldedTokens(strings.Join(texts, " ")), " ")) {
			if !doc[c] {
				continue
			}
			if found != "" && found != r.Key && !sameRow(spaced(r.Name), name) {
				return "", "" // two papers name the code: ambiguous
			}
			if found == "" {
				found, name, code = r.Key, spaced(r.Name), c
			}
		}
	}
	return found, code
}

// coverage is the share of reqs that some type of the taxonomy names: how
// much of the procedure the model knows. "None of this procedure's
// papers" can only be said with the model's confidence about papers it
// knows; a paper of a requirement it has never seen may be this one.
func coverage(reqs []foldedReq) float64 {
	if len(reqs) == 0 {
		return 1
	}
	known := 0
	for _, r := range reqs {
		for _, info := range Taxonomy {
			if info.Type != "other" && aliasScore(info.Type, r) > 0 {
				known++
				break
			}
		}
	}
	return float64(known) / float64(len(reqs))
}

// A template of data/forms, for recognising a paper by the form it was
// filled from when its own title is damaged or missing (a scan, a second
// page): its labels, and its title and title area for matching against the
// procedure's requirements.
type formTemplate struct {
	name  string
	title string
	head  string
	grams map[string]bool
}

var formTemplates = sync.OnceValue(func() []formTemplate {
	var out []formTemplate
	ents, _ := fs.ReadDir(forms.Files, ".")
	for _, e := range ents {
		b, err := forms.Files.ReadFile(e.Name())
		if err != nil {
			continue
		}
		text := vntext.NFC(string(b))
		g := labelGrams(text)
		if len(g) < 8 {
			continue
		}
		out = append(out, formTemplate{name: e.Name(), title: fullTitle(text, TitleLine(text)), head: text, grams: g})
	}
	return out
})

var reFormLabel = regexp.MustCompile(`([\p{L}][\p{L}\p{N} ,/()'-]{2,60}?)\s*[:：]`)

// labelGrams is the set of word pairs of a text's "label:" parts, folded.
func labelGrams(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range reFormLabel.FindAllStringSubmatch(text, -1) {
		t := foldedTokens(m[1])
		for i := 1; i < len(t); i++ {
			out[t[i-1]+" "+t[i]] = true
		}
	}
	return out
}

// Template recognition: the share of a template's label word pairs the
// document must hold, and the lead over the next template.
const (
	templateMinShare = 0.6
	templateLead     = 0.15
)

// templateMatch returns the template the document was filled from (its
// labels), or nil when none clearly is.
func templateMatch(text string) (*formTemplate, float64) {
	doc := labelGrams(text)
	if len(doc) < 5 {
		return nil, 0
	}
	tpls := formTemplates()
	best, second, bi := 0.0, 0.0, -1
	for i := range tpls {
		s := share(tpls[i].grams, doc)
		switch {
		case s > best:
			second, best, bi = best, s, i
		case s > second:
			second = s
		}
	}
	if bi < 0 || best < templateMinShare || best-second < templateLead {
		return nil, best
	}
	return &tpls[bi], best
}

// viaTemplate maps a document onto a requirement through the template it
// was filled from: the template's title, or its form code, names the
// requirement. It returns the key and the evidence.
func viaTemplate(text string, reqs []catalog.Requirement, freqs []foldedReq) (string, string) {
	tpl, sim := templateMatch(text)
	if tpl == nil {
		return "", ""
	}
	key, _ := titleMatch(tpl.title, freqs)
	if key == "" {
		key, _ = codeMatch(tpl.head, reqs)
	}
	if key == "" {
		return "", ""
	}
	return key, fmt.Sprintf("nhãn của giấy tờ khớp %.0f%% mẫu %q (%s), mẫu này là thành phần hồ sơ (labels match a known form's template)", 100*sim, strings.TrimSuffix(tpl.name, ".txt"), tpl.title)
}

// copyPrefixes open a requirement's text with the form of the copy, not
// the paper: "Bản chính hoặc bản sao có chứng thực Kê khai…", "Các tài
// liệu…", "Bản dự thảo chương trình…".
var copyPrefixes = []string{"hoac ban sao co chung thuc ", "hoac ban sao chung thuc ", "hoac ban sao ",
	"ban sao co chung thuc ", "ban sao chung thuc ", "co chung thuc ", "cac "}

// reqWords are the words of a requirement's text for title matching, its
// kind words and the form of the copy taken off; a leading "bản" ("Bản dự
// thảo…") is dropped when what follows is itself a paper's name.
func reqWords(text string) []string {
	s := stripKind(text)
	for changed := true; changed; {
		changed = false
		for _, p := range copyPrefixes {
			if strings.HasPrefix(s, p) && len(s) > len(p) {
				s, changed = s[len(p):], true
			}
		}
	}
	w := strings.Fields(s)
	if len(w) > 3 && w[0] == "ban" && (w[1] == "du" || w[1] == "ke") {
		w = w[1:]
	}
	return w
}

// sameRow reports whether two requirement texts are the same row: a page
// may list a row twice, or once per case ("Giấy báo tử… (mẫu LS1)" in two
// cases). Rows that differ in any word ("… (bản sao)") are different.
func sameRow(a, b string) bool {
	x, y := set(strings.Fields(a)), set(strings.Fields(b))
	if len(x) != len(y) {
		return false
	}
	for w := range x {
		if !y[w] {
			return false
		}
	}
	return true
}

// titleCandidates are the lines of the first page's title area (its first
// 15 lines) that may be the title, TitleLine's first: many papers open
// with their issuer's name ("CÔNG AN TỈNH…", "TỔNG CÔNG TY…"), "BẢN SAO"
// or "Mẫu số 05" before the title. Each is completed as fullTitle does,
// and also joined with an upper-case line under it.
func titleCandidates(text, title string) []string {
	out := []string{fullTitle(text, title)}
	page := text
	if i := strings.IndexByte(page, '\f'); i >= 0 {
		page = page[:i]
	}
	lines := strings.SplitN(page, "\n", 16)
	if len(lines) > 15 {
		lines = lines[:15]
	}
	for i, l := range lines {
		l = vntext.CollapseSpace(strings.TrimSpace(l))
		if !upperLine(l) || !substantive(l) {
			continue
		}
		out = append(out, fullTitle(text, l))
		if i+1 < len(lines) {
			n := strings.TrimSpace(lines[i+1])
			if upperLine(n) && substantive(n) && len([]rune(n)) <= 90 {
				out = append(out, l+" "+vntext.CollapseSpace(n))
			}
		}
	}
	return out
}

// bestTitleMatch is titleMatch over the title candidates: the requirement
// the best-matching one names; "" when none does, or when two candidates
// name different requirements equally well.
func bestTitleMatch(text, title string, reqs []foldedReq) (string, float64) {
	bestKey, best, tie := "", 0.0, false
	for _, t := range titleCandidates(text, title) {
		key, cov := titleMatch(t, reqs)
		switch {
		case key == "":
		case cov > best:
			bestKey, best, tie = key, cov, false
		case cov == best && key != bestKey:
			tie = true
		}
	}
	if tie {
		return "", 0
	}
	return bestKey, best
}

// reNumbered finds numbered forms ("mẫu số 11c", "mẫu số 40"), folded.
var reNumbered = regexp.MustCompile(`\bmau so (\d{1,3}[a-z]?)\b`)

func numberedForms(folded string) map[string]bool {
	out := map[string]bool{}
	for _, m := range reNumbered.FindAllStringSubmatch(folded, -1) {
		out[m[1]] = true
	}
	return out
}

// numberedMatch returns the one requirement whose texts name a form
// number ("Mẫu số 11c") that the document's title area carries, when the
// document is also the kind of paper the requirement names (its first two
// words open one of the title candidates): a bare number alone is no
// evidence, every circular has a Mẫu số 01. "" when none, or when
// requirements naming different papers carry the number.
func numberedMatch(text, title string, reqs []catalog.Requirement, freqs []foldedReq) (string, string) {
	doc := numberedForms(headText(text))
	if len(doc) == 0 {
		return "", ""
	}
	found, name, num := -1, "", ""
	for i, r := range reqs {
		texts := append([]string{r.Name}, r.Alternatives...)
		if r.Form != nil {
			texts = append(texts, *r.Form)
		}
		for n := range numberedForms(strings.Join(foldedTokens(strings.Join(texts, " ")), " ")) {
			if !doc[n] {
				continue
			}
			if found >= 0 && !sameRow(freqs[i].name, name) {
				return "", "" // two papers carry the number
			}
			if found < 0 {
				found, name, num = i, freqs[i].name, n
			}
		}
	}
	if found < 0 {
		return "", ""
	}
	kind := reqWords(freqs[found].name)
	if len(kind) < 2 {
		return "", ""
	}
	for _, t := range titleCandidates(text, title) {
		w := strings.Fields(stripKind(strings.Join(foldedTokens(t), " ")))
		if len(w) >= 2 && w[0] == kind[0] && w[1] == kind[1] {
			return reqs[found].Key, num
		}
	}
	return "", ""
}

// thinOnly sends a requirement matched by title or code to review when the
// paper holds little but its title lines (a blank page with a heading, a
// scan whose body did not come out): a title alone does not show the
// paper is the filled one the procedure asks for.
func thinOnly(res *Result, text string) {
	n := 0
	for _, l := range strings.Split(prefix(text, maxText), "\n") {
		l = strings.TrimSpace(l)
		if substantive(l) && !upperLine(l) {
			n += len(foldedTokens(l))
		}
	}
	if n >= minBodyTokens {
		return
	}
	res.Confidence = math.Min(res.Confidence, thinConfidence)
	res.Evidence = append(res.Evidence, "giấy tờ gần như chỉ có tiêu đề (little but a title: an official must look)")
}
