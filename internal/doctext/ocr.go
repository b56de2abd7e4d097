package doctext

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig for uploaded photos
	_ "image/png"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// Tool paths; tests may point them elsewhere.
var (
	TesseractPath = "tesseract"
	PdftoppmPath  = "pdftoppm"
)

// maxImagePixels refuses images whose header declares more pixels than any
// phone camera or 300 dpi A3 scan produces (a decompression bomb for
// images); tesseract would otherwise allocate them.
const maxImagePixels = 80_000_000

// ocrDPI is the rendering resolution for OCR; tesseract's Vietnamese model
// reads 300 dpi renderings of body text well and lower ones poorly.
const ocrDPI = 300

// minOCRConfidence below which an OCR'd page is flagged for review.
const minOCRConfidence = 0.70

var (
	ocrOnce   sync.Once
	ocrReason string // empty when tesseract with "vie" is usable
)

// OCRAvailable reports whether tesseract with the Vietnamese model and
// pdftoppm are installed, and if not, why.
func OCRAvailable() (ok bool, reason string) {
	ocrOnce.Do(func() {
		if _, err := exec.LookPath(TesseractPath); err != nil {
			ocrReason = "tesseract chưa được cài đặt / tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, TesseractPath, "--list-langs").CombinedOutput()
		if err != nil {
			ocrReason = "tesseract --list-langs: " + err.Error()
			return
		}
		found := false
		for _, l := range strings.Fields(string(out)) {
			if l == "vie" {
				found = true
			}
		}
		if !found {
			ocrReason = "tesseract thiếu mô hình tiếng Việt / tesseract lacks the Vietnamese model (apt-get install tesseract-ocr-vie)"
			return
		}
		if _, err := exec.LookPath(PdftoppmPath); err != nil {
			ocrReason = "pdftoppm chưa được cài đặt / pdftoppm is not installed (apt-get install poppler-utils)"
		}
	})
	return ocrReason == "", ocrReason
}

// ocrUnavailable explains to the result why pages were not OCR'd.
func (x *Extractor) ocrUnavailable() (string, bool) {
	if !x.opts.OCR {
		return "OCR bị tắt trong cấu hình; cần cán bộ đọc trực tiếp. / OCR is disabled; a person must read the scanned pages.", true
	}
	if ok, reason := OCRAvailable(); !ok {
		return "Không thể nhận dạng chữ (OCR): " + reason + "; cần cán bộ đọc trực tiếp. / OCR is unavailable; a person must read the scanned pages.", true
	}
	return "", false
}

// ocrPDFPages renders and OCRs the given 0-based pages of a PDF, up to
// OCRMaxPages within OCRTimeout, writing into res.Pages. It returns how many
// pages got OCR text. Failures of single pages become warnings.
func (x *Extractor) ocrPDFPages(ctx context.Context, res *Result, data []byte, idx []int) (int, error) {
	if reason, off := x.ocrUnavailable(); off {
		res.NeedsReview = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d trang là ảnh quét. / %d pages are scanned images. %s", len(idx), len(idx), reason))
		return 0, nil
	}
	octx, cancel := context.WithTimeout(ctx, x.opts.OCRTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "hoso-ocr-")
	if err != nil {
		return 0, fmt.Errorf("ocr: %w", err)
	}
	defer os.RemoveAll(dir)
	pdfPath := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(pdfPath, data, 0o600); err != nil {
		return 0, fmt.Errorf("ocr: %w", err)
	}
	done := 0
	var lowConf []int
	for n, i := range idx {
		if n >= x.opts.OCRMaxPages {
			res.NeedsReview = true
			res.Warnings = append(res.Warnings, fmt.Sprintf("Chỉ nhận dạng %d trang quét đầu tiên (giới hạn). / Only the first %d scanned pages were OCR'd (limit).", x.opts.OCRMaxPages, x.opts.OCRMaxPages))
			break
		}
		page := res.Pages[i].Number
		img := filepath.Join(dir, fmt.Sprintf("p%d", page))
		args := []string{"-r", strconv.Itoa(ocrDPI), "-gray", "-png", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-singlefile", pdfPath, img}
		// A page whose MediaBox claims 200 inches a side is a 60,000²
		// bitmap at 300 dpi: pdftoppm runs under the sandbox's limits, and
		// a refused page is reported, not the machine's memory spent.
		cmd, err := x.toolCommand(octx, PdftoppmPath, args...)
		if err != nil {
			return done, fmt.Errorf("ocr: %w", err)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			if err := ctx.Err(); err != nil {
				return done, err
			}
			if octx.Err() != nil {
				res.NeedsReview = true
				res.Warnings = append(res.Warnings, fmt.Sprintf("OCR hết thời gian sau %d trang. / OCR ran out of time after %d pages.", done, done))
				break
			}
			res.NeedsReview = true
			res.Warnings = append(res.Warnings, fmt.Sprintf("Trang %d: không dựng được ảnh / page %d: rendering failed: %v %s", page, page, err, firstLine(string(out))))
			continue
		}
		text, conf, err := tesseract(octx, img+".png")
		os.Remove(img + ".png")
		if err == nil {
			text = x.fixOCR(text)
		}
		if err != nil {
			if err := ctx.Err(); err != nil {
				return done, err
			}
			res.NeedsReview = true
			if octx.Err() != nil {
				res.Warnings = append(res.Warnings, fmt.Sprintf("OCR hết thời gian sau %d trang. / OCR ran out of time after %d pages.", done, done))
				break
			}
			res.Warnings = append(res.Warnings, fmt.Sprintf("Trang %d: OCR lỗi / page %d: OCR failed: %v", page, page, err))
			continue
		}
		// Keep a signature stamp the text layer had, after the OCR text.
		stamp := res.Pages[i].Text
		res.Pages[i].Text, res.Pages[i].Method, res.Pages[i].Confidence = text, MethodOCR, conf
		if strings.TrimSpace(stamp) != "" {
			res.Pages[i].Text = strings.TrimSpace(text + "\n" + stamp)
		}
		if conf < minOCRConfidence {
			lowConf = append(lowConf, page)
		}
		done++
	}
	if len(lowConf) > 0 {
		res.NeedsReview = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("Độ tin cậy OCR thấp ở trang %v. / Low OCR confidence on pages %v.", lowConf, lowConf))
	}
	return done, nil
}

// extractImage OCRs an uploaded JPEG or PNG.
func (x *Extractor) extractImage(ctx context.Context, res Result, data []byte) (Result, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return failed(res, errorf(CodeCorrupt, "image header: %v", err)), nil
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		return failed(res, errorf(CodeTooLarge, "image is %d×%d pixels, limit %d", cfg.Width, cfg.Height, maxImagePixels)), nil
	}
	res.Pages = []Page{{Number: 1, Method: MethodNone}}
	if reason, off := x.ocrUnavailable(); off {
		res.Status, res.NeedsReview, res.Extractor = StatusNeedsOCR, true, MethodNone
		res.Warnings = append(res.Warnings, "Tệp là ảnh chụp. / The file is a photo. "+reason)
		return res, nil
	}
	octx, cancel := context.WithTimeout(ctx, x.opts.OCRTimeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "hoso-ocr-")
	if err != nil {
		return Result{}, fmt.Errorf("ocr: %w", err)
	}
	defer os.RemoveAll(dir)
	ext := ".png"
	if res.ContentType == TypeJPEG {
		ext = ".jpg"
	}
	path := filepath.Join(dir, "in"+ext)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return Result{}, fmt.Errorf("ocr: %w", err)
	}
	text, conf, err := tesseract(octx, path)
	if err != nil {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if octx.Err() != nil {
			return failed(res, errorf(CodeTimeout, "OCR took longer than %s", x.opts.OCRTimeout)), nil
		}
		return failed(res, errorf(CodeCorrupt, "OCR: %v", err)), nil
	}
	res.Pages[0] = Page{Number: 1, Text: x.fixOCR(text), Method: MethodOCR, Confidence: conf}
	res.Status, res.Extractor = StatusOK, MethodOCR
	if conf < minOCRConfidence || strings.TrimSpace(text) == "" {
		res.NeedsReview = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("Độ tin cậy OCR thấp (%.0f%%). / Low OCR confidence (%.0f%%).", 100*conf, 100*conf))
	}
	return res, nil
}

