package classifier

import (
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// foldTable is the map foldedTokens read before its table came from
// vntext's fold: each precomposed Latin letter's NFD without marks,
// lower-cased, when that is one rune.
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

// foldedTokensBase is foldedTokens as it was before it wrote every token
// into one buffer and read foldTable through arrays: the new one must give
// the same tokens for any input, valid UTF-8 or not.
func foldedTokensBase(s string) []string {
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

func FuzzFoldedTokensSameAsBase(f *testing.F) {
	f.Add("Nguyễn Văn Ân, sinh ngày 01/01/1990 × ½ ǅ \xf3Ć Vie\u0302\u0323t")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := foldedTokens(s), foldedTokensBase(s); !slices.Equal(got, want) {
			t.Errorf("foldedTokens(%q) = %q, base %q", s, got, want)
		}
	})
}

// Every code point, alone and between letters, folds as before.
func TestFoldedTokensEveryRuneAsBase(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r == 0xD800 {
			r = 0xE000 // surrogates are not runes of a Go string
		}
		for _, s := range []string{string(r), "a" + string(r) + "b", "Ấ" + string(r) + "9"} {
			if got, want := foldedTokens(s), foldedTokensBase(s); !slices.Equal(got, want) {
				t.Fatalf("foldedTokens(%q) = %q, base %q", s, got, want)
			}
		}
	}
}
