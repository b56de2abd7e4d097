package doctext

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// sharedData returns shared/data (HOSO_SHARED_DATA, or ../shared/data
// beside the repository), skipping the test when it is absent.
func sharedData(t testing.TB) string {
	t.Helper()
	dirs := []string{os.Getenv("HOSO_SHARED_DATA"), "../../../shared/data"}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if st, err := os.Stat(filepath.Join(d, "pdfs-vn-gov", "manifest.csv")); err == nil && !st.IsDir() {
			return d
		}
	}
	t.Skip("shared/data not found (set HOSO_SHARED_DATA)")
	return ""
}

type manifestRow struct{ file, kind, reference string }

func readManifest(t testing.TB, dir string) []manifestRow {
	f, err := os.Open(filepath.Join(dir, "pdfs-vn-gov", "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []manifestRow
	for _, r := range recs[1:] {
		rows = append(rows, manifestRow{file: r[0], kind: r[2], reference: r[6]})
	}
	return rows
}

// TestSharedPDFs runs all 15 PDFs of shared/data/pdfs-vn-gov through the
// sandbox with OCR off: text-layer files come out ok, every scan (image
// only, or only a signature stamp) comes out needs_ocr, and none fails.
func TestSharedPDFs(t *testing.T) {
	t.Parallel()
	dir := sharedData(t)
	rows := readManifest(t, dir)
	if len(rows) != 15 {
		t.Fatalf("manifest lists %d files, want 15", len(rows))
	}
	x := sandboxed(t)
	for _, row := range rows {
		t.Run(strings.TrimSuffix(row.file, ".pdf"), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, "pdfs-vn-gov", row.file))
			if err != nil {
				t.Fatal(err)
			}
			res, err := x.Extract(context.Background(), row.file, data)
			if err != nil {
				t.Fatal(err)
			}
			scan := strings.HasPrefix(row.kind, "scanned")
			switch {
			case scan && res.Status != StatusNeedsOCR:
				t.Errorf("scan: status %s, want needs_ocr (%v)", res.Status, res.Warnings)
			case scan && (!res.NeedsReview || len(res.Warnings) == 0):
				t.Errorf("scan without review flag or reason")
			case !scan && res.Status != StatusOK:
				t.Errorf("text layer: status %s %s, want ok", res.Status, res.Error)
			case !scan && res.NeedsReview:
				t.Errorf("text layer flagged for review: %v", res.Warnings)
			}
			for _, p := range res.Pages {
				if p.Text != vntext.NFC(p.Text) {
					t.Errorf("page %d is not NFC", p.Number)
				}
			}
		})
	}
}

// TestSharedPDFsCER measures the character error rate against the two
// exact-version references the manifest names.
//
// How the texts are compared: both sides are NFC-normalised, runs of
// fill-in leaders (two or more of "." "…" "_") are removed because the
// reference and the PDF draw the blanks of a form with different numbers
// of dots, and all white space is collapsed to one space because line
// breaks are layout, not content. Then the shorter text is aligned as a
// whole inside the longer one with free gaps at the longer one's ends
// (infix alignment), and CER = edit distance / length of the shorter text.
//
//   - Luật XLVPHC 2012: the reference is the whole law, the PDF is the same
//     law. Three windows of two pages each (start, middle, end) are each
//     located in the reference by a 40-character anchor and aligned within
//     the reference around it; CER is over the windows.
//   - CC01: the reference 08_cccd.txt holds only the form's fields, without
//     the national motto and footnotes that the PDF has, so the reference is
//     the shorter text, aligned inside the PDF's text.
func TestSharedPDFsCER(t *testing.T) {
	t.Parallel()
	dir := sharedData(t)
	x := sandboxed(t)
	extractText := func(name string) []Page {
		data, err := os.ReadFile(filepath.Join(dir, "pdfs-vn-gov", name))
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Extract(context.Background(), name, data)
		if err != nil || res.Status != StatusOK {
			t.Fatalf("extract %s: %v %s", name, err, res.Error)
		}
		return res.Pages
	}
	readRef := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return normalizeForCER(string(b))
	}
	t.Run("LuatXLVPHC2012", func(t *testing.T) {
		pages := extractText("luat-15-2012-QH13-xu-ly-vi-pham-hanh-chinh.pdf")
		ref := []rune(readRef("laws-underthesea-vlc/Luat-xu-ly-vi-pham-hanh-chinh-2012-142766.txt"))
		var errs, total int
		for _, start := range []int{0, len(pages)/2 - 1, len(pages) - 2} {
			var w strings.Builder
			for _, p := range pages[start : start+2] {
				w.WriteString(p.Text)
				w.WriteByte(' ')
			}
			hyp := []rune(normalizeForCER(w.String()))
			at := anchor(hyp, ref)
			if at < 0 {
				t.Fatalf("pages %d-%d: no anchor found in the reference", start+1, start+2)
			}
			lo, hi := max(0, at-2000), min(len(ref), at+len(hyp)*11/10+2000)
			d := infixDistance(hyp, ref[lo:hi])
			t.Logf("pages %d-%d: %d edits over %d characters (CER %.2f%%)", start+1, start+2, d, len(hyp), 100*float64(d)/float64(len(hyp)))
			errs += d
			total += len(hyp)
		}
		if cer := float64(errs) / float64(total); cer > 0.02 {
			t.Errorf("CER %.2f%% > 2%%", 100*cer)
		}
	})
	t.Run("ToKhaiCC01", func(t *testing.T) {
		pages := extractText("to-khai-can-cuoc-cong-dan-mau-CC01.pdf")
		var all strings.Builder
		for _, p := range pages {
			all.WriteString(p.Text)
			all.WriteByte(' ')
		}
		hyp := []rune(normalizeForCER(all.String()))
		ref := []rune(readRef("form-templates-docfilling/text/08_cccd.txt"))
		d := infixDistance(ref, hyp)
		cer := float64(d) / float64(len(ref))
		t.Logf("CC01: %d edits over %d reference characters (CER %.2f%%)", d, len(ref), 100*cer)
		if cer > 0.02 {
			t.Errorf("CER %.2f%% > 2%%", 100*cer)
		}
	})
}