// fixOCR applies CorrectOCR unless disabled.
func (x *Extractor) fixOCR(text string) string {
	if x.opts.NoOCRFix {
		return text
	}
	fixed, n := CorrectOCR(text)
	if n > 0 {
		x.log.Debug("corrected OCR tone marks", slog.String("stage", "extract"), slog.Int("words", n))
	}
	return fixed
}

// tesseract OCRs one image with the Vietnamese model and returns its text,
// rebuilt line by line from the TSV output, and the mean word confidence
// (0..1, weighted by word length).
func tesseract(ctx context.Context, path string) (string, float64, error) {
	cmd := exec.CommandContext(ctx, TesseractPath, path, "stdout", "-l", "vie", "--psm", "3", "tsv")
	// tesseract's OpenMP threads fight the rest of the machine for two
	// cores; one thread per page is as fast in practice.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stderr bytes.Buffer
	cmd.Stderr = &capWriter{buf: &stderr, n: 4096}
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		return "", 0, fmt.Errorf("tesseract: %v: %s", err, firstLine(stderr.String()))
	}
	text, conf := parseTSV(out)
	return text, conf, nil
}

// parseTSV rebuilds text from tesseract's TSV (level 5 rows are words with
// their block, paragraph and line numbers and a confidence 0..100).
func parseTSV(tsv []byte) (string, float64) {
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var b strings.Builder
	var key, lastKey string
	var lastPar string
	var sum, weight float64
	first := true
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		word := strings.TrimSpace(f[11])
		if err != nil || conf < 0 || word == "" {
			continue
		}
		par := f[2] + "/" + f[3]
		key = par + "/" + f[4]
		switch {
		case first:
		case par != lastPar:
			b.WriteString("\n\n")
		case key != lastKey:
			b.WriteByte('\n')
		default:
			b.WriteByte(' ')
		}
		first = false
		b.WriteString(word)
		lastKey, lastPar = key, par
		w := float64(len([]rune(word)))
		sum += conf * w
		weight += w
	}
	if weight == 0 {
		return "", 0
	}
	return vntext.NFC(b.String()), sum / weight / 100
}
