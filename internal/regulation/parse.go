package regulation

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// Article is one Điều of a legal document.
type Article struct {
	Number  int      // the document's own numbering
	Label   string   // "16", or "10a" for an article inserted by an amendment
	Title   string   // heading after "Điều N."
	Chapter string   // "Chương II" + its title, when known
	Section string   // "Mục 1" + its title, when known
	Intro   string   // text before the first khoản (the whole body when there is none)
	Clauses []Clause // khoản, numbered 1, 2, …
}

// Text is the article's whole body (intro and clauses).
func (a Article) Text() string {
	parts := []string{}
	if a.Intro != "" {
		parts = append(parts, a.Intro)
	}
	for _, c := range a.Clauses {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, "\n")
}

// Clause is one khoản; Text includes its points.
type Clause struct {
	Number int
	Text   string
	Points []Point
}

// Point is one điểm ("a", "b", "đ" …) of a clause.
type Point struct {
	Label string `json:"label"`
	Text  string `json:"text"`
}

// cleanText prepares raw legal text for splitting: NFC, one kind of Đ (OCR
// often yields U+00D0 "Ð"), no carriage returns, no Markdown emphasis or
// heading marks, no YAML front matter.
func cleanText(s string) string {
	s = vntext.NFC(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\ufeff", "")
	s = strings.ReplaceAll(s, "Ð", "Đ")
	s = strings.ReplaceAll(s, "ð", "đ")
	s, _ = splitFrontMatter(s)
	s = mdMarks.ReplaceAllString(s, "")
	s = mdHeading.ReplaceAllString(s, "")
	return s
}

var (
	mdMarks   = regexp.MustCompile(`\*\*|__`)
	mdHeading = regexp.MustCompile(`(?m)^\s{0,3}#{1,6}\s+`)
)

// splitFrontMatter removes a leading YAML block delimited by "---" lines and
// returns its simple "key: value" pairs.
func splitFrontMatter(s string) (string, map[string]string) {
	fm := map[string]string{}
	t := strings.TrimLeft(s, " \n\t")
	if !strings.HasPrefix(t, "---\n") {
		return s, fm
	}
	end := strings.Index(t[4:], "\n---")
	if end < 0 {
		return s, fm
	}
	for _, line := range strings.Split(t[4:4+end], "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			fm[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	rest := t[4+end+4:]
	return strings.TrimLeft(rest, "-\n"), fm
}

// artRe finds article headings. OCR writes "Điều" in several ways and may
// glue headings into running text, so the pattern also matches inline and
// splitArticles keeps only candidates that continue the numbering.
var artRe = regexp.MustCompile(`(?:^|[\s])(?:Điều|ĐIỀU|Điêu|Điểu|Diều|Điếu|Đỉều)\s{1,3}(\d{1,3})([a-zđ]?)\s*[.:]\s*`)

// tailRe marks where the normative text ends: signatures, the recipients
// list, appendices and consolidation footnotes.
var tailRe = regexp.MustCompile(`(?m)^\s*(?:Nơi nhận\s*:|TM\.\s*(?:CHÍNH PHỦ|QUỐC HỘI|ỦY BAN)|CHỦ TỊCH QUỐC HỘI|XÁC THỰC VĂN BẢN HỢP NHẤT|Luật này đã được Quốc hội nước|PHỤ LỤC\b|\[\d+\]\s)`)

var (
	chapterRe = regexp.MustCompile(`(?:^|\n)\s*(Chương\s+[IVXLC]+)\s*[.:]?\s*\n?\s*([^\n]*)`)
	inlineCh  = regexp.MustCompile(`\s(Chương\s+[IVXLC]+)\s+((?:[\p{Lu}ĐƠƯ,]+\s+){1,12})`)
	sectionRe = regexp.MustCompile(`(?:^|\n)\s*(Mục\s+\d+)\s*[.:]?\s*\n?\s*([^\n]*)`)
	inlineSec = regexp.MustCompile(`\s(Mục\s+\d+)\s+((?:[\p{Lu}ĐƠƯ,]+\s+){1,12})`)
)

type mark struct {
	start, end int // span of the heading
	kind       byte
	label      string
	title      string
}

// ParseArticles splits the text of one legal document into articles,
// clauses and points. It accepts clean line-based text ("Điều N." at the
// start of a line), Markdown, and OCR text whose headings are glued into
// running text: a heading is accepted only where it continues the
// document's own numbering, so cross-references ("theo Điều 3 của Luật
// này") are not mistaken for headings.
func ParseArticles(raw string) []Article {
	s := cleanText(raw)
	if loc := tailStart(s); loc > 0 {
		s = s[:loc]
	}
	heads := findArticleHeads(s)
	if len(heads) == 0 {
		return nil
	}
	marks := findStructure(s)
	var out []Article
	chapter, section := "", ""
	mi := 0
	for i, h := range heads {
		end := len(s)
		if i+1 < len(heads) {
			end = heads[i+1].start
		}
		// Chapter and section headings between this heading and the next
		// belong to the next article; cut them from this body.
		bodyEnd := end
		for mi < len(marks) && marks[mi].start < h.start {
			chapter, section = applyMark(marks[mi], chapter, section)
			mi++
		}
		for j := mi; j < len(marks) && marks[j].start < end; j++ {
			if marks[j].start > h.end && marks[j].start < bodyEnd {
				bodyEnd = marks[j].start
				break
			}
		}
		body := s[h.end:bodyEnd]
		title, rest := splitTitle(body)
		n, _ := strconv.Atoi(h.label[:len(h.label)-len(strings.TrimLeft(h.label, "0123456789"))])
		a := Article{Number: n, Label: h.label, Title: title, Chapter: chapter, Section: section}
		a.Intro, a.Clauses = splitClauses(rest)
		out = append(out, a)
	}
	return out
}

func applyMark(m mark, chapter, section string) (string, string) {
	t := tidy(m.label + " " + titleCase(m.title))
	if m.kind == 'c' {
		return t, ""
	}
	return chapter, t
}

func tailStart(s string) int {
	// Only a tail after the first article counts (a recipients list cannot
	// come before the text it closes).
	first := artRe.FindStringIndex(s)
	if first == nil {
		return -1
	}
	if loc := tailRe.FindStringIndex(s[first[1]:]); loc != nil {
		return first[1] + loc[0]
	}
	return -1
}

type head struct {
	start, end int
	label      string
}

// findArticleHeads picks, among all "Điều N." candidates, the chain that
// best continues the document's numbering (dynamic programming over the
// candidates: each step must increase the number, or the letter suffix of
// an inserted article "28a"; an inline candidate may skip at most two
// numbers, a line-start one any number, since consolidated texts drop
// repealed chapters). Line-start candidates weigh a little more, so clean
// text follows its line structure and OCR text its running numbering.
func findArticleHeads(s string) []head {
	type cand struct {
		head
		n         int
		suffix    string
		lineStart bool
	}
	var cs []cand
	for _, m := range artRe.FindAllStringSubmatchIndex(s, -1) {
		n, _ := strconv.Atoi(s[m[2]:m[3]])
		suffix := s[m[4]:m[5]]
		start := m[0]
		for start < len(s) && (s[start] == ' ' || s[start] == '\n' || s[start] == '\t') {
			start++
		}
		lineStart := start == 0 || s[start-1] == '\n'
		next, _ := utf8.DecodeRuneInString(s[m[1]:])
		titled := unicode.IsUpper(next) || unicode.IsDigit(next) || next == '(' || next == '[' || next == '“' || next == '"'
		if !titled {
			continue
		}
		cs = append(cs, cand{head: head{start: start, end: m[1], label: s[m[2]:m[3]] + suffix}, n: n, suffix: suffix, lineStart: lineStart})
	}
	if len(cs) == 0 {
		return nil
	}
	weight := func(c cand) float64 {
		if c.lineStart {
			return 1
		}
		return 0.9
	}
	follows := func(a, b cand) bool {
		if b.n == a.n {
			return b.suffix > a.suffix
		}
		if b.n < a.n {
			return false
		}
		return b.lineStart || b.n-a.n <= 3
	}
	best := make([]float64, len(cs))
	prev := make([]int, len(cs))
	for j := range cs {
		best[j], prev[j] = weight(cs[j]), -1
		if cs[j].n > 1 && !cs[j].lineStart {
			// A chain should start at article 1; an inline start elsewhere
			// is more likely a cross-reference.
			best[j] -= 0.5
		}
		for i := 0; i < j; i++ {
			if follows(cs[i], cs[j]) && best[i]+weight(cs[j]) > best[j] {
				best[j], prev[j] = best[i]+weight(cs[j]), i
			}
		}
	}
	end := 0
	for j := range cs {
		if best[j] > best[end] {
			end = j
		}
	}
	var heads []head
	for j := end; j >= 0; j = prev[j] {
		heads = append(heads, cs[j].head)
	}
	for i, j := 0, len(heads)-1; i < j; i, j = i+1, j-1 {
		heads[i], heads[j] = heads[j], heads[i]
	}
	return heads
}

func findStructure(s string) []mark {
	var ms []mark
	add := func(re *regexp.Regexp, kind byte) {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			ms = append(ms, mark{start: m[2], end: m[1], kind: kind, label: s[m[2]:m[3]], title: s[m[4]:m[5]]})
		}
	}
	add(chapterRe, 'c')
	add(inlineCh, 'c')
	add(sectionRe, 's')
	add(inlineSec, 's')
	// Sort by start; the lists are short.
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].start < ms[j-1].start; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	return ms
}

