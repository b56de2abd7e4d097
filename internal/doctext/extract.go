// Package extract turns an uploaded file (PDF, scan, photo, Word document or
// plain text) into text per page, safely and honestly.
//
// Safely: every parser of untrusted bytes written in Go (the PDF text layer,
// DOCX's zip and XML) runs in a child process, the same binary started with
// HOSO_EXTRACT_SANDBOX=1, under limits on CPU time, address space, output
// and wall-clock time. A hostile file that exhausts the stack, loops forever
// or allocates without bound kills only the child, and the parent reports a
// typed error (timeout, corrupt, too_large). Binaries that use the sandbox
// call MaybeRunSandbox first thing in main (and in TestMain). The external
// tools (pdftotext, pdftoppm, tesseract) run in their own processes under the
// same deadline.
//
// Honestly: a scan without OCR is status needs_ocr with NeedsReview set and
// a reason, never an empty "ok"; a text layer that fails the Vietnamese
// fidelity check is re-read with pdftotext, and if that does not help either
// the result is flagged for review.
package doctext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/pdftext"
)

// Status values of Result.Status.
const (
	StatusOK       = "ok"        // text for every page that holds any
	StatusNeedsOCR = "needs_ocr" // scanned pages without OCR text; a person must read them
	StatusFailed   = "failed"    // the file could not be read; see ErrorCode
)

// Page methods: which reader produced a page's text.
const (
	MethodTextLayer = "text_layer" // the PDF's text layer, read by ledongthuc/pdf
	MethodPdftotext = "pdftotext"  // the text layer, re-read by poppler after a failed fidelity check
	MethodOCR       = "ocr"        // tesseract over a 300 dpi rendering or the uploaded image
	MethodDOCX      = "docx"
	MethodPlain     = "plain"
	MethodNone      = "none" // a scanned page that was not OCR'd; its Text is empty or only a signature stamp
)

// Content types that Sniff recognises.
const (
	TypePDF   = "application/pdf"
	TypeJPEG  = "image/jpeg"
	TypePNG   = "image/png"
	TypeDOCX  = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypePlain = "text/plain"
)

// Code classifies why a document could not be read.
type Code string

const (
	CodeEncrypted   Code = "encrypted"   // password-protected; the citizen must upload an unprotected copy
	CodeCorrupt     Code = "corrupt"     // damaged or malformed (including files that crash the parser)
	CodeTooLarge    Code = "too_large"   // above a size, page, output or memory limit
	CodeTimeout     Code = "timeout"     // the CPU or wall-clock budget ran out
	CodeUnsupported Code = "unsupported" // not a type hoso reads (by magic bytes, not by name)
)

