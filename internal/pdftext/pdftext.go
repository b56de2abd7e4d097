// Package pdftext reads the text layer of PDF files, page by page, with
// limits on size, page count and output, and judges whether the text it got
// is faithful Vietnamese.
//
// The text layer is read in-process with github.com/ledongthuc/pdf. That
// library trusts its input (its history records hangs and panics on hostile
// files, and it recurses without bound on some object graphs), so callers
// that handle untrusted files run Extract in a sandboxed child process; see
// package extract. Extract itself recovers panics, bounds the page-tree walk,
// refuses decoded content streams above a limit and stops at the page and
// output limits, which covers everything except stack exhaustion, endless
// loops inside the library and memory exhaustion.
//
// Some producers write text layers that ledongthuc decodes wrongly (one
// full-range ToUnicode CMap as FPDF writes it, glyph-by-glyph placement that
// puts spaces inside syllables). CheckFidelity detects those from the text
// alone, and Pdftotext reads the same file with poppler's pdftotext, which
// decodes them correctly.
package pdftext

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// Sentinel errors; Extract wraps one of them with details, and callers test
// with errors.Is.
var (
	ErrEncrypted   = errors.New("pdf is encrypted")
	ErrCorrupt     = errors.New("pdf is corrupt")
	ErrTooLarge    = errors.New("pdf exceeds a limit")
	ErrUnsupported = errors.New("not a pdf")
)

// Limits bound the work Extract does on one file.
type Limits struct {
	MaxBytes        int64 // input size
	MaxPages        int   // pages read; later pages are dropped and Document.Truncated is set
	MaxOutputBytes  int   // total text; beyond it the rest is dropped and Truncated is set
	MaxContentBytes int64 // decoded content stream of one page; beyond it the file is refused as a bomb
}

// Default limits: a dossier component is rarely above a few dozen pages;
// 200 pages and 50 MB leave room for whole laws and scanned annexes.
const (
	DefaultMaxBytes        = 50 << 20
	DefaultMaxPages        = 200
	DefaultMaxOutputBytes  = 8 << 20
	DefaultMaxContentBytes = 32 << 20
)

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{MaxBytes: DefaultMaxBytes, MaxPages: DefaultMaxPages,
		MaxOutputBytes: DefaultMaxOutputBytes, MaxContentBytes: DefaultMaxContentBytes}
}

// WithDefaults returns l with zero fields set to the defaults.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	if l.MaxOutputBytes <= 0 {
		l.MaxOutputBytes = d.MaxOutputBytes
	}
	if l.MaxContentBytes <= 0 {
		l.MaxContentBytes = d.MaxContentBytes
	}
	return l
}

// Page is the text layer of one page.
type Page struct {
	Number int    `json:"number"` // 1-based
	Text   string `json:"text"`   // NFC, lines separated by "\n"
	Images int    `json:"images"` // image XObjects drawn on the page (a scan has at least one)
	Error  string `json:"error,omitempty"`
}

// Document is the text layer of a PDF.
type Document struct {
	Pages         []Page `json:"pages"`
	DeclaredPages int    `json:"declared_pages"` // the page tree's /Count, which a hostile file may lie about
	Truncated     bool   `json:"truncated"`      // MaxPages or MaxOutputBytes cut the text short
}

// Text returns the text of all pages separated by form feeds, as pdftotext
// separates them.
func (d *Document) Text() string {
	var b strings.Builder
	for i, p := range d.Pages {
		if i > 0 {
			b.WriteByte('\f')
		}
		b.WriteString(p.Text)
	}
	return b.String()
}

// maxTreeDepth bounds the page-tree walk; real files nest a handful of levels.
const maxTreeDepth = 64

