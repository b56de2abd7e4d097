// Package pdftexttest builds small PDFs for tests: a valid one-page file and
// a corpus of hostile files (decompression bomb, deep nesting, cyclic page
// tree, truncated, encrypted, wrong magic bytes).
package pdftexttest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"sync"
)

// Build writes a PDF whose objects are objs (object i+1 is objs[i], without
// the "obj"/"endobj" wrapper), with a correct cross-reference table and the
// given trailer entries (for example "/Root 1 0 R").
func Build(trailer string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return b.Bytes()
}

// Stream returns a stream object with data, Flate-compressed when flate.
func Stream(data []byte, flate bool, extra string) string {
	if flate {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(data)
		w.Close()
		data = z.Bytes()
		extra += " /Filter /FlateDecode"
	}
	return fmt.Sprintf("<< /Length %d%s >>\nstream\n%s\nendstream", len(data), extra, data)
}

// Simple returns a valid PDF with one page per text, drawn in Helvetica.
// Texts should be ASCII (the standard font has no Vietnamese glyphs).
func Simple(texts ...string) []byte {
	n := len(texts)
	// 1 catalog, 2 pages, 3 font, then a page and its content per text.
	kids := make([]string, n)
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
	for i, t := range texts {
		page := 4 + 2*i
		kids[i] = fmt.Sprintf("%d 0 R", page)
		var c strings.Builder
		c.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
		for _, line := range strings.Split(t, "\n") {
			line = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(line)
			fmt.Fprintf(&c, "(%s) Tj T*\n", line)
		}
		c.WriteString("ET")
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", page+1),
			Stream([]byte(c.String()), false, ""))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	return Build("/Root 1 0 R", objs...)
}

// ImageOnly returns a one-page PDF whose page draws only an image, as a
// scanner writes it, with no text.
func ImageOnly() []byte {
	img := Stream(bytes.Repeat([]byte{0x80}, 64), false, " /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8")
	return Build("/Root 1 0 R",
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
		Stream([]byte("q 612 0 0 792 0 0 cm /Im0 Do Q"), false, ""),
		img)
}

// Hostile is one hostile file and the error code an extractor must give.
type Hostile struct {
	Name string
	Data []byte
	Code string // encrypted | corrupt | too_large | unsupported
}

// BombBytes is the decoded size of the decompression bomb's content stream:
// above the default 32 MiB content limit, yet about 40 KiB compressed.
const BombBytes = 40 << 20

var (
	corpusOnce sync.Once
	corpus     []Hostile
)

// HostileCorpus returns the hostile PDFs (built once; callers must not
// modify them).
func HostileCorpus() []Hostile {
	corpusOnce.Do(func() { corpus = buildCorpus() })
	return corpus
}

func buildCorpus() []Hostile {
	valid := Simple("Hello world, this is a valid page.")
	return []Hostile{
		{"DecompressionBomb", bomb(), "too_large"},
		{"DeepNesting", deepNesting(), "corrupt"},
		{"CyclicPageTree", cyclic(), "corrupt"},
		{"Truncated", valid[:len(valid)/2], "corrupt"},
		{"Encrypted", encrypted(), "encrypted"},
		{"WrongMagic", append([]byte("GIF89a\x01\x00\x01\x00"), valid[10:]...), "unsupported"},
		{"Empty", nil, "unsupported"},
		{"ZeroPages", Build("/Root 1 0 R", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), "corrupt"},
	}
}

func bomb() []byte {
	content := bytes.Repeat([]byte("0 0 m "), BombBytes/6+1)
	return Build("/Root 1 0 R",
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		Stream(content, true, ""))
}

func deepNesting() []byte {
	const depth = 100000
	nested := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	return Build("/Root 1 0 R",
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /Deep "+nested+" >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
}

func cyclic() []byte {
	// The page-tree node lists itself among its kids, and its kid lists it
	// back: a reader that follows /Kids naively never ends.
	return Build("/Root 1 0 R",
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 5 >>",
		"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 4 >>")
}

func encrypted() []byte {
	o := strings.Repeat("4f", 32)
	u := strings.Repeat("75", 32)
	id := strings.Repeat("ab", 16)
	return Build(fmt.Sprintf("/Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>]", id, id),
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
		fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <%s> /U <%s> >>", o, u))
}

// FPDFStyle returns a one-page PDF whose Vietnamese text uses a Type0 font
// with Identity-H codes equal to the Unicode code points and one
// full-range ToUnicode bfrange, as go-pdf/fpdf writes it. ledongthuc/pdf
// misreads that CMap ("CỘNG HÒA" → "CØNG HÒA"); poppler reads it correctly.
func FPDFStyle(lines ...string) []byte {
	cmap := "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		c.WriteString("<")
		for _, r := range l {
			fmt.Fprintf(&c, "%04X", r)
		}
		c.WriteString("> Tj T*\n")
	}
	c.WriteString("ET")
	return Build("/Root 1 0 R",
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		Stream([]byte(c.String()), false, ""),
		"<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 /CIDToGIDMap /Identity >>",
		Stream([]byte(cmap), false, ""))
}
