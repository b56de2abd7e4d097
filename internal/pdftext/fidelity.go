package pdftext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// Fidelity is the verdict of CheckFidelity on a text: whether it reads as
// faithful Vietnamese, and if not, why.
type Fidelity struct {
	OK         bool     `json:"ok"`
	KnownShare float64  `json:"known_share"`       // letter tokens that are known Vietnamese syllables
	Tokens     int      `json:"tokens"`            // letter tokens judged
	Reasons    []string `json:"reasons,omitempty"` // why the text fails; empty when OK
	Notes      []string `json:"notes,omitempty"`   // repaired defects worth recording
}

// Thresholds of CheckFidelity, calibrated on the text-layer PDFs of
// shared/data/pdfs-vn-gov: clean legal text scores 0.90–0.97 known
// syllables (the rest are abbreviations, numbers with letters, foreign
// words); the broken layers (spaces inside syllables, FPDF garbling) score
// below 0.75 or trip one of the specific counters.
const (
	minKnownShare    = 0.80
	maxSplitShare    = 0.06  // one-letter fragments such as "t", "ả" in "Xu ấ t b ả n"
	maxGarbledShare  = 0.005 // letters outside the Vietnamese alphabet (FPDF's "CØNG")
	maxPrivateShare  = 0.002 // private-use glyphs and U+FFFD
	maxGluedShare    = 0.03  // tokens made of two known syllables without a space ("thihành")
	minJudgedTokens  = 30    // below this, too little text to judge
	minToneShare     = 0.15  // Vietnamese prose marks tone or vowel on most syllables
	minFoldedKnownOK = 0.70  // folded tokens that are syllables, to call toneless text Vietnamese
)

// CheckFidelity judges whether text (a page or a whole document) is a
// faithful rendering of Vietnamese. It detects decomposed or orphaned
// combining marks, dropped tone marks, private-use and replacement glyphs,
// letters outside the Vietnamese alphabet, spaces inside syllables, words
// glued together and, overall, a low share of known syllables. Text that is
// not Vietnamese at all (a short English page) fails too: the caller decides
// whether a fallback can do better.
func CheckFidelity(text string) Fidelity { return checkFidelity(text, false) }

// RereadMayHelp reports, for a text that fails CheckFidelity, whether
// reading the same file again with another reader (pdftotext) could do
// better: whether the text still fails once the foreign words are left out
// (see foreignWord). A bilingual form ("Họ và tên / Full name") fails
// CheckFidelity on its English half alone, which pdftotext reads the same
// way; the Vietnamese half is what a broken text layer (garbled letters,
// spaces inside syllables, glued words) damages, and what the check then
// judges by the same thresholds. Starting pdftotext costs about 15 ms of CPU
// before it reads a byte (it loads poppler and some thirty libraries), more
// than reading a short file's text layer.
func RereadMayHelp(text string) bool { return !checkFidelity(text, true).OK }

