package classifier

import (
	"strings"
	"unicode"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// maxText bounds the text the classifier reads: the title and the opening
// fields identify a document; long appendices only add noise and cost.
const maxText = 8 << 10

// boilerplate lines that open almost every Vietnamese administrative
// document and so say nothing about its type (accent-folded prefixes).
var boilerplate = []string{
	"cong hoa xa hoi chu nghia", "doc lap", "socialist republic", "independence",
	"mau ", "ban hanh kem theo", "so:", "so ", "kinh gui", "uy ban nhan dan", "bo y te",
	"bo cong an", "ngay ", "quyen so", "(", "-", "—", "–", "*", "benh vien",
	"trung tam y te", "tram y te", "cong ty",
}

// TitleLine returns the document's title line(s): the first mostly
// upper-case line near the top of the first page that is not the national
// motto or a form number ("TỜ KHAI ĐĂNG KÝ KHAI SINH"); a following short
// upper-case line is joined ("GIẤY ĐỀ NGHỊ" + "ĐĂNG KÝ HỘ KINH DOANH").
// Without one it returns the first substantive line.
func TitleLine(text string) string {
	if i := strings.IndexByte(text, '\f'); i >= 0 {
		text = text[:i]
	}
	lines := strings.Split(text, "\n")
	if len(lines) > 25 {
		lines = lines[:25]
	}
	fallback := ""
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if !substantive(l) {
			continue
		}
		if fallback == "" {
			fallback = l
		}
		if !upperLine(l) {
			continue
		}
		title := l
		if i+1 < len(lines) {
			n := strings.TrimSpace(lines[i+1])
			if upperLine(n) && substantive(n) && len([]rune(n)) <= 90 && len([]rune(title)) <= 40 {
				title += " " + n
			}
		}
		return vntext.CollapseSpace(title)
	}
	return vntext.CollapseSpace(fallback)
}

func substantive(l string) bool {
	f := vntext.Fold(l)
	if len(foldedTokens(f)) < 2 {
		return false
	}
	for _, b := range boilerplate {
		if strings.HasPrefix(f, b) {
			return false
		}
	}
	return true
}

// upperLine reports whether at least 80% of the letters of l are upper case.
func upperLine(l string) bool {
	up, all := 0, 0
	for _, r := range l {
		if unicode.IsLetter(r) {
			all++
			if unicode.IsUpper(r) {
				up++
			}
		}
	}
	return all >= 6 && up*5 >= all*4
}

// features turns a document into feature strings with counts: accent-folded
// syllable unigrams and bigrams of the body, and separately prefixed
// unigrams and bigrams of the title line, which carry most of the signal.
// Folding makes OCR output with dropped tone marks look like the original.
func features(text, title string) map[string]float64 {
	return featuresOf(foldedTokens(prefix(text, maxText)), foldedTokens(title))
}

func featuresOf(body, title []string) map[string]float64 {
	out := make(map[string]float64, 256)
	add := func(prefix string, toks []string, w float64) {
		prev := ""
		for _, t := range toks {
			if isNumber(t) {
				prev = ""
				continue
			}
			out[prefix+"u:"+t] += w
			if prev != "" {
				out[prefix+"b:"+prev+"_"+t] += w
			}
			prev = t
		}
	}
	add("", body, 1)
	add("t", title, 1)
	return out
}

func isNumber(t string) bool {
	for _, r := range t {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// wrappedTitle is title with a short upper-case line that follows it joined
// even after a long first line: a title the page width wrapped ("…BẢO HIỂM
// XÃ HỘI, BẢO" + "HIỂM Y TẾ"). Only requirement matching reads it; the
// model's features use TitleLine, as it was trained.
func wrappedTitle(text, title string) string {
	if i := strings.IndexByte(text, '\f'); i >= 0 {
		text = text[:i]
	}
	lines := strings.Split(text, "\n")
	for i := 0; i+1 < len(lines) && i < 25; i++ {
		if vntext.CollapseSpace(strings.TrimSpace(lines[i])) != title {
			continue
		}
		n := strings.TrimSpace(lines[i+1])
		if upperLine(n) && substantive(n) && len([]rune(n)) <= 40 {
			return title + " " + vntext.CollapseSpace(n)
		}
		break
	}
	return title
}
