package classifier

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldTable maps the precomposed Latin letters (Vietnamese included) onto
// their folded base letter: the result of vntext.Fold on that one rune,
// computed once, so that classification does not run NFD on every document.
var foldTable = func() map[rune]rune {
	t := map[rune]rune{}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			var out []rune
			for _, d := range norm.NFD.String(string(r)) {
				if unicode.Is(unicode.Mn, d) {
					continue
				}
				if d == 'đ' || d == 'Đ' {
					d = 'd'
				}
				out = append(out, unicode.ToLower(d))
			}
			if len(out) == 1 {
				t[r] = out[0]
			}
		}
	}
	add(0xC0, 0x24F)
	add(0x1E00, 0x1EFF)
	return t
}()

// foldedTokens is vntext.FoldedTokens without the allocation-heavy NFD pass:
// accent-folded, lower-case runs of letters and digits.
func foldedTokens(s string) []string {
	var toks []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			toks = append(toks, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r < 0x80:
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				b.WriteByte(byte(r))
				continue
			}
			flush()
			continue
		case unicode.Is(unicode.Mn, r):
			continue // a combining mark of decomposed text: folded away
		}
		if f, ok := foldTable[r]; ok {
			r = f
		} else if d := norm.NFD.String(string(r)); d != string(r) {
			// Rare outside Vietnamese: fold like vntext, mark by mark.
			for _, x := range d {
				if unicode.Is(unicode.Mn, x) {
					continue
				}
				x = unicode.ToLower(x)
				if unicode.IsLetter(x) || unicode.IsDigit(x) {
					b.WriteRune(x)
				} else {
					flush()
				}
			}
			continue
		} else {
			r = unicode.ToLower(r)
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			flush()
		}
	}
	flush()
	return toks
}