// Error is a typed extraction failure; read it with errors.As.
type Error struct {
	Code Code
	Err  error
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Permanent reports that retrying cannot fix a bad document (the workers'
// error classification reads this).
func (e *Error) Permanent() bool { return true }

func errorf(c Code, format string, args ...any) *Error {
	return &Error{Code: c, Err: fmt.Errorf(format, args...)}
}

// Message returns a user-facing explanation of the code, Vietnamese first.
func (c Code) Message() string {
	switch c {
	case CodeEncrypted:
		return "Tệp được đặt mật khẩu; vui lòng nộp bản không khóa. / The file is password-protected; please upload an unprotected copy."
	case CodeCorrupt:
		return "Tệp bị hỏng hoặc không đúng định dạng. / The file is damaged or malformed."
	case CodeTooLarge:
		return "Tệp vượt quá giới hạn kích thước hoặc số trang. / The file exceeds a size or page limit."
	case CodeTimeout:
		return "Đọc tệp quá thời gian cho phép. / Reading the file took too long."
	case CodeUnsupported:
		return "Định dạng tệp không được hỗ trợ (chấp nhận PDF, JPEG, PNG, DOCX, văn bản). / Unsupported file type (PDF, JPEG, PNG, DOCX and plain text are accepted)."
	}
	return string(c)
}

// Options configure an Extractor. Zero fields take the defaults.
type Options struct {
	MaxBytes       int64         // input size
	MaxPages       int           // pages read from a PDF
	Timeout        time.Duration // wall-clock budget of the sandboxed parse (and of pdftotext)
	MemoryBytes    uint64        // address-space limit (RLIMIT_AS) of the sandbox
	CPUSeconds     int           // CPU-time limit (RLIMIT_CPU) of the sandbox
	MaxOutputBytes int           // text returned, all pages together
	OCR            bool          // OCR scanned pages and images when tesseract with "vie" is installed
	OCRMaxPages    int           // pages OCR'd per document; the rest are flagged for review
	OCRTimeout     time.Duration // wall-clock budget for OCR of one document
	NoOCRFix       bool          // keep tesseract's text as is, without CorrectOCR's tone-mark repair
	InProcess      bool          // parse in this process, without the sandbox: tests and benchmarks only
	// Signatures verifies a PDF's digital signatures in the sandbox too,
	// against TrustStore (a PEM bundle of roots; empty trusts nothing) and
	// the CRL files (HOSO_TRUST_STORE, HOSO_TRUST_CRLS).
	Signatures bool
	TrustStore string
	CRLFiles   []string
}

// Defaults. OCR costs about 5 s a page on two cores, so a dossier's scans
// are capped at 10 pages in two minutes; the text layer of 200 pages takes
// well under a second, so 30 s and 10 CPU-seconds only stop hostile files.
const (
	DefaultMaxBytes       = pdftext.DefaultMaxBytes
	DefaultMaxPages       = pdftext.DefaultMaxPages
	DefaultTimeout        = 30 * time.Second
	DefaultMemoryBytes    = 1 << 30 // heap and stacks of the sandbox (RLIMIT_DATA)
	DefaultCPUSeconds     = 10
	DefaultMaxOutputBytes = pdftext.DefaultMaxOutputBytes
	DefaultOCRMaxPages    = 10
	DefaultOCRTimeout     = 2 * time.Minute
)

// DefaultOptions returns the defaults, with OCR and signature verification on.
func DefaultOptions() Options {
	return Options{
		MaxBytes: DefaultMaxBytes, MaxPages: DefaultMaxPages, Timeout: DefaultTimeout,
		MemoryBytes: DefaultMemoryBytes, CPUSeconds: DefaultCPUSeconds, MaxOutputBytes: DefaultMaxOutputBytes,
		OCR: true, OCRMaxPages: DefaultOCRMaxPages, OCRTimeout: DefaultOCRTimeout, Signatures: true,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MaxBytes <= 0 {
		o.MaxBytes = d.MaxBytes
	}
	if o.MaxPages <= 0 {
		o.MaxPages = d.MaxPages
	}
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	if o.MemoryBytes == 0 {
		o.MemoryBytes = d.MemoryBytes
	}
	if o.CPUSeconds <= 0 {
		o.CPUSeconds = d.CPUSeconds
	}
	if o.MaxOutputBytes <= 0 {
		o.MaxOutputBytes = d.MaxOutputBytes
	}
	if o.OCRMaxPages <= 0 {
		o.OCRMaxPages = d.OCRMaxPages
	}
	if o.OCRTimeout <= 0 {
		o.OCRTimeout = d.OCRTimeout
	}
	return o
}

func (o Options) limits() pdftext.Limits {
	return pdftext.Limits{MaxBytes: o.MaxBytes, MaxPages: o.MaxPages, MaxOutputBytes: o.MaxOutputBytes}
}

// Page is the text of one page.
type Page struct {
	Number     int     `json:"number"`
	Text       string  `json:"text"`
	Method     string  `json:"method"`     // text_layer | pdftotext | ocr | docx | plain | none
	Confidence float64 `json:"confidence"` // 0..1: OCR word confidence, or the text layer's share of known syllables
}

// Result is what Extract found in one file.
type Result struct {
	Status      string   `json:"status"` // ok | needs_ocr | failed
	Pages       []Page   `json:"pages"`
	Error       string   `json:"error,omitempty"`
	ErrorCode   string   `json:"error_code,omitempty"`
	Extractor   string   `json:"extractor"` // text_layer | pdftotext | ocr | mixed | docx | plain
	ContentType string   `json:"content_type"`
	NeedsReview bool     `json:"needs_review"`
	Warnings    []string `json:"warnings,omitempty"`
	// Signatures of a PDF (Options.Signatures); SignatureError when its
	// signature fields could not be read at all.
	Signatures     []pdfsig.Signature `json:"signatures,omitempty"`
	SignatureError string             `json:"signature_error,omitempty"`
}

// Text returns all pages' text, pages separated by a blank line.
func (r Result) Text() string {
	var b strings.Builder
	for i, p := range r.Pages {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p.Text)
	}
	return b.String()
}

// Extractor extracts text from files. It is safe for concurrent use; the
// parses run in a small pool of long-lived sandbox processes (pool.go),
// shared with the Extractors that WithOptions derives.
type Extractor struct {
	opts  Options
	log   *slog.Logger
	pools *pools
}

// New returns an Extractor; a nil logger discards logs.
func New(opts Options, log *slog.Logger) *Extractor {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Extractor{opts: opts.withDefaults(), log: log, pools: newPools()}
}

// Options returns the effective options.
func (x *Extractor) Options() Options { return x.opts }

// WithOptions returns an Extractor with the same logger and opts (a pipeline
// version's limits on top of Options()).
func (x *Extractor) WithOptions(opts Options) *Extractor {
	return &Extractor{opts: opts.withDefaults(), log: x.log, pools: x.pools}
}

// Retire ends the pooled sandbox processes that are idle now and those busy
// now once they finish; later extractions start new ones.
func (x *Extractor) Retire() { x.pools.retire() }

// Warm starts the pooled sandbox processes for x's limits now, rather than
// at the first documents: a worker process that is about to take work pays
// their start (tens of ms of CPU each) before it says it is ready. A no-op
// in-process or inside a sandbox child.
func (x *Extractor) Warm() error {
	if x.opts.InProcess || os.Getenv(SandboxEnv) == "1" {
		return nil
	}
	req := x.request("")
	return x.pools.get(poolKey{MemoryBytes: req.MemoryBytes, CPUSeconds: req.CPUSeconds}).warm()
}

// Close ends the pooled sandbox processes (Retire); the Extractor stays
// usable.
func (x *Extractor) Close() error { x.pools.retire(); return nil }

// Extract reads data (named filename, which is used only in messages: the
// type comes from the magic bytes). A bad document never returns an error:
// it becomes Status failed with ErrorCode. The error is non-nil only when ctx
// is done or this machine cannot run the sandbox at all.
func (x *Extractor) Extract(ctx context.Context, filename string, data []byte) (Result, error) {
	start := time.Now()
	res, err := x.extract(ctx, filename, data)
	if err != nil {
		return Result{}, err
	}
	x.log.LogAttrs(ctx, slog.LevelInfo, "extracted",
		slog.String("stage", "extract"), slog.String("file", filename), slog.String("status", res.Status),
		slog.String("extractor", res.Extractor), slog.Int("pages", len(res.Pages)),
		slog.String("error_code", res.ErrorCode), slog.Duration("took", time.Since(start)))
	return res, nil
}

func (x *Extractor) extract(ctx context.Context, filename string, data []byte) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	ct, ok := Sniff(data)
	res := Result{ContentType: ct, Pages: []Page{}}
	if int64(len(data)) > x.opts.MaxBytes {
		return failed(res, errorf(CodeTooLarge, "%d bytes, limit %d", len(data), x.opts.MaxBytes)), nil
	}
	if !ok {
		return failed(res, errorf(CodeUnsupported, "unrecognised content (%s)", describeMagic(data))), nil
	}
	if w := extensionMismatch(filename, ct); w != "" {
		res.Warnings = append(res.Warnings, w)
	}
	switch ct {
	case TypeJPEG, TypePNG:
		return x.extractImage(ctx, res, data)
	}
	parsed, err := x.parse(ctx, ct, data)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			res = failed(res, e)
			res.Signatures, res.SignatureError = parsed.Signatures, parsed.SignatureError
			return res, nil
		}
		return Result{}, fmt.Errorf("extract %q: %w", filename, err)
	}
	switch ct {
	case TypePDF:
		res.Signatures, res.SignatureError = parsed.Signatures, parsed.SignatureError
		return x.finishPDF(ctx, res, data, parsed)
	default:
		method := MethodPlain
		if ct == TypeDOCX {
			method = MethodDOCX
		}
		res.Extractor = method
		for _, p := range parsed.Doc.Pages {
			res.Pages = append(res.Pages, Page{Number: p.Number, Text: p.Text, Method: method, Confidence: 1})
		}
		res.Status = StatusOK
		if strings.TrimSpace(res.Text()) == "" {
			res.NeedsReview = true
			res.Warnings = append(res.Warnings, "Tài liệu không có chữ. / The document contains no text.")
		}
		if parsed.Doc.Truncated {
			res.NeedsReview = true
			res.Warnings = append(res.Warnings, "Văn bản bị cắt bớt do vượt giới hạn. / Text was truncated at a limit.")
		}
		return res, nil
	}
}

