// Package vntext provides Vietnamese text normalisation shared by every stage:
// NFC normalisation, accent folding (for accent-insensitive matching) and
// syllable tokenisation. All text that enters hoso passes through NFC here.
package vntext

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C. Vietnamese text arrives in
// both composed and decomposed forms (macOS, some PDF producers); hoso stores
// and compares only NFC.
func NFC(s string) string {
	if isNFCQuick(s) {
		return s // what norm.NFC.String returns for text already in NFC
	}
	return norm.NFC.String(s)
}

// nfcInert marks the runes below nfcInertLimit (ASCII, Latin with
// Vietnamese, Greek, Cyrillic, general punctuation) that are in NFC on
// their own and start a segment (no canonical combining class, combine
// with nothing before them): a text of such runes only is in NFC, as
// norm's quick check would find, without its trie lookup per rune.
const nfcInertLimit = 0x2100

var nfcInert = func() (t [nfcInertLimit]bool) {
	for r := rune(0); r < nfcInertLimit; r++ {
		s := string(r)
		t[r] = utf8.ValidRune(r) && norm.NFC.PropertiesString(s).BoundaryBefore() && norm.NFC.IsNormalString(s)
	}
	return t
}()

// isNFCQuick reports whether s holds only nfcInert runes (and so is in
// NFC); false says nothing.
func isNFCQuick(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= nfcInertLimit || !nfcInert[r] || (r == utf8.RuneError && n == 1) {
			return false
		}
		i += n
	}
	return true
}

// Fold removes Vietnamese diacritics and lower-cases s: "Đăng ký Khai sinh" →
// "dang ky khai sinh". It is the second, accent-insensitive matching signal;
// the exact NFC form is always kept for display.
//
// It folds rune by rune through a table of the runes below foldTableSize
// (Latin, Vietnamese and the combining marks), which gives the same result
// as decomposing the whole string when every non-starter is a nonspacing
// mark, as the table checks; any other string takes foldSlow (import
// parsing spent half its time in NFD here).
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var table []foldEntry // fetched at the first non-ASCII rune
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= foldTableSize {
			return foldSlow(s)
		}
		if table == nil {
			table = foldTable()
		}
		e := &table[r]
		if e.slow {
			return foldSlow(s)
		}
		b.WriteString(e.s)
		i += n
	}
	return b.String()
}

// foldEntry is one rune's folded form; slow: see foldTable.
type foldEntry struct {
	s    string
	slow bool
}

// foldTableSize bounds the runes Fold maps by table: Latin Extended
// Additional (ạ…ỹ) ends at U+1EFF.
const foldTableSize = 0x2000

// foldTable()[r] is foldSlow(string(r)); slow marks a rune whose
// decomposition holds a non-starter that is not a nonspacing mark, so that
// canonical reordering could move it. It is built on first use rather than
// at package init: 8,192 decompositions cost every start of this
// executable (each sandbox child the extractor starts) several ms of CPU,
// and most never fold a non-ASCII letter.
var foldTable = sync.OnceValue(func() []foldEntry {
	t := make([]foldEntry, foldTableSize)
	for r := rune(0); r < foldTableSize; r++ {
		t[r].s = foldSlow(string(r))
		for _, d := range norm.NFD.String(string(r)) {
			if norm.NFD.PropertiesString(string(d)).CCC() != 0 && !unicode.Is(unicode.Mn, d) {
				t[r].slow = true
			}
		}
	}
	return t
})

// foldSlow is Fold by decomposing the whole string.
func foldSlow(s string) string {
	// An invalid byte is U+FFFD before decomposition: norm passes it
	// through and then leaves the letter after it undecomposed ("\xf3Ć"
	// folded to "ć"), so one odd byte would keep a word from matching.
	d := norm.NFD.String(strings.ToValidUTF8(s, "\uFFFD"))
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

// Display returns s safe to show to a person: NFC, with every invisible
// control removed — bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), zero-width
// characters (U+200B–U+200D, U+2060, U+FEFF), other format characters and
// C0/C1 controls — and line or paragraph separators turned into spaces. A
// name like "hoa-don-\u202efdp.exe", which a browser shows as
// "hoa-don-exe.pdf", is shown as "hoa-don-fdp.exe", what it really is.
// Records keep the original; only what is shown passes through Display.
// An empty result (a name made only of controls) is "(không tên)".
func Display(s string) string {
	s = NFC(s)
	clean := true
	for _, r := range s {
		if hidden(r) || r == unicode.ReplacementChar {
			clean = false
			break
		}
	}
	if clean && s != "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u2028' || r == '\u2029' || r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case hidden(r):
		default:
			b.WriteRune(r) // invalid UTF-8 is written as U+FFFD
		}
	}
	out := strings.TrimSpace(b.String())
	if out == "" {
		return "(không tên)"
	}
	return out
}

// hidden reports whether r is invisible or changes how the text around it
// is laid out: controls (Cc), format characters (Cf: bidi controls,
// zero-width joiners, BOM…), surrogates, private use and separators Zl/Zp.
func hidden(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Cs, unicode.Co, unicode.Zl, unicode.Zp)
}

// Clean returns s fit to store and to show: invalid UTF-8 becomes U+FFFD,
// "\r\n" and a lone "\r" become "\n", NUL and every other control character
// except "\n" and "\t" are dropped, and the result is NFC. Every text that
// hoso stores from a document or a submitter (page texts, fields, evidence,
// file names) passes through it, since PostgreSQL refuses NUL in text and
// jsonb and a control character has no place in what officials read.
func Clean(s string) string {
	if clean(s) {
		return NFC(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r':
			if i+1 >= len(s) || s[i+1] != '\n' {
				b.WriteByte('\n')
			}
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r):
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return NFC(b.String())
}

// clean reports whether Clean would leave s as it is (NFC aside).
func clean(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			return false
		}
		i += n
	}
	return true
}
