package doctext

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/pdftext"
	"github.com/hoso-vn/hoso/internal/vntext"
)

func TestCorrectOCR(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Sửa đôi, bố sung một số điều", "Sửa đổi, bổ sung một số điều"},
		{"SỬA ĐÔI, BỐ SUNG", "SỬA ĐỔI, BỔ SUNG"},
		{"cơ quan quần lý nhà nước", "cơ quan quản lý nhà nước"},
		{"chỗ ở ôn định", "chỗ ở ổn định"},
		{"thu hôi chứng nhận", "thu hồi chứng nhận"},
		{"Nguyễn Văn An, 12/3/1985", "Nguyễn Văn An, 12/3/1985"}, // names and numbers stay
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, _ := CorrectOCR(tt.in); got != tt.want {
				t.Errorf("CorrectOCR(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestCorrectOCRHeldOut measures correction on text that the pair table
// was not built from: the procedure descriptions of dvc-procedures-2026.
// Tone errors of the kind tesseract makes (another mark on the same base
// letters) are injected into 5% of the syllables; the syllable error rate
// must fall substantially, and clean text must stay almost untouched.
func TestCorrectOCRHeldOut(t *testing.T) {
	t.Parallel()
	dir := sharedData(t)
	f, err := os.Open(filepath.Join(dir, "dvc-procedures-2026", "procedures.jsonl"))
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var clean strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 0; sc.Scan() && n < 300; n++ {
		var p struct {
			Trinh string `json:"trinh_tu_thuc_hien"`
		}
		if json.Unmarshal(sc.Bytes(), &p) == nil {
			clean.WriteString(vntext.NFC(p.Trinh))
			clean.WriteByte('\n')
		}
	}
	ref := clean.String()
	rng := rand.New(rand.NewPCG(1, 2))
	noisy := corruptTones(ref, 0.05, rng)
	fixed, _ := CorrectOCR(noisy)
	before, after := syllableErrors(ref, noisy), syllableErrors(ref, fixed)
	untouched, falseFix := CorrectOCR(ref)
	_ = untouched
	total := len(strings.Fields(ref))
	t.Logf("%d syllables; errors before %d (%.2f%%), after %d (%.2f%%); changes to clean text: %d (%.3f%%)",
		total, before, 100*float64(before)/float64(total), after, 100*float64(after)/float64(total), falseFix, 100*float64(falseFix)/float64(total))
	if after*2 > before {
		t.Errorf("correction removed less than half of the errors: %d → %d", before, after)
	}
	if float64(falseFix) > 0.005*float64(total) {
		t.Errorf("correction changed %d words of clean text", falseFix)
	}
}

// corruptTones replaces a share p of the syllables by another known
// syllable with the same base letters, as OCR confuses marks.
func corruptTones(s string, p float64, rng *rand.Rand) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		lw := vntext.Lower(w)
		if !pdftext.KnownSyllable(lw) || rng.Float64() >= p {
			continue
		}
		alts := pdftext.SyllablesFolding(vntext.Fold(lw))
		var other []string
		for _, a := range alts {
			if a != lw {
				other = append(other, a)
			}
		}
		if len(other) > 0 {
			words[i] = matchCase(w, other[rng.IntN(len(other))])
		}
	}
	return strings.Join(words, " ")
}

func syllableErrors(ref, hyp string) int {
	a, b := strings.Fields(ref), strings.Fields(hyp)
	n := 0
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}
