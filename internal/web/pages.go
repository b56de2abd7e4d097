package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
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

// Pdftoppm renders pages with poppler's pdftoppm in a child process, with a
// timeout and an output cap, so that a hostile PDF cannot hang or flood the
// console.
type Pdftoppm struct {
	Path    string
	DPI     int           // default 80: legible on a laptop, a few hundred KB a page
	Timeout time.Duration // default 15s
}

// NewPdftoppm finds pdftoppm on PATH (Debian's poppler-utils).
func NewPdftoppm() (*Pdftoppm, bool) {
	p, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil, false
	}
	return &Pdftoppm{Path: p}, true
}

// RenderPage implements PageRenderer.
func (p *Pdftoppm) RenderPage(ctx context.Context, pdf []byte, page int) ([]byte, error) {
	dpi, timeout := p.DPI, p.Timeout
	if dpi == 0 {
		dpi = 80
	}
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	n := strconv.Itoa(page)
	cmd := exec.CommandContext(ctx, p.Path, "-png", "-r", strconv.Itoa(dpi), "-f", n, "-l", n, "-singlefile", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out := &capBuffer{max: 20 << 20}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pdftoppm page %d: %w (%s)", page, err, firstLine(stderr.String()))
	}
	if out.over {
		return nil, fmt.Errorf("pdftoppm page %d: image larger than %d bytes", page, out.max)
	}
	return out.Bytes(), nil
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
	var dossierID, ctype string
	var pages int
	err = c.d.Pool.QueryRow(ctx, `SELECT dossier_id, content_type, pages FROM documents WHERE id = $1`, docID).Scan(&dossierID, &ctype, &pages)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && pages > 0 && n > pages) {
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
	if err != nil {
		c.log.Warn("console: render page", "document_id", docID, "page", n, "err", err)
		c.renderError(w, r, http.StatusUnprocessableEntity, "err.render")
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(png)
}