// splitTitle separates an article's heading from its body. In line-based
// text the heading is the rest of the line; in OCR text glued into one
// line it ends before the first clause number or the first capitalised
// word that starts a sentence.
func splitTitle(body string) (string, string) {
	line, rest, _ := strings.Cut(body, "\n")
	if utf8.RuneCountInString(line) <= 250 {
		return tidy(line), rest
	}
	words := strings.Fields(line)
	for i := 1; i < len(words) && i < 30; i++ {
		r, _ := utf8.DecodeRuneInString(words[i])
		if unicode.IsUpper(r) || (unicode.IsDigit(r) && strings.HasSuffix(words[i], ".")) {
			return tidy(strings.Join(words[:i], " ")), strings.Join(words[i:], " ") + "\n" + rest
		}
	}
	return "", body
}

var clauseRe = regexp.MustCompile(`(?:^|\s)(\d{1,2})\.\s+`)
var pointRe = regexp.MustCompile(`(?:^|\s)([a-zđ])\)\s+`)

// pointOrder is the Vietnamese alphabet as used for điểm labels.
const pointOrder = "a b c d đ e g h i k l m n o p q r s t u v x y"

func splitClauses(body string) (string, []Clause) {
	spans := sequential(body, clauseRe, func(i int) string { return strconv.Itoa(i + 1) })
	if len(spans) == 0 {
		return tidy(body), nil
	}
	intro := tidy(body[:spans[0].start])
	var cs []Clause
	for i, sp := range spans {
		end := len(body)
		if i+1 < len(spans) {
			end = spans[i+1].start
		}
		text := tidy(body[sp.start:end])
		n, _ := strconv.Atoi(sp.label)
		c := Clause{Number: n, Text: text}
		inner := body[sp.end:end]
		order := strings.Fields(pointOrder)
		ps := sequential(inner, pointRe, func(i int) string {
			if i < len(order) {
				return order[i]
			}
			return "\x00"
		})
		for j, p := range ps {
			pend := len(inner)
			if j+1 < len(ps) {
				pend = ps[j+1].start
			}
			c.Points = append(c.Points, Point{Label: p.label, Text: tidy(inner[p.start:pend])})
		}
		cs = append(cs, c)
	}
	return intro, cs
}

