package classifier

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// The two ranges of precomposed Latin letters (Vietnamese included) that
// foldedTokens folds by table, and the marker of a rune that folds to
// neither a letter nor a digit (a token boundary).
const (
	foldLo1, foldHi1 = 0xC0, 0x24F
	foldLo2, foldHi2 = 0x1E00, 0x1EFF
	foldSep          = -1
)

// foldArrays holds, per rune of the two ranges, vntext.Fold of that one
// rune when it is one rune (foldSep when that is no letter or digit, 0 when
// it is not one rune): the same fold as vntext's, read from its table
// rather than derived a second time, so that classification runs no NFD
// per document.
type foldArrays struct {
	lo [foldHi1 - foldLo1 + 1]rune
	hi [foldHi2 - foldLo2 + 1]rune
}

// folds builds foldArrays on first use, not at package init: every sandbox
// child is a start of this executable and most never classify.
var folds = sync.OnceValue(func() *foldArrays {
	t := &foldArrays{}
	set := func(lo, hi rune, dst []rune) {
		for r := lo; r <= hi; r++ {
			f := vntext.Fold(string(r))
			if utf8.RuneCountInString(f) != 1 {
				continue
			}
			c, _ := utf8.DecodeRuneInString(f)
			if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
				c = foldSep
			}
			dst[r-lo] = c
		}
	}
	set(foldLo1, foldHi1, t.lo[:])
	set(foldLo2, foldHi2, t.hi[:])
	return t
})

// foldedTokens is vntext.FoldedTokens without the allocation-heavy NFD pass:
// accent-folded, lower-case runs of letters and digits. The tokens are
// substrings of one buffer (one allocation for the text, one for the slice).
func foldedTokens(s string) []string {
	ft := folds()
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
			f = ft.lo[r-foldLo1]
		case r >= foldLo2 && r <= foldHi2:
			f = ft.hi[r-foldLo2]
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
