// Package vntext provides Vietnamese text normalisation shared by every stage:
// NFC normalisation, accent folding (for accent-insensitive matching) and
// syllable tokenisation. All text that enters hoso passes through NFC here.
package vntext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C. Vietnamese text arrives in
// both composed and decomposed forms (macOS, some PDF producers); hoso stores
// and compares only NFC.
func NFC(s string) string { return norm.NFC.String(s) }

// Fold removes Vietnamese diacritics and lower-cases s: "Đăng ký Khai sinh" →
// "dang ky khai sinh". It is the second, accent-insensitive matching signal;
// the exact NFC form is always kept for display.
func Fold(s string) string {
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteRune('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Lower returns the NFC lower-case form of s, keeping diacritics.
func Lower(s string) string { return strings.ToLower(NFC(s)) }

// Tokens splits s into lower-case NFC syllables: runs of letters and digits.
// Vietnamese words are written as space-separated syllables, so syllables are
// the natural unit for n-gram features.
func Tokens(s string) []string {
	s = Lower(s)
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

// FoldedTokens is Tokens over Fold(s).
func FoldedTokens(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// CollapseSpace replaces runs of white space with one space and trims.
func CollapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// ligatures maps the Latin typographic ligatures that PDF producers emit as
// single glyphs (ﬁ, ﬂ…) to their letters. NFC keeps them; matching needs the
// letters ("identiﬁcation" must read "identification").
var ligatures = strings.NewReplacer("ﬀ", "ff", "ﬁ", "fi", "ﬂ", "fl", "ﬃ", "ffi", "ﬄ", "ffl", "ﬅ", "st", "ﬆ", "st")

// ExpandLigatures replaces typographic ligatures with their letters.
func ExpandLigatures(s string) string {
	if !strings.ContainsAny(s, "ﬀﬁﬂﬃﬄﬅﬆ") {
		return s
	}
	return ligatures.Replace(s)
}