func failed(res Result, e *Error) Result {
	res.Status = StatusFailed
	res.ErrorCode = string(e.Code)
	res.Error = e.Code.Message() + " (" + e.Err.Error() + ")"
	res.NeedsReview = true
	res.Pages = []Page{}
	return res
}

// finishPDF decides, page by page, between the text layer, pdftotext and
// OCR, and sets the status.
func (x *Extractor) finishPDF(ctx context.Context, res Result, data []byte, parsed parseResult) (Result, error) {
	doc := parsed.Doc
	res.Extractor = MethodTextLayer
	kinds := make([]pdftext.PageKind, len(doc.Pages))
	var textPages, scanPages []int
	for i, p := range doc.Pages {
		kinds[i] = pdftext.ClassifyPage(p)
		switch kinds[i] {
		case pdftext.PageText:
			textPages = append(textPages, i)
		case pdftext.PageScan:
			scanPages = append(scanPages, i)
		}
	}
	if len(textPages) == 0 {
		// Nothing readable anywhere: treat every page as a scan, even
		// pages without images (text drawn as outlines is a picture too).
		scanPages = scanPages[:0]
		for i := range doc.Pages {
			scanPages = append(scanPages, i)
		}
	}
	pages := make([]Page, len(doc.Pages))
	for i, p := range doc.Pages {
		pages[i] = Page{Number: p.Number, Text: p.Text, Method: MethodTextLayer, Confidence: 1}
		if kinds[i] == pdftext.PageScan || len(textPages) == 0 {
			pages[i].Method, pages[i].Confidence = MethodNone, 0
		}
	}
	if doc.Truncated {
		res.NeedsReview = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("Chỉ đọc %d/%d trang đầu. / Only the first %d of %d pages were read.",
			len(doc.Pages), doc.DeclaredPages, len(doc.Pages), doc.DeclaredPages))
	}
	for _, p := range doc.Pages {
		if p.Error != "" {
			res.NeedsReview = true
			res.Warnings = append(res.Warnings, fmt.Sprintf("Trang %d không đọc được. / Page %d could not be read: %s", p.Number, p.Number, p.Error))
		}
	}

	if len(textPages) > 0 {
		var layer strings.Builder
		for _, i := range textPages {
			layer.WriteString(pages[i].Text)
			layer.WriteByte('\n')
		}
		fid := pdftext.CheckFidelity(layer.String())
		if !fid.OK {
			x.log.LogAttrs(ctx, slog.LevelInfo, "text layer fails fidelity check",
				slog.String("stage", "extract"), slog.Any("reasons", fid.Reasons), slog.Float64("known_share", fid.KnownShare))
			better := false
			// pdftotext is started only when the Vietnamese of the text
			// layer is what fails: it reads foreign words no better.
			if pdftext.PdftotextAvailable() && pdftext.RereadMayHelp(layer.String()) {
				pctx, cancel := context.WithTimeout(ctx, x.opts.Timeout)
				alt, err := pdftext.PdftotextWith(pctx, data, x.opts.limits(), x.toolCommand)
				cancel()
				if err := ctx.Err(); err != nil {
					return Result{}, err
				}
				if err == nil && len(alt) >= len(pages) {
					var all strings.Builder
					for _, i := range textPages {
						all.WriteString(alt[i])
						all.WriteByte('\n')
					}
					afid := pdftext.CheckFidelity(all.String())
					if afid.OK || afid.KnownShare > fid.KnownShare+0.02 {
						better = true
						res.Extractor = MethodPdftotext
						for _, i := range textPages {
							pages[i].Text, pages[i].Method = alt[i], MethodPdftotext
							pages[i].Confidence = confidenceOf(afid)
						}
						res.Warnings = append(res.Warnings, "Lớp chữ PDF bị lỗi mã hóa, đã đọc lại bằng pdftotext. / The PDF text layer was garbled and was re-read with pdftotext: "+strings.Join(fid.Reasons, "; "))
						if !afid.OK {
							res.NeedsReview = true
						}
					}
				} else if err != nil {
					res.Warnings = append(res.Warnings, "pdftotext: "+err.Error())
				}
			}
			if !better {
				res.NeedsReview = true
				for _, i := range textPages {
					pages[i].Confidence = confidenceOf(fid)
				}
				res.Warnings = append(res.Warnings, "Lớp chữ PDF có thể sai dấu tiếng Việt; cần kiểm tra. / The PDF text layer may have broken Vietnamese: "+strings.Join(fid.Reasons, "; "))
			}
		}
	}

	res.Pages = pages
	if len(scanPages) == 0 {
		res.Status = StatusOK
		return res, nil
	}
	ocred, err := x.ocrPDFPages(ctx, &res, data, scanPages)
	if err != nil {
		return Result{}, err
	}
	if ocred > 0 {
		if len(textPages) > 0 {
			res.Extractor = "mixed"
		} else {
			res.Extractor = MethodOCR
		}
	}
	missing := len(scanPages) - ocred
	switch {
	case missing == 0:
		res.Status = StatusOK
	case len(textPages) == 0 && ocred == 0, missing*2 >= len(pages):
		res.Status = StatusNeedsOCR
		res.NeedsReview = true
		if len(textPages) == 0 && ocred == 0 {
			res.Extractor = MethodNone
		}
	default:
		// Mostly text with a few image-only pages (a scanned annex or a
		// signature page): usable, but a person must look at those pages.
		res.Status = StatusOK
		res.NeedsReview = true
	}
	return res, nil
}