// Extract reads the text layer of data page by page. The error wraps one of
// ErrEncrypted, ErrCorrupt, ErrTooLarge or ErrUnsupported. Extract recovers
// panics from the PDF library; it cannot recover stack exhaustion, so
// untrusted input belongs in a sandboxed process.
func Extract(data []byte, lim Limits) (doc *Document, err error) {
	lim = lim.WithDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		// The header may legally follow up to 1 KiB of junk, but files that do
		// are rare and the library refuses them anyway.
		return nil, fmt.Errorf("%w: missing %%PDF- header", ErrUnsupported)
	}
	defer func() {
		if x := recover(); x != nil {
			doc = nil
			err = classifyPanic(x)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, classifyOpenError(err)
	}
	root := r.Trailer().Key("Root").Key("Pages")
	if root.IsNull() {
		return nil, fmt.Errorf("%w: no page tree", ErrCorrupt)
	}
	doc = &Document{DeclaredPages: int(root.Key("Count").Int64())}
	var pages []pdf.Value
	seen := map[uint64]bool{}
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		if depth > maxTreeDepth {
			return fmt.Errorf("%w: page tree deeper than %d levels", ErrCorrupt, maxTreeDepth)
		}
		if id, ok := objectID(v); ok {
			if seen[id] {
				return fmt.Errorf("%w: cyclic page tree", ErrCorrupt)
			}
			seen[id] = true
		}
		switch v.Key("Type").Name() {
		case "Page":
			if len(pages) >= lim.MaxPages {
				doc.Truncated = true
				return nil
			}
			pages = append(pages, v)
			return nil
		default: // "Pages", or a node missing /Type that has /Kids
			kids := v.Key("Kids")
			if kids.Kind() != pdf.Array {
				if v.Key("Contents").IsNull() {
					return nil // a stray node; real readers skip it too
				}
				pages = append(pages, v)
				return nil
			}
			for i := 0; i < kids.Len(); i++ {
				if len(pages) >= lim.MaxPages {
					doc.Truncated = true
					return nil
				}
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: no pages", ErrCorrupt)
	}
	out := 0
	failed := 0
	var firstErr error
	for i, pv := range pages {
		p := Page{Number: i + 1}
		if out >= lim.MaxOutputBytes {
			doc.Truncated = true
			break
		}
		text, images, perr := pageText(pdf.Page{V: pv}, lim)
		if perr != nil {
			if errors.Is(perr, ErrTooLarge) {
				return nil, perr
			}
			failed++
			if firstErr == nil {
				firstErr = perr
			}
			p.Error = perr.Error()
		}
		if out+len(text) > lim.MaxOutputBytes {
			text = truncateUTF8(text, lim.MaxOutputBytes-out)
			doc.Truncated = true
		}
		out += len(text)
		p.Text, p.Images = text, images
		doc.Pages = append(doc.Pages, p)
	}
	if failed == len(doc.Pages) && failed > 0 {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, firstErr)
	}
	return doc, nil
}

// objectID returns the object number and generation behind v when v came
// from an indirect reference. The library keeps them unexported; reading
// them by reflection is the only way to detect cycles in the page tree
// exactly rather than by depth alone.
func objectID(v pdf.Value) (uint64, bool) {
	rv := reflect.ValueOf(v)
	p := rv.FieldByName("ptr")
	if !p.IsValid() || p.Kind() != reflect.Struct || p.NumField() < 2 {
		return 0, false
	}
	id, gen := p.Field(0), p.Field(1)
	if !id.CanUint() || !gen.CanUint() || id.Uint() == 0 {
		return 0, false
	}
	return id.Uint()<<16 | gen.Uint(), true
}

func classifyOpenError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword), strings.Contains(msg, "encrypt"), strings.Contains(msg, "password"):
		return fmt.Errorf("%w: %v", ErrEncrypted, err)
	case strings.Contains(msg, "not a PDF file: invalid header"):
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

func classifyPanic(x any) error {
	if e, ok := x.(error); ok {
		if errors.Is(e, ErrTooLarge) || errors.Is(e, ErrCorrupt) {
			return e
		}
		if strings.Contains(e.Error(), "encrypt") {
			return fmt.Errorf("%w: %v", ErrEncrypted, e)
		}
	}
	return fmt.Errorf("%w: %v", ErrCorrupt, x)
}

