package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func requireOCR(t *testing.T) {
	t.Helper()
	if ok, reason := OCRAvailable(); !ok {
		t.Skip(reason)
	}
}

func ocrExtractor(t *testing.T) *Extractor {
	x := sandboxed(t)
	x.opts.OCR = true
	x.opts.OCRMaxPages = 1
	x.opts.OCRTimeout = time.Minute
	return x
}

func TestOCRImage(t *testing.T) {
	t.Parallel()
	requireOCR(t)
	data, err := os.ReadFile("testdata/cc01-header.png")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ocrExtractor(t).Extract(context.Background(), "cc01.png", data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusOK || res.Extractor != MethodOCR || len(res.Pages) != 1 {
		t.Fatalf("status=%s extractor=%s pages=%d warnings=%v", res.Status, res.Extractor, len(res.Pages), res.Warnings)
	}
	p := res.Pages[0]
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỜ KHAI CĂN CƯỚC CÔNG DÂN"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("OCR text lacks %q:\n%s", want, p.Text)
		}
	}
	if p.Method != MethodOCR || p.Confidence <= 0.5 || p.Confidence > 1 {
		t.Errorf("method=%s confidence=%.2f", p.Method, p.Confidence)
	}
}

// TestOCRScannedPDFPage renders and OCRs one page of a real signed scan
// (about 5 s); the other pages stay flagged for review.
func TestOCRScannedPDFPage(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR of a full page takes seconds")
	}
	t.Parallel()
	requireOCR(t)
	dir := sharedData(t)
	data, err := os.ReadFile(filepath.Join(dir, "pdfs-vn-gov", "tt-51-2025-TT-BCA-dang-ky-xe_scan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ocrExtractor(t).Extract(context.Background(), "tt51.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pages) != 4 {
		t.Fatalf("pages = %d", len(res.Pages))
	}
	p := res.Pages[0]
	if p.Method != MethodOCR || !strings.Contains(strings.ToUpper(p.Text), "THÔNG TƯ") || p.Confidence <= 0.5 {
		t.Errorf("page 1: method=%s confidence=%.2f text:\n%s", p.Method, p.Confidence, p.Text)
	}
	if res.Pages[1].Method != MethodNone {
		t.Errorf("page 2 method = %s, want none (OCR page limit 1)", res.Pages[1].Method)
	}
	// Three of four pages are still unread: the document needs OCR/review.
	if res.Status != StatusNeedsOCR || !res.NeedsReview {
		t.Errorf("status=%s needs_review=%v", res.Status, res.NeedsReview)
	}
	t.Logf("page 1 (confidence %.2f):\n%s", p.Confidence, p.Text)
}
