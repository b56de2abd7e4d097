package classifier

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

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
	add(foldLo1, foldHi1)
	add(foldLo2, foldHi2)
	return t
}()

// The two ranges of foldTable, and foldTable as arrays over them: the
// folded letter, foldSep for a rune that folds to neither a letter nor a
// digit (a token boundary), 0 for a rune foldTable does not hold.
const (
	foldLo1, foldHi1 = 0xC0, 0x24F
	foldLo2, foldHi2 = 0x1E00, 0x1EFF
	foldSep          = -1
)

var fold1, fold2 = func() (a [foldHi1 - foldLo1 + 1]rune, b [foldHi2 - foldLo2 + 1]rune) {
	for r, f := range foldTable {
		if !unicode.IsLetter(f) && !unicode.IsDigit(f) {
			f = foldSep
		}
		switch {
		case r >= foldLo1 && r <= foldHi1:
			a[r-foldLo1] = f
		case r >= foldLo2 && r <= foldHi2:
			b[r-foldLo2] = f
		}
	}
	return a, b
}()

// foldedTokens is vntext.FoldedTokens without the allocation-heavy NFD pass:
// accent-folded, lower-case runs of letters and digits. The tokens are
// substrings of one buffer (one allocation for the text, one for the slice).
func foldedTokens(s string) []string {
	buf := make([]byte, 0, len(s))
	n := 0 // tokens in buf, each followed by a space
	inTok := false
	flush := func() {
		if inTok {
			buf = append(buf, ' ')
			n++
			inTok = false
		}
	}
	for _, r := range s {
		if r < 0x80 {
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				buf = append(buf, byte(r))
				inTok = true
				continue
			}
			flush()
			continue
		}
		var f rune
		switch {
		case r >= foldLo1 && r <= foldHi1:
			f = fold1[r-foldLo1]
		case r >= foldLo2 && r <= foldHi2:
			f = fold2[r-foldLo2]
		}
		switch {
		case f == foldSep:
			flush()
			continue
		case f != 0:
			buf = utf8.AppendRune(buf, f)
			inTok = true
			continue
		case unicode.Is(unicode.Mn, r):
			continue // a combining mark of decomposed text: folded away
		}
		if d := norm.NFD.String(string(r)); d != string(r) {
			// Rare outside Vietnamese: fold like vntext, mark by mark.
			for _, x := range d {
				if unicode.Is(unicode.Mn, x) {
					continue
				}
				x = unicode.ToLower(x)
				if unicode.IsLetter(x) || unicode.IsDigit(x) {
					buf = utf8.AppendRune(buf, x)
					inTok = true
				} else {
					flush()
				}
			}
			continue
		}
		r = unicode.ToLower(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			buf = utf8.AppendRune(buf, r)
			inTok = true
		} else {
			flush()
		}
	}
	flush()
	if n == 0 {
		return nil
	}
	// buf is not written again: the tokens may share it.
	text := unsafe.String(unsafe.SliceData(buf), len(buf))
	toks := make([]string, 0, n)
	for len(text) > 0 {
		i := strings.IndexByte(text, ' ')
		toks = append(toks, text[:i])
		text = text[i+1:]
	}
	return toks
}
