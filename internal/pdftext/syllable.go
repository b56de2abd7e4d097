package pdftext

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// syllablesTxt is the vocabulary of Vietnamese syllables (lower case, NFC)
// seen at least twice in the legal texts and form templates of shared/data;
// gen_syllables.go rebuilds it.
//
//go:embed syllables.txt
var syllablesTxt string

var (
	vocabOnce sync.Once
	vocab     map[string]struct{}
	folded    map[string][]string // folded form → known syllables with that folding
)

func loadVocab() {
	vocab = make(map[string]struct{}, 8192)
	folded = make(map[string][]string, 4096)
	for _, line := range strings.Split(syllablesTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		vocab[line] = struct{}{}
		f := vntext.Fold(line)
		folded[f] = append(folded[f], line)
	}
}

// KnownSyllable reports whether s (any case, NFC or not) is a Vietnamese
// syllable in the embedded vocabulary.
func KnownSyllable(s string) bool {
	vocabOnce.Do(loadVocab)
	_, ok := vocab[vntext.Lower(s)]
	return ok
}

// SyllablesFolding returns the known syllables whose accent-folded form is f
// (for example "quan" → quan, quân, quần, quản, quận…); OCR correction uses it
// to choose among tone variants.
func SyllablesFolding(f string) []string {
	vocabOnce.Do(loadVocab)
	return folded[f]
}

// VocabularySize is the number of syllables in the embedded vocabulary.
func VocabularySize() int {
	vocabOnce.Do(loadVocab)
	return len(vocab)
}

// vietLetters holds every lower-case letter that Vietnamese writes: the Latin
// base letters without f, j, w, z, plus đ and the twelve vowels with each of
// the five tone marks.
var vietLetters = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "abcdeghiklmnopqrstuvxyđ" {
		m[r] = true
	}
	tones := []string{"", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
	for _, v := range []string{"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"} {
		for _, t := range tones {
			r, _ := utf8.DecodeRuneInString(norm.NFC.String(v + t))
			m[r] = true
		}
	}
	return m
}()

// IsVietnameseLetter reports whether the lower-case rune r belongs to the
// Vietnamese alphabet (with or without tone mark).
func IsVietnameseLetter(r rune) bool { return vietLetters[r] }

var onsets = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
	"b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""}
var codas = []string{"ng", "nh", "ch", "c", "m", "n", "p", "t", ""}

// SyllableShape reports whether the lower-case token t has the shape of a
// Vietnamese syllable: only Vietnamese letters, at most one tone mark, an
// optional onset, a vowel nucleus of one to three vowels and an optional
// final consonant. It rejects glued words ("thihành"), split syllables ("t",
// "b") and garbled letters ("cøng").
func SyllableShape(t string) bool {
	if t == "" || len(t) > 16 {
		return false
	}
	tonesSeen := 0
	for _, r := range norm.NFD.String(t) {
		switch r {
		case '\u0300', '\u0301', '\u0309', '\u0303', '\u0323':
			tonesSeen++
		}
	}
	if tonesSeen > 1 {
		return false
	}
	for _, r := range t {
		if !vietLetters[r] {
			return false
		}
	}
	f := vntext.Fold(t)
	for _, on := range onsets {
		if !strings.HasPrefix(f, on) {
			continue
		}
		rest := f[len(on):]
		if on == "gi" && rest == "" { // "gì", "gi"
			return true
		}
		for _, co := range codas {
			if !strings.HasSuffix(rest, co) {
				continue
			}
			nuc := rest[:len(rest)-len(co)]
			if len(nuc) >= 1 && len(nuc) <= 3 && strings.Trim(nuc, "aeiouy") == "" {
				return true
			}
		}
	}
	return false
}
