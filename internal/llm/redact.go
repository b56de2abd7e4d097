package llm

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// Redactor replaces personal data with numbered placeholders before text
// leaves the machine, and restores them in the model's answer. A Redactor is
// built per call and is not safe for concurrent use.
//
// It replaces, in this order: emails; 12-digit personal identification
// numbers (số định danh cá nhân / CCCD, also written in groups); Vietnamese
// phone numbers (mobile 0[35789]x, +84, landline 02x); 9-digit old identity
// card numbers (CMND); and the names the caller passes (from field
// extraction), case-insensitively.
type Redactor struct {
	names    []string
	nameRes  []*regexp.Regexp
	byValue  map[string]string // original → placeholder
	restore  map[string]string // placeholder → original
	counters map[string]int
	Count    int // placeholders inserted
}

var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// 12 digits, optionally grouped as 3-3-3-3 or 4-4-4 with spaces or dots.
	reID12 = regexp.MustCompile(`(?:^|[^0-9])(\d{12}|\d{3}[ .]\d{3}[ .]\d{3}[ .]\d{3}|\d{4}[ .]\d{4}[ .]\d{4})(?:$|[^0-9])`)
	// Mobile: 0 or +84/84 then 3,5,7,8,9 and 8 digits; landline: 02x + 8 digits.
	// Separators (space, dot, dash) between groups are common on forms.
	rePhone = regexp.MustCompile(`(?:^|[^0-9+])((?:\+84|0084|84|0)[ .\-]?[235789](?:[ .\-]?\d){8,9})(?:$|[^0-9])`)
	reID9   = regexp.MustCompile(`(?:^|[^0-9])(\d{9})(?:$|[^0-9])`)
	// rePlaceholder finds placeholders in a model answer.
	rePlaceholder = regexp.MustCompile(`\[(?:CCCD|CMND|SĐT|EMAIL|HỌ_TÊN)_\d+\]`)
)

// NewRedactor returns a redactor that also hides names (NFC, ≥ 2 letters).
func NewRedactor(names []string) *Redactor {
	r := &Redactor{byValue: map[string]string{}, restore: map[string]string{}, counters: map[string]int{}}
	seen := map[string]bool{}
	for _, n := range names {
		n = vntext.CollapseSpace(vntext.NFC(n))
		if len([]rune(n)) < 2 || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		r.names = append(r.names, n)
	}
	// Longest first, so "Nguyễn Văn An" is replaced before "Văn An".
	sort.Slice(r.names, func(i, j int) bool { return len(r.names[i]) > len(r.names[j]) })
	for _, n := range r.names {
		r.nameRes = append(r.nameRes, regexp.MustCompile(`(?i)`+nameBoundary+regexp.QuoteMeta(n)+nameBoundaryEnd))
	}
	return r
}

func (r *Redactor) placeholder(kind, value string) string {
	key := kind + "\x00" + value
	if p, ok := r.byValue[key]; ok {
		r.Count++
		return p
	}
	r.counters[kind]++
	p := "[" + kind + "_" + strconv.Itoa(r.counters[kind]) + "]"
	r.byValue[key] = p
	r.restore[p] = value
	r.Count++
	return p
}

// Redact returns s with personal data replaced by placeholders. It works
// line by line, skipping blank lines and running the email pattern only
// where an @ occurs; no value hoso redacts spans a line break. Cost: tens of
// microseconds a line, negligible beside the remote call it guards.
func (r *Redactor) Redact(s string) string {
	lines := strings.Split(vntext.NFC(s), "\n")
	for i, l := range lines {
		lines[i] = r.redactLine(l)
	}
	return strings.Join(lines, "\n")
}

func (r *Redactor) redactLine(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	if strings.Contains(s, "@") {
		s = reEmail.ReplaceAllStringFunc(s, func(m string) string { return r.placeholder("EMAIL", m) })
	}
	s = replaceGroup(s, reID12, func(m string) string { return r.placeholder("CCCD", m) })
	s = replaceGroup(s, rePhone, func(m string) string { return r.placeholder("SĐT", m) })
	s = replaceGroup(s, reID9, func(m string) string { return r.placeholder("CMND", m) })
	for i, n := range r.names {
		s = replaceGroup(s, r.nameRes[i], func(string) string { return r.placeholder("HỌ_TÊN", n) })
	}
	return s
}

// A name must not be part of a longer word: "An" must not hit "Anh".
const (
	nameBoundary    = `(?:^|[^\p{L}\p{M}])(`
	nameBoundaryEnd = `)(?:$|[^\p{L}\p{M}])`
)

// replaceGroup replaces capture group 1 of every match of re in s. The
// patterns consume one boundary character on each side, so adjacent matches
// ("0912345678 0987654321") need a second pass.
func replaceGroup(s string, re *regexp.Regexp, f func(string) string) string {
	for pass := 0; pass < 3; pass++ {
		idx := re.FindAllStringSubmatchIndex(s, -1)
		if len(idx) == 0 {
			return s
		}
		var b strings.Builder
		last := 0
		for _, m := range idx {
			b.WriteString(s[last:m[2]])
			b.WriteString(f(s[m[2]:m[3]]))
			last = m[3]
		}
		b.WriteString(s[last:])
		s = b.String()
	}
	return s
}

// Restore replaces the placeholders in s with the values they hid.
func (r *Redactor) Restore(s string) string {
	if len(r.restore) == 0 {
		return s
	}
	return rePlaceholder.ReplaceAllStringFunc(s, func(p string) string {
		if v, ok := r.restore[p]; ok {
			return v
		}
		return p
	})
}

// Unknown returns the placeholders in s that this redactor never issued: a
// model inventing "[CCCD_7]" is adding data.
func (r *Redactor) Unknown(s string) []string {
	var out []string
	for _, p := range rePlaceholder.FindAllString(s, -1) {
		if _, ok := r.restore[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}
