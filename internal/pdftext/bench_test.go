package pdftext_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/pdftext"
)

// benchFiles are the text-layer PDFs of shared/data/pdfs-vn-gov (or, without
// shared data, the one in data/pdfs).
func benchFiles(b *testing.B) [][]byte {
	names := []string{"luat-15-2012-QH13-xu-ly-vi-pham-hanh-chinh.pdf", "luat-20-2023-QH15-giao-dich-dien-tu_congbao.pdf",
		"luat-26-2023-QH15-can-cuoc_congbao.pdf", "nd-65-2018-ND-CP-duong-sat.pdf", "tcvn-13657-2-2023.pdf",
		"to-khai-can-cuoc-cong-dan-mau-CC01.pdf", "tt-02-2021-TT-BTC-phi-kiem-dinh-pccc.pdf"}
	dirs := []string{filepath.Join(os.Getenv("HOSO_SHARED_DATA"), "pdfs-vn-gov"), "../../../shared/data/pdfs-vn-gov", "../../data/pdfs"}
	var out [][]byte
	for _, d := range dirs {
		for _, n := range names {
			if data, err := os.ReadFile(filepath.Join(d, n)); err == nil {
				out = append(out, data)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	b.Skip("no PDFs found")
	return nil
}

// BenchmarkExtractVsPdftotext reads the same text-layer PDFs with the
// in-process extractor and with poppler's pdftotext (a process per file, as
// the fallback runs it) in the same run, and reports pages per second for
// both and their ratio (>1: the in-process reader is faster).
func BenchmarkExtractVsPdftotext(b *testing.B) {
	files := benchFiles(b)
	if !pdftext.PdftotextAvailable() {
		b.Skip("pdftotext not installed")
	}
	var pages int
	var inProc, poppler time.Duration
	ctx := context.Background()
	for b.Loop() {
		for _, data := range files {
			t0 := time.Now()
			doc, err := pdftext.Extract(data, pdftext.Limits{})
			inProc += time.Since(t0)
			if err != nil {
				b.Fatal(err)
			}
			t0 = time.Now()
			if _, err := pdftext.Pdftotext(ctx, data, pdftext.Limits{}); err != nil {
				b.Fatal(err)
			}
			poppler += time.Since(t0)
			pages += len(doc.Pages)
		}
	}
	b.ReportMetric(float64(pages)/inProc.Seconds(), "ledongthuc_pages/s")
	b.ReportMetric(float64(pages)/poppler.Seconds(), "pdftotext_pages/s")
	b.ReportMetric(poppler.Seconds()/inProc.Seconds(), "speed_ratio")
}

// BenchmarkCheckFidelity measures the fidelity check per page of text.
func BenchmarkCheckFidelity(b *testing.B) {
	doc, err := pdftext.Extract(benchFiles(b)[0], pdftext.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	text := doc.Text()
	for b.Loop() {
		pdftext.CheckFidelity(text)
	}
	b.ReportMetric(float64(len(doc.Pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
}
