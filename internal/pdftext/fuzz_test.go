package pdftext_test

import (
	"errors"
	"os"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/pdftext"
	"github.com/hoso-vn/hoso/internal/pdftext/pdftexttest"
)

// FuzzExtract feeds mutated PDFs to the in-process extractor. Extract must
// return a document or an error wrapping one of the sentinels, never panic;
// its text must be valid NFC UTF-8 within the limits. Stack exhaustion and
// hangs that fuzzing finds are what the sandbox in package extract is for;
// commit their inputs under testdata/fuzz/FuzzExtract.
func FuzzExtract(f *testing.F) {
	f.Add(pdftexttest.Simple("Hello world", "two"))
	f.Add(pdftexttest.ImageOnly())
	f.Add(pdftexttest.FPDFStyle("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"))
	for _, h := range pdftexttest.HostileCorpus() {
		if len(h.Data) < 1<<20 {
			f.Add(h.Data)
		}
	}
	if b, err := os.ReadFile("../../data/pdfs/tt-02-2021-TT-BTC-phi-kiem-dinh-pccc.pdf"); err == nil {
		f.Add(b)
	}
	lim := pdftext.Limits{MaxBytes: 4 << 20, MaxPages: 20, MaxOutputBytes: 1 << 20, MaxContentBytes: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := pdftext.Extract(data, lim)
		if err != nil {
			if !errors.Is(err, pdftext.ErrCorrupt) && !errors.Is(err, pdftext.ErrEncrypted) &&
				!errors.Is(err, pdftext.ErrTooLarge) && !errors.Is(err, pdftext.ErrUnsupported) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		if len(doc.Pages) > lim.MaxPages {
			t.Fatalf("%d pages above the limit %d", len(doc.Pages), lim.MaxPages)
		}
		total := 0
		for _, p := range doc.Pages {
			total += len(p.Text)
			if !utf8.ValidString(p.Text) || !norm.NFC.IsNormalString(p.Text) {
				t.Fatalf("page %d: text is not valid NFC UTF-8: %q", p.Number, p.Text)
			}
		}
		if total > lim.MaxOutputBytes {
			t.Fatalf("%d bytes of text above the limit %d", total, lim.MaxOutputBytes)
		}
		pdftext.CheckFidelity(doc.Text())
	})
}