func truncateUTF8(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// contentSize returns the decoded size of the page's content streams,
// stopping one byte past max, so that a decompression bomb is refused before
// the interpreter spends time on it.
func contentSize(strm pdf.Value, max int64) int64 {
	var total int64
	count := func(v pdf.Value) {
		rc := v.Reader()
		defer rc.Close()
		n, _ := io.Copy(io.Discard, io.LimitReader(rc, max-total+1))
		total += n
	}
	if strm.Kind() == pdf.Array {
		for i := 0; i < strm.Len() && total <= max; i++ {
			count(strm.Index(i))
		}
	} else {
		count(strm)
	}
	return total
}

type matrix [6]float64 // a b c d e f, as in the PDF operator "a b c d e f cm"

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (apply m, then n).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(tx, ty float64) matrix { return matrix{1, 0, 0, 1, tx, ty} }

// maxGStack bounds q nesting; deeper saves are ignored rather than grown.
const maxGStack = 256

// fontInfo is what the text walk needs from a font: its decoder and the
// advance width of each code, so that gaps between runs can be measured.
type fontInfo struct {
	enc     pdf.TextEncoding
	twoByte bool            // Type0 fonts with a two-byte CMap (Identity-H and the like)
	widths  map[int]float64 // code → width in 1/1000 em
	dw      float64         // default width
	known   bool            // widths came from the file rather than a guess
}

func (f *fontInfo) width(code int) float64 {
	if w, ok := f.widths[code]; ok {
		return w
	}
	return f.dw
}

// maxWidthEntries bounds the /W array walk of a hostile font.
const maxWidthEntries = 1 << 16

func loadFont(p pdf.Page, name string) *fontInfo {
	ff := p.Font(name)
	fi := &fontInfo{enc: ff.Encoder(), widths: map[int]float64{}, dw: 500}
	v := ff.V
	if v.Key("Subtype").Name() == "Type0" {
		fi.twoByte = true
		d := v.Key("DescendantFonts").Index(0)
		if dw := d.Key("DW"); !dw.IsNull() {
			fi.dw = dw.Float64()
		} else {
			fi.dw = 1000
		}
		w := d.Key("W")
		n := 0
		for i := 0; i < w.Len() && n < maxWidthEntries; {
			first := int(w.Index(i).Int64())
			next := w.Index(i + 1)
			if next.Kind() == pdf.Array {
				for k := 0; k < next.Len() && n < maxWidthEntries; k++ {
					fi.widths[first+k] = next.Index(k).Float64()
					n++
				}
				i += 2
				continue
			}
			last := int(next.Int64())
			wv := w.Index(i + 2).Float64()
			for c := first; c <= last && n < maxWidthEntries; c++ {
				fi.widths[c] = wv
				n++
			}
			i += 3
		}
		fi.known = n > 0
		return fi
	}
	first := int(v.Key("FirstChar").Int64())
	ws := v.Key("Widths")
	for k := 0; k < ws.Len() && k < 256; k++ {
		fi.widths[first+k] = ws.Index(k).Float64()
	}
	fi.known = ws.Len() > 0
	if mw := v.Key("FontDescriptor").Key("MissingWidth"); !mw.IsNull() {
		fi.dw = mw.Float64()
	}
	return fi
}

// pageText interprets the page's content stream and rebuilds its lines. The
// library's own GetPlainText breaks a line at every text object, which splits
// words ("CỘNG H" / "ÒA"); here a line break is written only when the
// baseline moves, and a space only when the pen jumps right of where the
// previous run ended by more than a fraction of a space (table cells,
// producers that position words instead of writing space glyphs). Run ends
// come from the fonts' glyph widths plus character and word spacing, so text
// placed glyph by glyph (justified lines) is not torn apart.
func pageText(p pdf.Page, lim Limits) (text string, images int, err error) {
	defer func() {
		if x := recover(); x != nil {
			text = ""
			err = classifyPanic(x)
		}
	}()
	images = countImages(p.Resources(), 0)
	strm := p.V.Key("Contents")
	if strm.IsNull() {
		return "", images, nil
	}
	if n := contentSize(strm, lim.MaxContentBytes); n > lim.MaxContentBytes {
		return "", images, fmt.Errorf("%w: page content stream decodes to more than %d bytes", ErrTooLarge, lim.MaxContentBytes)
	}
	fonts := map[string]*fontInfo{}
	font := &fontInfo{dw: 500}
	type gstate struct {
		ctm                           matrix
		tc, tw, th, leading, fontSize float64
		font                          *fontInfo
	}
	g := gstate{ctm: identity, th: 1, font: font}
	var (
		tm, tlm               = identity, identity
		stack                 []gstate
		b                     strings.Builder
		penX, lastY, lastSize float64
		haveLast              bool
		limit                 = lim.MaxOutputBytes
	)
	show := func(raw string) {
		if b.Len() > limit || raw == "" {
			return
		}
		s := raw
		if g.font.enc != nil {
			s = g.font.enc.Decode(raw)
		}
		trm := tm.mul(g.ctm)
		x, y := trm[4], trm[5]
		size := math.Abs(g.fontSize * math.Hypot(trm[2], trm[3]))
		if size < 1 {
			size = 1
		}
		gap := 0.2 * size
		if !g.font.known {
			gap = size
		}
		if haveLast && s != "" {
			dy := math.Abs(y - lastY)
			big := math.Max(size, lastSize)
			// A raised or lowered run that continues where the pen stopped
			// is a superscript or subscript ("tên(1):"), not a new line.
			script := dy <= big*0.7 && x >= penX-big && x <= penX+big*2
			switch {
			case dy > size*0.5 && !script:
				b.WriteByte('\n')
			case x > penX+gap || x < penX-size*2:
				if !endsSpace(&b) && !startsSpace(s) {
					b.WriteByte(' ')
				}
			}
		}
		b.WriteString(s)
		// Advance the text matrix by the run's width, as a renderer would.
		step := 1
		if g.font.twoByte {
			step = 2
		}
		var tx float64
		for i := 0; i+step <= len(raw); i += step {
			code := int(raw[i])
			if step == 2 {
				code = code<<8 | int(raw[i+1])
			}
			w := g.font.width(code)/1000*g.fontSize + g.tc
			if step == 1 && code == 32 {
				w += g.tw
			}
			tx += w * g.th
		}
		tm = translate(tx, 0).mul(tm)
		end := tm.mul(g.ctm)
		penX, lastY, lastSize = end[4], y, size
		if s != "" {
			haveLast = true
		}
	}
	num := func(v pdf.Value) float64 { return v.Float64() }
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		n := stk.Len()
		args := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "q":
			if len(stack) < maxGStack {
				stack = append(stack, g)
			}
		case "Q":
			if len(stack) > 0 {
				g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				var m matrix
				for i := range m {
					m[i] = num(args[i])
				}
				g.ctm = m.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					f = loadFont(p, name)
					fonts[name] = f
				}
				g.font = f
				g.fontSize = num(args[1])
			}
		case "Tc":
			if len(args) == 1 {
				g.tc = num(args[0])
			}
		case "Tw":
			if len(args) == 1 {
				g.tw = num(args[0])
			}
		case "Tz":
			if len(args) == 1 {
				g.th = num(args[0]) / 100
			}
		case "TL":
			if len(args) == 1 {
				g.leading = num(args[0])
			}
		case "TD", "Td":
			if len(args) == 2 {
				if op == "TD" {
					g.leading = -num(args[1])
				}
				tlm = translate(num(args[0]), num(args[1])).mul(tlm)
				tm = tlm
			}
		case "Tm":
			if len(args) == 6 {
				for i := range tm {
					tm[i] = num(args[i])
				}
				tlm = tm
			}
		case "T*":
			tlm = translate(0, -g.leading).mul(tlm)
			tm = tlm
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = num(args[0]), num(args[1])
			}
			tlm = translate(0, -g.leading).mul(tlm)
			tm = tlm
			if len(args) > 0 {
				show(args[len(args)-1].RawString())
			}
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				v := args[0]
				for i := 0; i < v.Len(); i++ {
					x := v.Index(i)
					switch x.Kind() {
					case pdf.String:
						show(x.RawString())
					case pdf.Integer, pdf.Real:
						tm = translate(-x.Float64()/1000*g.fontSize*g.th, 0).mul(tm)
					}
				}
			}
		}
	})
	return cleanText(b.String()), images, nil
}

func endsSpace(b *strings.Builder) bool {
	s := b.String()
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r)
}

func startsSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// cleanText NFC-normalises the page text, drops control characters other
// than line breaks and tabs, and trims each line.
func cleanText(s string) string {
	s = vntext.ExpandLigatures(vntext.NFC(s))
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r' || r == '\f' || r == '\u00a0':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) == "" && len(out) > 0 && out[len(out)-1] == "" {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// countImages counts image XObjects in a resource dictionary, looking one
// level into form XObjects, where scanners often wrap the page image.
func countImages(res pdf.Value, depth int) int {
	xo := res.Key("XObject")
	n := 0
	for i, k := range xo.Keys() {
		if i >= 64 {
			break
		}
		v := xo.Key(k)
		switch v.Key("Subtype").Name() {
		case "Image":
			n++
		case "Form":
			if depth < 2 {
				n += countImages(v.Key("Resources"), depth+1)
			}
		}
	}
	return n
}
