package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/doctext"
)

// maxRenderPages is how many pages of a document the dossier page shows as
// images; the whole PDF stays one click away.
const maxRenderPages = 10

// maxRenderBytes bounds the PDF handed to the renderer.
const maxRenderBytes = 50 << 20

// PageRenderer renders one page (1-based) of a PDF as a PNG image. It must
// honour ctx and bound its own resources: the PDF comes from a citizen.
type PageRenderer interface {
	RenderPage(ctx context.Context, pdf []byte, page int) ([]byte, error)
}

// ErrRenderSlow is wrapped by a render that ran out of wall-clock time
// while its program had little of the CPU: the machine was busy, not the
// document at fault, so the console answers 503 with Retry-After rather
// than "this page cannot be rendered". A renderer that spent its time
// computing (a hostile page) fails without it.
var ErrRenderSlow = errors.New("render timed out on a busy machine")

// Rendering limits (HOSO_RENDER_*; docs/reliability.md lists them).
const (
	// DefaultRenderMaxPixels bounds one rendered page: 4 megapixels is an
	// A4 page at about 200 dpi, far more than the 80 dpi the console asks
	// for, while a page whose MediaBox is 200 × 200 inches is scaled down
	// to fit instead of becoming a 16,000 × 16,000 bitmap (about 1 GB).
	DefaultRenderMaxPixels = 4_000_000
	// DefaultRenderMemoryBytes is RLIMIT_DATA of pdfinfo and pdftoppm.
	DefaultRenderMemoryBytes = 256 << 20
	// DefaultRenderCPUSeconds is RLIMIT_CPU of pdfinfo and pdftoppm.
	DefaultRenderCPUSeconds = 20
	// DefaultRenderConcurrency is how many pages render at once in one
	// process; more requests wait DefaultRenderWait, then get 503.
	DefaultRenderConcurrency = 2
	DefaultRenderWait        = 5 * time.Second
	// DefaultRenderCacheBytes bounds the cache of rendered pages.
	DefaultRenderCacheBytes = 64 << 20
)

// Pdftoppm renders pages with poppler's pdftoppm in a child process, with a
// timeout and an output cap, so that a hostile PDF cannot hang or flood the
// console. It first asks pdfinfo for the page's MediaBox and lowers the
// resolution so that the image has at most MaxPixels pixels, whatever size
// the page claims; both tools run under memory and CPU rlimits
// (extract.LimitedCommand), which stop what the scale cannot foresee.
type Pdftoppm struct {
	Path        string
	InfoPath    string        // pdfinfo
	DPI         int           // default 80: legible on a laptop, a few hundred KB a page
	Timeout     time.Duration // default 15s
	MaxPixels   int64         // default DefaultRenderMaxPixels
	MemoryBytes uint64        // default DefaultRenderMemoryBytes
	CPUSeconds  int           // default DefaultRenderCPUSeconds
}

// NewPdftoppm finds pdftoppm and pdfinfo on PATH (Debian's poppler-utils).
func NewPdftoppm() (*Pdftoppm, bool) {
	p, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil, false
	}
	info, err := exec.LookPath("pdfinfo")
	if err != nil {
		return nil, false
	}
	return &Pdftoppm{Path: p, InfoPath: info}, true
}

// SizeKey names the output size for the page cache: a change of DPI or
// pixel budget renders again.
func (p *Pdftoppm) SizeKey() string {
	return fmt.Sprintf("dpi%d-px%d", cmp.Or(p.DPI, 80), cmp.Or(p.MaxPixels, DefaultRenderMaxPixels))
}

