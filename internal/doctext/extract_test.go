package doctext

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/pdftext/pdftexttest"
)

func TestMain(m *testing.M) {
	// The sandbox re-runs this test binary as its child.
	MaybeRunSandbox()
	os.Exit(m.Run())
}

// Misbehaving parsers for the sandbox tests; registered in the child too,
// because the child is this same test binary.
func init() {
	testParsers["test/stack-overflow"] = func([]byte) { recurse(0) }
	testParsers["test/infinite-loop"] = func([]byte) {
		for i := 0; ; i++ {
			if i < 0 {
				return
			}
		}
	}
	testParsers["test/oom"] = func([]byte) {
		var keep [][]byte
		for {
			keep = append(keep, bytes.Repeat([]byte{1}, 16<<20))
		}
	}
	testParsers["test/panic"] = func([]byte) { panic("boom") }
	testParsers["test/flood-output"] = func([]byte) {
		for {
			os.Stdout.Write(bytes.Repeat([]byte("x"), 1<<20))
		}
	}
}

//go:noinline
func recurse(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	return recurse(n+1) + int(pad[0])
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func sandboxed(t *testing.T) *Extractor {
	o := DefaultOptions()
	o.OCR = false
	o.Timeout = 20 * time.Second // generous on a loaded CI machine; hostile files still stop at CPUSeconds
	o.CPUSeconds = 5
	o.MemoryBytes = 512 << 20
	return New(o, testLogger(t))
}

func TestHostilePDFsInSandbox(t *testing.T) {
	t.Parallel()
	x := sandboxed(t)
	for _, h := range pdftexttest.HostileCorpus() {
		t.Run(h.Name, func(t *testing.T) {
			t.Parallel()
			res, err := x.Extract(context.Background(), "hostile.pdf", h.Data)
			if err != nil {
				t.Fatalf("Extract returned error %v; bad documents must become results", err)
			}
			if res.Status != StatusFailed || res.ErrorCode != h.Code {
				t.Errorf("status %s code %q (%s), want failed %q", res.Status, res.ErrorCode, res.Error, h.Code)
			}
			if !res.NeedsReview || res.Error == "" {
				t.Errorf("failed result without review flag or message: %+v", res)
			}
		})
	}
}

func TestSandboxSurvivesChildFailures(t *testing.T) {
	t.Parallel()
	x := sandboxed(t)
	tests := []struct {
		name, ct string
		code     Code
		opts     func(*Options)
	}{
		{"StackExhaustion", "test/stack-overflow", CodeCorrupt, nil},
		{"InfiniteLoopHitsCPULimit", "test/infinite-loop", CodeTimeout, func(o *Options) { o.CPUSeconds = 1 }},
		{"InfiniteLoopHitsDeadline", "test/infinite-loop", CodeTimeout, func(o *Options) { o.CPUSeconds = 60; o.Timeout = 1500 * time.Millisecond }},
		{"MemoryExhaustion", "test/oom", CodeTooLarge, func(o *Options) { o.MemoryBytes = 256 << 20 }},
		{"Panic", "test/panic", CodeUnsupported, nil}, // recovered in the child; then "no parser"
		{"OutputFlood", "test/flood-output", CodeTooLarge, func(o *Options) { o.MaxOutputBytes = 1 << 20 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := x.opts
			if tt.opts != nil {
				tt.opts(&o)
			}
			_, err := runSandbox(context.Background(), New(o, nil).request(tt.ct), []byte("x"), o.Timeout, o.MaxOutputBytes)
			var e *Error
			if tt.name == "Panic" {
				// The panic is recovered as corrupt inside parseBytes.
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
		})
	}
}

func TestExtractCancelledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sandboxed(t).Extract(ctx, "a.pdf", pdftexttest.Simple("hello"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestExtractFormats(t *testing.T) {
	t.Parallel()
	x := sandboxed(t)
	viet := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTỜ KHAI ĐĂNG KÝ KHAI SINH"
	tests := []struct {
		name, file string
		data       []byte
		status     string
		code       string
		ct         string
		method     string
		contains   string
		pages      int
	}{
		{"SimplePDF", "a.pdf", pdftexttest.Simple("Hello world, this page holds enough text to count as a text layer.", "Second page"), StatusOK, "", TypePDF, MethodTextLayer, "Second page", 2},
		{"ScanPDFNeedsOCR", "scan.pdf", pdftexttest.ImageOnly(), StatusNeedsOCR, "", TypePDF, MethodNone, "", 1},
		{"PlainTextNFC", "a.txt", []byte("Ho\u0302\u0300 so\u031b\ftrang hai"), StatusOK, "", TypePlain, MethodPlain, "Hồ sơ", 2},
		{"DOCX", "a.docx", makeDOCX(t, viet, 1), StatusOK, "", TypeDOCX, MethodDOCX, "TỜ KHAI ĐĂNG KÝ KHAI SINH", 2},
		{"DOCXZipBomb", "bomb.docx", makeDOCX(t, strings.Repeat(" ", 70<<20), 0), StatusFailed, "too_large", TypeDOCX, "", "", 0},
		{"BinaryGarbage", "a.txt", []byte{0x00, 0x01, 0x02, 0xfe, 0xff, 0x10}, StatusFailed, "unsupported", "application/octet-stream", "", "", 0},
		{"PhotoWithoutOCR", "a.png", tinyPNG(t), StatusNeedsOCR, "", TypePNG, MethodNone, "", 1},
		{"OtherZip", "a.xlsx", makeZip(t, map[string]string{"xl/workbook.xml": "<x/>"}), StatusFailed, "unsupported", "application/zip", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := x.Extract(context.Background(), tt.file, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.status || res.ErrorCode != tt.code || res.ContentType != tt.ct {
				t.Fatalf("status=%s code=%s ct=%s err=%s, want %s %s %s", res.Status, res.ErrorCode, res.ContentType, res.Error, tt.status, tt.code, tt.ct)
			}
			if len(res.Pages) != tt.pages {
				t.Fatalf("pages = %d, want %d", len(res.Pages), tt.pages)
			}
			if tt.pages > 0 && res.Pages[0].Method != tt.method {
				t.Errorf("method = %s, want %s", res.Pages[0].Method, tt.method)
			}
			if !strings.Contains(res.Text(), tt.contains) {
				t.Errorf("text %q lacks %q", res.Text(), tt.contains)
			}
			if res.Status == StatusNeedsOCR && (!res.NeedsReview || len(res.Warnings) == 0) {
				t.Errorf("needs_ocr without review flag and reason: %+v", res)
			}
		})
	}
}

func TestFPDFTextLayerIsReReadWithPdftotext(t *testing.T) {
	t.Parallel()
	lines := []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY ỦY QUYỀN",
		// Short lines: the page is 612 pt wide and the font 7.2 pt a glyph.
		"Tôi là Trần Văn Hùng, sinh ngày 12 tháng 3 năm 1985",
		"cư trú tại phường Bến Nghé, ủy quyền cho bà Lê Thị Mai",
		"thay mặt tôi nộp hồ sơ đăng ký hộ kinh doanh tại Ủy ban nhân dân"}
	res, err := sandboxed(t).Extract(context.Background(), "uy-quyen.pdf", pdftexttest.FPDFStyle(lines...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if !res.NeedsReview {
			t.Errorf("garbled layer without pdftotext must be flagged for review")
		}
		t.Skip("pdftotext not installed")
	}
	if res.Status != StatusOK || res.Extractor != MethodPdftotext || res.Pages[0].Method != MethodPdftotext {
		t.Fatalf("status=%s extractor=%s method=%s", res.Status, res.Extractor, res.Pages[0].Method)
	}
	if got, want := res.Pages[0].Text, strings.Join(lines, "\n"); got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	if len(res.Warnings) == 0 {
		t.Errorf("fallback without a warning naming the reason")
	}
}

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		want string
		ok   bool
	}{
		{"PDF", []byte("%PDF-1.7\n"), TypePDF, true},
		{"JPEG", []byte{0xFF, 0xD8, 0xFF, 0xE0}, TypeJPEG, true},
		{"PNG", []byte("\x89PNG\r\n\x1a\n...."), TypePNG, true},
		{"DOCX", makeDOCX(t, "x", 0), TypeDOCX, true},
		{"UTF8Text", []byte("Giấy ủy quyền"), TypePlain, true},
		{"GIF", []byte("GIF89a"), "", false},
		{"ELF", []byte("\x7fELF\x02\x01\x01\x00"), "", false},
		{"Latin1", []byte("Gi\xe1y"), "", false},
		{"Empty", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Sniff(tt.data)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("Sniff = %s, %v; want %s, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// makeDOCX builds a minimal DOCX whose body is text, one paragraph per
// line, with pageBreaks page breaks after it.
func makeDOCX(t testing.TB, text string, pageBreaks int) []byte {
	var body strings.Builder
	for _, line := range strings.Split(text, "\n") {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">`)
		xmlEscape(&body, line)
		body.WriteString(`</w:t></w:r></w:p>`)
	}
	for i := 0; i < pageBreaks; i++ {
		body.WriteString(`<w:p><w:r><w:br w:type="page"/><w:t>Trang sau</w:t></w:r></w:p>`)
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		body.String() + `</w:body></w:document>`
	return makeZip(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   doc,
	})
}

func xmlEscape(b *strings.Builder, s string) {
	b.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s))
}

func makeZip(t testing.TB, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tinyPNG is a valid 1×1 grey PNG.
func tinyPNG(t testing.TB) []byte {
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")
}

var _ = runtime.NumCPU

// TestNoSandboxProtocol: a process that is itself a sandbox child but did
// not run the protocol must refuse to spawn another child (no recursion),
// and say how to fix it.
func TestNoSandboxProtocol(t *testing.T) {
	t.Setenv(SandboxEnv, "1")
	_, err := New(Options{OCR: false}, nil).Extract(context.Background(), "a.pdf", pdftexttest.Simple("hello there"))
	if !errors.Is(err, ErrNoSandbox) {
		t.Errorf("err = %v, want ErrNoSandbox", err)
	}
}
