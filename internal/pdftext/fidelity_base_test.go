package pdftext

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// checkFidelityBase is checkFidelity as it was before it cut and judged the
// tokens in the same pass as the letter counts, without lower-casing and
// splitting a copy of the text: the new one must give the same verdict.
func checkFidelityBase(text string, skipForeign bool) Fidelity {
	var f Fidelity
	nfc := vntext.NFC(text)
	var letters, garbled, private, orphan, decomposed int
	for _, r := range text {
		if unicode.Is(unicode.Mn, r) {
			decomposed++
		}
	}
	prevLetter := false
	for _, r := range nfc {
		switch {
		case r == utf8.RuneError || (r >= 0xE000 && r <= 0xF8FF):
			private++
		case unicode.Is(unicode.Mn, r):
			if !prevLetter {
				orphan++
			}
		case unicode.IsLetter(r):
			letters++
			lr := unicode.ToLower(r)
			if lr > unicode.MaxASCII && !vietLetters[lr] {
				garbled++
			}
		}
		prevLetter = unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
	}
	toks := vntext.Tokens(nfc)
	// Vietnamese text repeats a few thousand syllables; judge each once.
	type verdict struct{ skip, known, split, glued, toned, foldedKnown bool }
	seen := make(map[string]verdict, 1024)
	var judged, known, split, glued, toned, foldedKnown int
	for _, t := range toks {
		v, ok := seen[t]
		if !ok {
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
		if v.skip {
			continue
		}
		judged++
		for _, c := range []struct {
			b bool
			n *int
		}{{v.known, &known}, {v.split, &split}, {v.glued, &glued}, {v.toned, &toned}, {v.foldedKnown, &foldedKnown}} {
			if c.b {
				*c.n++
			}
		}
	}
	f.Tokens = judged
	if judged > 0 {
		f.KnownShare = float64(known) / float64(judged)
	}
	if letters > 0 {
		if share := float64(garbled) / float64(letters); share > maxGarbledShare {
			f.Reasons = append(f.Reasons, fmt.Sprintf("garbled_letters: %.1f%% of letters are outside the Vietnamese alphabet", 100*share))
		}
	}
	if n := utf8.RuneCountInString(nfc); n > 0 && float64(private)/float64(n) > maxPrivateShare {
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

func fidelityTexts(t testing.TB) []string {
	texts := []string{"", "Vie\u0302\u0323t Nam", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM \xff\xfe İ Ǆ ǅ ⓐ Ⓐ Ⅻ \ufffd \ue000 ﬁ ß",
		"Xu ấ t b ả n thihành namđộc CØNG Full name / Họ và tên: Nguyễn Văn A 2026 date nationality"}
	var files []string
	for _, pat := range []string{"../../data/pdfs/*.pdf", "../../data/dossiers/*.pdf", filepath.Join(os.Getenv("HOSO_SHARED_DATA"), "pdfs-vn-gov", "*.pdf"), "../../../shared/data/pdfs-vn-gov/*.pdf"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Extract(b, Limits{})
		if err != nil {
			continue
		}
		texts = append(texts, doc.Text(), strings.ToUpper(doc.Text()), norm.NFD.String(doc.Text()), vntext.Fold(doc.Text()))
		for _, p := range doc.Pages {
			texts = append(texts, p.Text)
		}
	}
	return texts
}

func TestCheckFidelityAsBase(t *testing.T) {
	t.Parallel()
	texts := fidelityTexts(t)
	if len(texts) < 10 {
		t.Fatalf("only %d texts", len(texts))
	}
	for i, s := range texts {
		for _, skip := range []bool{false, true} {
			if got, want := checkFidelity(s, skip), checkFidelityBase(s, skip); !reflect.DeepEqual(got, want) {
				t.Fatalf("text %d (skipForeign %v): %+v, base %+v", i, skip, got, want)
			}
		}
	}
}

func FuzzCheckFidelityAsBase(f *testing.F) {
	f.Add("Nguyễn Văn Ân, sinh ngày 01/01/1990 \xf3Ć Vie\u0302\u0323t İ ⓐ", true)
	f.Fuzz(func(t *testing.T, s string, skip bool) {
		if got, want := checkFidelity(s, skip), checkFidelityBase(s, skip); !reflect.DeepEqual(got, want) {
			t.Errorf("checkFidelity(%q, %v) = %+v, base %+v", s, skip, got, want)
		}
	})
}