// RenderPage implements PageRenderer.
func (p *Pdftoppm) RenderPage(ctx context.Context, pdf []byte, page int) ([]byte, error) {
	dpi := float64(cmp.Or(p.DPI, 80))
	timeout := cmp.Or(p.Timeout, 15*time.Second)
	budget := cmp.Or(p.MaxPixels, DefaultRenderMaxPixels)
	lim := doctext.Limits{MemoryBytes: cmp.Or(p.MemoryBytes, DefaultRenderMemoryBytes), CPUSeconds: cmp.Or(p.CPUSeconds, DefaultRenderCPUSeconds)}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	n := strconv.Itoa(page)

	// The page's size in points, from its MediaBox (what pdftoppm renders).
	info := &capBuffer{max: 64 << 10}
	cmd, err := doctext.LimitedCommand(ctx, lim, cmp.Or(p.InfoPath, "pdfinfo"), "-box", "-f", n, "-l", n, "-")
	if err != nil {
		return nil, err
	}
	infoErr := &headWriter{capBuffer{max: 16 << 10}}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(pdf), info, infoErr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pdfinfo page %d: %w (%s)", page, slowOr(ctx, cmd, timeout, err), firstLine(infoErr.String()))
	}
	w, h, ok := mediaBox(info.String(), page)
	if !ok {
		return nil, fmt.Errorf("pdfinfo page %d: no MediaBox", page)
	}
	dpi = renderDPI(w, h, dpi, budget)

	cmd, err = doctext.LimitedCommand(ctx, lim, p.Path, "-png", "-r", strconv.FormatFloat(dpi, 'f', 3, 64), "-f", n, "-l", n, "-singlefile", "-")
	if err != nil {
		return nil, err
	}
	out := &capBuffer{max: 20 << 20}
	errs := &headWriter{capBuffer{max: 16 << 10}}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(pdf), out, errs
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pdftoppm page %d at %.1f dpi: %w (%s)", page, dpi, slowOr(ctx, cmd, timeout, err), firstLine(errs.String()))
	}
	if out.over {
		return nil, fmt.Errorf("pdftoppm page %d: image larger than %d bytes", page, out.max)
	}
	// pdfinfo and pdftoppm share poppler's page model, so this holds; it
	// is checked because the budget is the promise.
	cfg, err := png.DecodeConfig(bytes.NewReader(out.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("pdftoppm page %d: %w", page, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > budget+int64(cfg.Width+cfg.Height) {
		return nil, fmt.Errorf("pdftoppm page %d: %d×%d pixels, above the budget of %d", page, cfg.Width, cfg.Height, budget)
	}
	// When the memory limit refuses the bitmap, pdftoppm still exits 0,
	// with a 1×1 image: an image far smaller than the page is a failure.
	if want := int64(w*dpi/72) * int64(h*dpi/72); int64(cfg.Width)*int64(cfg.Height)*4 < want {
		return nil, fmt.Errorf("pdftoppm page %d: %d×%d pixels instead of about %.0f×%.0f (memory limit of %d bytes reached?)",
			page, cfg.Width, cfg.Height, w*dpi/72, h*dpi/72, lim.MemoryBytes)
	}
	return out.Bytes(), nil
}

// slowOr returns err, joined with ErrRenderSlow when the deadline of ctx
// passed while cmd had used less than half of timeout in CPU: on a loaded
// machine (a busy server, a test suite under -race) the program waited for
// a core rather than worked. A program that never started used none.
func slowOr(ctx context.Context, cmd *exec.Cmd, timeout time.Duration, err error) error {
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return err
	}
	var cpu time.Duration
	if st := cmd.ProcessState; st != nil {
		cpu = st.UserTime() + st.SystemTime()
	}
	if cpu*2 >= timeout {
		return err
	}
	return errors.Join(err, ErrRenderSlow)
}

// mediaBox reads the width and height in points of page from the output of
// pdfinfo -box.
func mediaBox(info string, page int) (w, h float64, ok bool) {
	prefix := fmt.Sprintf("Page %4d MediaBox:", page)
	for line := range strings.Lines(info) {
		rest, found := strings.CutPrefix(line, prefix)
		if !found {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 4 {
			return 0, 0, false
		}
		var v [4]float64
		for i, s := range f {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return 0, 0, false
			}
			v[i] = x
		}
		w, h = math.Abs(v[2]-v[0]), math.Abs(v[3]-v[1])
		return w, h, w > 0 && h > 0
	}
	return 0, 0, false
}

// renderDPI is the resolution at which a w × h point page (72 points an
// inch) fits in budget pixels, never above want. pdftoppm rounds each side
// up, hence the margin of one pixel a side.
func renderDPI(w, h, want float64, budget int64) float64 {
	px := func(d float64) float64 { return math.Ceil(w*d/72+1) * math.Ceil(h*d/72+1) }
	if px(want) <= float64(budget) {
		return want
	}
	d := 72 * math.Sqrt(float64(budget)/(w*h))
	for d > 0.01 && px(d) > float64(budget) {
		d *= 0.99
	}
	return d
}

// headWriter keeps the first max bytes and discards the rest (stderr of
// the tools: a broken PDF can print warnings without end).
type headWriter struct{ capBuffer }

func (h *headWriter) Write(b []byte) (int, error) {
	if room := h.max - h.Len(); room > 0 {
		h.Buffer.Write(b[:min(len(b), room)])
	}
	return len(b), nil
}

type capBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (c *capBuffer) Write(b []byte) (int, error) {
	if c.Len()+len(b) > c.max {
		c.over = true
		return 0, errors.New("output too large")
	}
	return c.Buffer.Write(b)
}

func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// handlePage serves one rendered page of a PDF document.
func (c *Console) handlePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if c.d.Files == nil || c.d.Pages == nil {
		c.renderError(w, r, http.StatusServiceUnavailable, "err.unavailable")
		return
	}
	docID := r.PathValue("id")
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > maxRenderPages {
		c.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	dossierID, _, sha, pages, found, err := c.documentPages(ctx, docID)
	if !found || (err == nil && pages > 0 && n > pages) {
		c.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.authorize(ctx, a, dossierID, "document.view"); err != nil {
		c.fail(w, r, err)
		return
	}
	// The same bytes at the same size render the same image: the cache is
	// keyed by content, not by document id.
	key := sha + "/" + strconv.Itoa(n)
	if sk, ok := c.d.Pages.(interface{ SizeKey() string }); ok {
		key += "/" + sk.SizeKey()
	}
	if png, ok := c.gate.cache.get(key); ok {
		c.gate.hits.Add(1)
		pageRenders.WithLabelValues("cache").Inc()
		writePNG(w, png)
		return
	}
	release, ok := c.gate.acquire(ctx)
	if !ok {
		pageRenders.WithLabelValues("busy").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(max(c.gate.wait/time.Second, 1))))
		c.renderError(w, r, http.StatusServiceUnavailable, "err.render_busy")
		return
	}
	defer release()
	if png, ok := c.gate.cache.get(key); ok { // rendered while this request waited
		c.gate.hits.Add(1)
		pageRenders.WithLabelValues("cache").Inc()
		writePNG(w, png)
		return
	}
	rc, _, err := c.d.Files.Open(ctx, dossierID, docID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	pdf, err := io.ReadAll(io.LimitReader(rc, maxRenderBytes))
	rc.Close()
	if err != nil {
		c.fail(w, r, err)
		return
	}
	png, err := c.d.Pages.RenderPage(ctx, pdf, n)
	if errors.Is(err, ErrRenderSlow) {
		// The machine's failure, not the document's: ask for a retry.
		c.log.Warn("console: render page timed out on a busy machine", "document_id", docID, "page", n, "err", err)
		pageRenders.WithLabelValues("slow").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(max(c.gate.wait/time.Second, 1))))
		c.renderError(w, r, http.StatusServiceUnavailable, "err.render_busy")
		return
	}
	if err != nil {
		c.log.Warn("console: render page", "document_id", docID, "page", n, "err", err)
		pageRenders.WithLabelValues("failed").Inc()
		c.renderError(w, r, http.StatusUnprocessableEntity, "err.render")
		return
	}
	c.gate.cache.put(key, png)
	pageRenders.WithLabelValues("rendered").Inc()
	writePNG(w, png)
}

func writePNG(w http.ResponseWriter, png []byte) {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(png)
}
