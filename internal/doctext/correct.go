package doctext

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// ocrfixTxt lists, one per line, the dominant written form of syllable pairs
// in the legal texts of shared/data ("sửa đổi", "bổ sung", "quản lý");
// gen_ocrfix.go rebuilds it.
//
//go:embed ocrfix.txt
var ocrfixTxt string

var (
	fixOnce sync.Once
	pairFix map[string][2]string // folded pair "sua doi" → {"sửa", "đổi"}
	uniFreq map[string]int       // syllable → occurrences in the legal texts
)

func loadPairFix() {
	pairFix = make(map[string][2]string, 16384)
	uniFreq = make(map[string]int, 8192)
	for _, line := range strings.Split(ocrfixTxt, "\n") {
		if rest, ok := strings.CutPrefix(line, "@"); ok {
			if w, n, ok := strings.Cut(rest, " "); ok {
				uniFreq[w], _ = strconv.Atoi(n)
			}
			continue
		}
		a, c, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		pairFix[vntext.Fold(a)+" "+vntext.Fold(c)] = [2]string{a, c}
	}
}

// CorrectOCR restores tone and vowel marks that OCR got wrong, using the
// context of the neighbouring syllable: when two adjacent words fold to a
// pair that the legal texts write one way almost always ("bố sung" and
// "bỗ sung" fold to "bo sung", written "bổ sung"), the words take that
// form, keeping their case, unless the word as read is the more common
// word of the two. Base letters are never changed, so a correct
// but different word cannot be turned into another one. It returns the
// corrected text and the number of words changed.
func CorrectOCR(text string) (string, int) {
	fixOnce.Do(loadPairFix)
	type word struct {
		start, end int
		s          string
	}
	var out strings.Builder
	changed := 0
	for li, line := range strings.Split(text, "\n") {
		if li > 0 {
			out.WriteByte('\n')
		}
		var words []word
		for i := 0; i < len(line); {
			r, n := utf8.DecodeRuneInString(line[i:])
			if !isWordRune(r) {
				i += n
				continue
			}
			j := i
			for j < len(line) {
				r, n := utf8.DecodeRuneInString(line[j:])
				if !isWordRune(r) {
					break
				}
				j += n
			}
			words = append(words, word{i, j, line[i:j]})
			i = j
		}
		// Each word hears from the pair on its left and the pair on its
		// right. It changes only when a pair proposes another form, no
		// pair confirms the form as read, and the proposed word is the more
		// common one: a pair that spans a phrase boundary ("dịch vụ công |
		// Bộ Công an") must not turn "Bộ" into the "bố" of "công bố".
		phrase := func(i int) bool { // words i and i+1 form one phrase
			return i >= 0 && i+1 < len(words) && strings.TrimSpace(line[words[i].end:words[i+1].start]) == ""
		}
		lower := make([]string, len(words))
		folded := make([]string, len(words))
		for i, w := range words {
			lower[i] = vntext.Lower(w.s)
			folded[i] = vntext.Fold(lower[i])
		}
		for i := range words {
			var proposals []string
			if phrase(i - 1) {
				if fix, ok := pairFix[folded[i-1]+" "+folded[i]]; ok {
					proposals = append(proposals, fix[1])
				}
			}
			if phrase(i) {
				if fix, ok := pairFix[folded[i]+" "+folded[i+1]]; ok {
					proposals = append(proposals, fix[0])
				}
			}
			best := ""
			confirmed := false
			for _, p := range proposals {
				if p == lower[i] {
					confirmed = true
				} else if best == "" || uniFreq[p] > uniFreq[best] {
					best = p
				}
			}
			if confirmed || best == "" || uniFreq[best] <= uniFreq[lower[i]] {
				continue
			}
			words[i].s = matchCase(words[i].s, best)
			changed++
		}
		last := 0
		for _, w := range words {
			out.WriteString(line[last:w.start])
			out.WriteString(w.s)
			last = w.end
		}
		out.WriteString(line[last:])
	}
	return out.String(), changed
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) }

// matchCase writes fix (lower case) in the case pattern of orig: all
// capitals, a leading capital, or lower case.
func matchCase(orig, fix string) string {
	upper, first := true, false
	for i, r := range orig {
		if unicode.IsLower(r) {
			upper = false
		}
		if i == 0 {
			first = unicode.IsUpper(r)
		}
	}
	switch {
	case upper && utf8.RuneCountInString(orig) > 1:
		return strings.ToUpper(fix)
	case first:
		r, n := utf8.DecodeRuneInString(fix)
		return string(unicode.ToUpper(r)) + fix[n:]
	}
	return fix
}