// foreignWord reports whether the token t (lower case) is a word of another
// language written in plain ASCII letters ("date", "nationality"): two or
// more letters, not a Vietnamese syllable, not even with its tone marks
// dropped. One-letter tokens stay judged: they are the trace of spaces
// inside syllables.
func foreignWord(t string) bool {
	if len(t) < 2 {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return !KnownSyllable(t) && len(SyllablesFolding(t)) == 0
}

func checkFidelity(text string, skipForeign bool) Fidelity {
	var f Fidelity
	nfc := vntext.NFC(text)
	var letters, garbled, private, orphan, decomposed int
	for _, r := range text {
		if unicode.Is(unicode.Mn, r) {
			decomposed++
		}
	}
	// One pass over the NFC text: the letter counts, and its tokens as
	// vntext.Tokens cuts them (runs of letters, digits and marks of the
	// lower-cased text), each lower-cased into a reused buffer and judged
	// once per distinct token.
	type verdict struct{ skip, known, split, glued, toned, foldedKnown bool }
	seen := make(map[string]verdict, 1024)
	var judged, known, split, glued, toned, foldedKnown, runes int
	tok := make([]byte, 0, 64)
	tokStart := 0 // where tok began in nfc
	judge := func(end int) {
		if len(tok) == 0 {
			return
		}
		v, ok := seen[string(tok)]
		if !ok {
			t := nfc[tokStart:end]
			if t != string(tok) {
				t = string(tok) // it had upper-case letters
			}
			v.skip = strings.IndexFunc(t, unicode.IsDigit) >= 0 || (skipForeign && foreignWord(t))
			if !v.skip {
				v.known = KnownSyllable(t)
				v.split = !v.known && utf8.RuneCountInString(t) == 1
				v.glued = !v.known && !v.split && isGlued(t)
				v.toned = !norm.NFD.IsNormalString(t) || strings.ContainsRune(t, 'đ')
				v.foldedKnown = len(SyllablesFolding(vntext.Fold(t))) > 0
			}
			seen[t] = v
		}
		tok = tok[:0]
		if v.skip {
			return
		}
		judged++
		if v.known {
			known++
		}
		if v.split {
			split++
		}
		if v.glued {
			glued++
		}
		if v.toned {
			toned++
		}
		if v.foldedKnown {
			foldedKnown++
		}
	}
	prevLetter := false
	for at, r := range nfc {
		runes++
		isMn := unicode.Is(unicode.Mn, r)
		isLetter := unicode.IsLetter(r)
		switch {
		case r == utf8.RuneError || (r >= 0xE000 && r <= 0xF8FF):
			private++
		case isMn:
			if !prevLetter {
				orphan++
			}
		case isLetter:
			letters++
			lr := unicode.ToLower(r)
			if lr > unicode.MaxASCII && !vietLetters[lr] {
				garbled++
			}
		}
		prevLetter = isLetter || isMn
		// strings.ToLower maps rune by rune (an invalid byte becomes
		// U+FFFD, a separator); FieldsFunc then splits on the lowered rune.
		lr := unicode.ToLower(r)
		if unicode.IsLetter(lr) || unicode.IsDigit(lr) || unicode.Is(unicode.Mn, lr) {
			if len(tok) == 0 {
				tokStart = at
			}
			tok = utf8.AppendRune(tok, lr)
		} else {
			judge(at)
		}
	}
	judge(len(nfc))
	f.Tokens = judged
	if judged > 0 {
		f.KnownShare = float64(known) / float64(judged)
	}
	if letters > 0 {
		if share := float64(garbled) / float64(letters); share > maxGarbledShare {
			f.Reasons = append(f.Reasons, fmt.Sprintf("garbled_letters: %.1f%% of letters are outside the Vietnamese alphabet", 100*share))
		}
	}
	if n := runes; n > 0 && float64(private)/float64(n) > maxPrivateShare {
		f.Reasons = append(f.Reasons, fmt.Sprintf("private_glyphs: %d private-use or replacement characters", private))
	}
	if orphan > 0 {
		f.Reasons = append(f.Reasons, fmt.Sprintf("orphan_marks: %d combining marks not attached to a letter", orphan))
	}
	if decomposed > 0 {
		// Decomposed input is repaired by NFC; worth recording, not failing.
		f.Notes = append(f.Notes, fmt.Sprintf("decomposed: %d combining marks composed by NFC", decomposed))
	}
	if judged >= minJudgedTokens {
		if share := float64(split) / float64(judged); share > maxSplitShare {
			f.Reasons = append(f.Reasons, fmt.Sprintf("split_syllables: %.1f%% of tokens are stray letters (spaces inside syllables)", 100*share))
		}
		if share := float64(glued) / float64(judged); share > maxGluedShare {
			f.Reasons = append(f.Reasons, fmt.Sprintf("glued_words: %.1f%% of tokens are two syllables without a space", 100*share))
		}
		if float64(toned)/float64(judged) < minToneShare && float64(foldedKnown)/float64(judged) >= minFoldedKnownOK {
			f.Reasons = append(f.Reasons, "dropped_tones: the text reads as Vietnamese without its tone marks")
		} else if f.KnownShare < minKnownShare {
			f.Reasons = append(f.Reasons, fmt.Sprintf("unknown_syllables: only %.0f%% of tokens are known Vietnamese syllables", 100*f.KnownShare))
		}
	}
	f.OK = len(f.Reasons) == 0
	return f
}

// isGlued reports whether the unknown token t splits into two known
// syllables, the trace of a missing space ("thihành", "namđộc").
func isGlued(t string) bool {
	if utf8.RuneCountInString(t) < 4 {
		return false
	}
	for i := range t {
		if i == 0 {
			continue
		}
		if KnownSyllable(t[:i]) && KnownSyllable(t[i:]) && utf8.RuneCountInString(t[:i]) > 1 && utf8.RuneCountInString(t[i:]) > 1 {
			return true
		}
	}
	return false
}