type span struct {
	start, end int
	label      string
}

// sequential returns the matches of re (group 1 = label) that form the
// sequence want(0), want(1), …. When the sequence exists at line starts it
// uses only those (clean text); otherwise it accepts inline matches (OCR).
func sequential(s string, re *regexp.Regexp, want func(int) string) []span {
	all := re.FindAllStringSubmatchIndex(s, -1)
	pick := func(lineOnly bool) []span {
		var out []span
		for _, m := range all {
			start := m[0]
			for start < len(s) && (s[start] == ' ' || s[start] == '\n' || s[start] == '\t') {
				start++
			}
			if lineOnly && start != 0 && s[start-1] != '\n' {
				continue
			}
			if s[m[2]:m[3]] != want(len(out)) {
				continue
			}
			out = append(out, span{start: start, end: m[1], label: s[m[2]:m[3]]})
		}
		return out
	}
	if out := pick(true); len(out) > 0 {
		return out
	}
	out := pick(false)
	if len(out) < 2 {
		// One inline "1. " is more likely a list in prose than a clause.
		return nil
	}
	return out
}

// tidy collapses white space inside lines and drops empty lines.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = vntext.CollapseSpace(l)
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// titleCase turns an upper-case heading ("NHỮNG QUY ĐỊNH CHUNG") into
// sentence case ("Những quy định chung").
func titleCase(s string) string {
	s = vntext.CollapseSpace(s)
	if s == "" || strings.ToUpper(s) != s {
		return s
	}
	l := []rune(strings.ToLower(s))
	l[0] = unicode.ToUpper(l[0])
	return string(l)
}
