package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/doctext"
)

func init() {
	// A sandbox child must not parse flags or open resources: it runs the
	// child protocol and exits here, before main.
	doctext.MaybeRunSandbox()
	register(newExtractCmd)
	register(newExtractSandboxCmd)
}

func newExtractCmd(e *env) *cobra.Command {
	var (
		asJSON    bool
		noOCR     bool
		ocrPages  int
		timeout   time.Duration
		ocrTimout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "extract <tệp>",
		Short: "Trích xuất văn bản từ một tệp (PDF, ảnh, DOCX, văn bản) / Extract text from a file",
		Long: `Trích xuất văn bản theo từng trang từ PDF (lớp chữ, hoặc OCR nếu là bản quét),
ảnh JPEG/PNG (OCR), DOCX và văn bản thuần, trong tiến trình con có giới hạn tài nguyên.
In ra trạng thái (ok / needs_ocr / failed), các trang và lỗi nếu có.

Extract text page by page from a PDF (text layer, or OCR for scans), a
JPEG/PNG photo (OCR), a DOCX or plain text, in a resource-limited child
process. Prints the status (ok / needs_ocr / failed), the pages and any error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			opts := doctext.DefaultOptions()
			opts.OCR = !noOCR
			if ocrPages > 0 {
				opts.OCRMaxPages = ocrPages
			}
			if timeout > 0 {
				opts.Timeout = timeout
			}
			if ocrTimout > 0 {
				opts.OCRTimeout = ocrTimout
			}
			res, err := doctext.New(opts, e.logger()).Extract(cmd.Context(), args[0], data)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(res); err != nil {
					return err
				}
			} else {
				printExtract(e, res)
			}
			if res.Status == doctext.StatusFailed {
				return exitError{code: 2}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "in kết quả dạng JSON / print the result as JSON")
	cmd.Flags().BoolVar(&noOCR, "no-ocr", false, "không chạy OCR cho bản quét / do not OCR scanned pages")
	cmd.Flags().IntVar(&ocrPages, "ocr-pages", 0, "số trang quét tối đa được OCR / most scanned pages to OCR (default 10)")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "thời hạn đọc lớp chữ / deadline for reading the text layer (default 30s)")
	cmd.Flags().DurationVar(&ocrTimout, "ocr-timeout", 0, "thời hạn OCR / deadline for OCR (default 2m)")
	return cmd
}

func printExtract(e *env, res doctext.Result) {
	printf(e.stdout, "status: %s\n", res.Status)
	printf(e.stdout, "content_type: %s\nextractor: %s\nneeds_review: %v\n", res.ContentType, res.Extractor, res.NeedsReview)
	if res.Error != "" {
		printf(e.stdout, "error: [%s] %s\n", res.ErrorCode, res.Error)
	}
	for _, w := range res.Warnings {
		printf(e.stdout, "warning: %s\n", w)
	}
	for _, p := range res.Pages {
		printf(e.stdout, "\n--- trang %d / page %d (%s, %.2f) ---\n", p.Number, p.Number, p.Method, p.Confidence)
		if strings.TrimSpace(p.Text) != "" {
			fmt.Fprintln(e.stdout, p.Text)
		}
	}
}

// newExtractSandboxCmd is the child side of the extraction sandbox, hidden
// from help: it reads a file on stdin and writes the parse result as JSON.
// The service starts the child through extract.MaybeRunSandbox (environment
// variable), which also works for test binaries; this command exists for
// running the same child by hand.
func newExtractSandboxCmd(e *env) *cobra.Command {
	var request string
	cmd := &cobra.Command{
		Use:    "extract-sandbox",
		Short:  "Tiến trình con trích xuất (nội bộ) / extraction sandbox child (internal)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if request == "" {
				request = doctext.SandboxRequest()
			}
			if request == "" {
				request = `{"content_type":"application/pdf"}`
			}
			if code := doctext.RunSandboxChild(e.stdin, e.stdout, request); code != 0 {
				return exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&request, "request", "", `JSON request, e.g. {"content_type":"application/pdf","max_pages":200}`)
	return cmd
}