func confidenceOf(f pdftext.Fidelity) float64 {
	if f.OK || f.Tokens == 0 {
		return 1
	}
	return f.KnownShare
}

// extensionMismatch warns when the file name claims another type than the
// bytes; the bytes win.
func extensionMismatch(filename, ct string) string {
	ext := strings.ToLower(filepath.Ext(filename))
	want := map[string]string{".pdf": TypePDF, ".jpg": TypeJPEG, ".jpeg": TypeJPEG, ".png": TypePNG,
		".docx": TypeDOCX, ".txt": TypePlain}
	if w, ok := want[ext]; ok && w != ct {
		return fmt.Sprintf("Tên tệp %q không khớp nội dung (%s). / File name %q does not match its content (%s).", filepath.Base(filename), ct, filepath.Base(filename), ct)
	}
	return ""
}

func describeMagic(data []byte) string {
	n := min(len(data), 8)
	if n == 0 {
		return "empty file"
	}
	return fmt.Sprintf("first bytes % x", data[:n])
}

// Sniff returns the content type of data from its magic bytes: PDF, JPEG,
// PNG, DOCX (a zip holding word/document.xml) or UTF-8 plain text. ok is
// false for anything else, including other zip-based formats and binary
// data; submission uses it to refuse disallowed types.
func Sniff(data []byte) (contentType string, ok bool) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF, true
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG, true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG, true
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		if isDOCX(data) {
			return TypeDOCX, true
		}
		return "application/zip", false
	case len(data) > 0 && looksLikeText(data):
		return TypePlain, true
	}
	return "application/octet-stream", false
}
