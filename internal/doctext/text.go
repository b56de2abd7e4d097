package doctext

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/pdftext"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// binaryMagic are signatures of binary formats whose first bytes happen to
// be printable ASCII; such files are never plain text.
var binaryMagic = []string{"GIF87a", "GIF89a", "\x7fELF", "MZ", "Rar!", "7z\xbc\xaf", "%!PS", "{\\rtf",
	"II*\x00", "MM\x00*", "\xd0\xcf\x11\xe0", "\x1f\x8b", "PK\x03\x04", "RIFF", "OggS", "fLaC", "ID3"}

// looksLikeText reports whether data is UTF-8 text: valid UTF-8 (a cut
// final rune aside), no NUL bytes, and almost no control characters. The
// first 64 KiB decide.
func looksLikeText(data []byte) bool {
	for _, m := range binaryMagic {
		if bytes.HasPrefix(data, []byte(m)) {
			return false
		}
	}
	head := data[:min(len(data), 64<<10)]
	cut := len(head) < len(data)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	// Allow a rune cut by the 64 KiB window.
	for i := 0; cut && i < utf8.UTFMax && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if !utf8.Valid(head) {
		return false
	}
	var n, bad int
	for _, r := range string(head) {
		n++
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			bad++
		}
	}
	return n > 0 && bad*100 <= n
}

// plainText splits UTF-8 text into pages at form feeds, NFC-normalised.
func plainText(data []byte, lim pdftext.Limits) (*pdftext.Document, error) {
	// Sniff judged the first 64 KiB; the whole file must be text too.
	if !looksLikeText(data) || !utf8.Valid(data) {
		return nil, errorf(CodeUnsupported, "not UTF-8 text")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, errorf(CodeUnsupported, "not UTF-8 text: NUL byte at offset %d", i)
	}
	s := strings.TrimPrefix(string(data), "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	doc := &pdftext.Document{}
	out := 0
	for i, p := range strings.Split(s, "\f") {
		if len(doc.Pages) >= lim.MaxPages {
			doc.Truncated = true
			break
		}
		p = strings.TrimSpace(vntext.NFC(p))
		if out+len(p) > lim.MaxOutputBytes {
			p = p[:0]
			doc.Truncated = true
		}
		out += len(p)
		doc.Pages = append(doc.Pages, pdftext.Page{Number: i + 1, Text: p})
	}
	doc.DeclaredPages = len(doc.Pages)
	return doc, nil
}