var leaders = regexp.MustCompile(`[.…_]{2,}`)

func normalizeForCER(s string) string {
	s = vntext.NFC(s)
	s = leaders.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

// anchor finds where hyp starts in ref: the first 40-rune piece of hyp,
// tried at several offsets (a page may open with a header the reference
// lacks), found verbatim in ref. It returns the estimated start of hyp.
func anchor(hyp, ref []rune) int {
	r := string(ref)
	for off := 0; off+40 <= len(hyp) && off < 2000; off += 37 {
		piece := string(hyp[off : off+40])
		if i := strings.Index(r, piece); i >= 0 {
			return max(0, len([]rune(r[:i]))-off)
		}
	}
	return -1
}

// infixDistance is the edit distance of short aligned as a whole against
// any substring of long (free leading and trailing gaps in long).
func infixDistance(short, long []rune) int {
	prev := make([]int, len(long)+1) // row 0: free start anywhere in long
	cur := make([]int, len(long)+1)
	for i := 1; i <= len(short); i++ {
		cur[0] = i
		for j := 1; j <= len(long); j++ {
			c := prev[j-1]
			if short[i-1] != long[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	best := prev[0]
	for _, v := range prev {
		best = min(best, v)
	}
	return best
}

// TestSharedDOCX reads the real Word form of CC01 and compares it with the
// text version of the same form, as TestSharedPDFsCER does for the PDF.
func TestSharedDOCX(t *testing.T) {
	t.Parallel()
	dir := sharedData(t)
	data, err := os.ReadFile(filepath.Join(dir, "form-templates-docfilling", "word", "cccd.docx"))
	if err != nil {
		t.Skip(err)
	}
	res, err := sandboxed(t).Extract(context.Background(), "cccd.docx", data)
	if err != nil || res.Status != StatusOK || res.Extractor != MethodDOCX {
		t.Fatalf("%v %+v", err, res)
	}
	text := res.Text()
	if n := strings.Count(text, "Thông tư số 41/2019/TT-BCA"); n != 1 {
		t.Errorf("text-box line appears %d times, want 1 (mc:Fallback duplicated?)", n)
	}
	ref, err := os.ReadFile(filepath.Join(dir, "form-templates-docfilling", "text", "08_cccd.txt"))
	if err != nil {
		t.Fatal(err)
	}
	short, long := []rune(normalizeForCER(string(ref))), []rune(normalizeForCER(text))
	d := infixDistance(short, long)
	cer := float64(d) / float64(len(short))
	t.Logf("cccd.docx: %d edits over %d reference characters (CER %.2f%%)", d, len(short), 100*cer)
	if cer > 0.02 {
		t.Errorf("CER %.2f%% > 2%%", 100*cer)
	}
}
