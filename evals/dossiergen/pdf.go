package dossiergen

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"
)

// FontPath is the TrueType font embedded in generated PDFs: DejaVu Sans
// covers every Vietnamese letter (Debian: fonts-dejavu-core).
var FontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// Renderer turns a file's pages into a PDF (go-pdf/fpdf, the font subset
// embedded, a few milliseconds a document) or, for scans, a noisy PNG
// (the PDF rasterised by pdftoppm at 150 dpi, then speckled and greyed).
//
// Why fpdf and not headless Chromium: Chromium costs ~0.5 s a document and
// 500 dossiers hold ~1,200 documents; fpdf costs milliseconds. Its
// ToUnicode map garbles ledongthuc/pdf's reading (see FACTS.md), which the
// extractor detects with its fidelity check and re-reads with pdftotext —
// the same path a real FPDF-made upload takes, so it is measured too.
type Renderer struct {
	once sync.Once
	font []byte
	err  error
}

func (r *Renderer) load() error {
	r.once.Do(func() {
		r.font, r.err = os.ReadFile(FontPath)
		if r.err != nil {
			r.err = fmt.Errorf("phông chữ tiếng Việt (Vietnamese font) %s: %w; install it with: apt-get install fonts-dejavu-core", FontPath, r.err)
		}
	})
	return r.err
}

// PDF renders pages as an A4 PDF.
func (r *Renderer) PDF(pages []string) ([]byte, error) {
	if err := r.load(); err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreator("hoso evals/dossiergen", true)
	pdf.AddUTF8FontFromBytes("dejavu", "", r.font)
	pdf.SetMargins(20, 18, 18)
	pdf.SetAutoPageBreak(true, 16)
	for _, p := range pages {
		pdf.AddPage()
		pdf.SetFont("dejavu", "", 11)
		for _, line := range strings.Split(p, "\n") {
			up := line != "" && strings.ToUpper(line) == line && len([]rune(line)) < 90
			if up {
				pdf.SetFont("dejavu", "", 12.5)
				pdf.MultiCell(0, 6.5, line, "", "C", false)
				pdf.SetFont("dejavu", "", 11)
				continue
			}
			pdf.MultiCell(0, 6, line, "", "L", false)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Scan renders the first page and returns it as a noisy greyscale PNG, as
// a phone photo of paper: speckles, a grey cast and a slight skew of
// brightness. seed makes the noise reproducible.
func (r *Renderer) Scan(ctx context.Context, pages []string, seed uint64) ([]byte, error) {
	b, err := r.PDF(pages[:1])
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "hoso-scan-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", in, filepath.Join(dir, "out"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pdftoppm (apt-get install poppler-utils): %v: %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "out.png"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewPCG(seed, 7))
	bounds := img.Bounds()
	g := image.NewGray(bounds)
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		shade := 18 * float64(y-bounds.Min.Y) / float64(bounds.Dy())
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			v := float64(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
			v = v*0.88 + 14 - shade + rnd.NormFloat64()*9
			if rnd.IntN(900) == 0 {
				v = 40
			}
			g.SetGray(x, y, color.Gray{Y: uint8(max(0, min(255, v)))})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// File renders one generated file: a PDF, or a PNG for a scan.
func (r *Renderer) File(ctx context.Context, dossierID string, f File) ([]byte, error) {
	if f.Scan {
		var seed uint64
		for _, c := range dossierID + f.Name {
			seed = seed*31 + uint64(c)
		}
		return r.Scan(ctx, f.Pages, seed)
	}
	b, err := r.PDF(f.Pages)
	if err != nil || f.Tamper != TamperAppendedAfterSigning {
		return b, err
	}
	return signThenAppend(b, "BỆNH VIỆN PHỤ SẢN (ký số)", AsOf.AddDate(0, 0, -10))
}
