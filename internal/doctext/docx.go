package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/hoso-vn/hoso/internal/pdftext"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Zip-bomb guards for DOCX: a real Word document has a few dozen entries
// and a document.xml of a few MB at most.
const (
	maxDOCXEntries  = 2000
	maxDOCXXMLBytes = 64 << 20
)

// isDOCX reports whether data is a zip whose directory holds
// word/document.xml. Only the central directory is read.
func isDOCX(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) > maxDOCXEntries {
		return false
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}

// IsDOCXEnd is isDOCX for a file seen as a stream: size is the file's
// length and tail its last bytes. A zip keeps its central directory at the
// end, so the directory (which lists word/document.xml) is in the tail
// unless the file has thousands of entries, which no DOCX has; then it is
// not a DOCX. Uploads check a DOCX this way without holding the whole file.
func IsDOCXEnd(tail []byte, size int64) bool {
	if size < int64(len(tail)) {
		return false
	}
	zr, err := zip.NewReader(tailReaderAt{b: tail, off: size - int64(len(tail))}, size)
	if err != nil || len(zr.File) > maxDOCXEntries {
		return false
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}

// tailReaderAt reads the last bytes of a file that starts off bytes
// before them; reading earlier fails.
type tailReaderAt struct {
	b   []byte
	off int64
}

func (t tailReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < t.off {
		return 0, errors.New("zip: reads before the kept tail of the file")
	}
	i := off - t.off
	if i >= int64(len(t.b)) {
		return 0, io.EOF
	}
	n := copy(p, t.b[i:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// docxText reads the text of word/document.xml: paragraphs become lines,
// tabs and line breaks are kept, and explicit page breaks start new pages.
// The decompressed XML is capped regardless of what the zip header claims.
func docxText(data []byte, lim pdftext.Limits) (*pdftext.Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errorf(CodeCorrupt, "docx: %v", err)
	}
	if len(zr.File) > maxDOCXEntries {
		return nil, errorf(CodeTooLarge, "docx: %d zip entries, limit %d", len(zr.File), maxDOCXEntries)
	}
	var docFile *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			docFile = f
		}
		if strings.HasPrefix(f.Name, "word/") && strings.Contains(strings.ToLower(f.Name), "encrypt") {
			return nil, errorf(CodeEncrypted, "docx is encrypted")
		}
	}
	if docFile == nil {
		return nil, errorf(CodeUnsupported, "zip without word/document.xml")
	}
	if docFile.UncompressedSize64 > maxDOCXXMLBytes {
		return nil, errorf(CodeTooLarge, "docx: document.xml is %d bytes, limit %d", docFile.UncompressedSize64, maxDOCXXMLBytes)
	}
	rc, err := docFile.Open()
	if err != nil {
		return nil, errorf(CodeCorrupt, "docx: %v", err)
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: maxDOCXXMLBytes + 1}
	dec := xml.NewDecoder(lr)
	doc := &pdftext.Document{}
	var page, line strings.Builder
	inText := false
	out := 0
	flushPage := func() {
		t := strings.TrimSpace(vntext.NFC(page.String()))
		page.Reset()
		if len(doc.Pages) >= lim.MaxPages {
			doc.Truncated = true
			return
		}
		if out+len(t) > lim.MaxOutputBytes {
			t = ""
			doc.Truncated = true
		}
		out += len(t)
		doc.Pages = append(doc.Pages, pdftext.Page{Number: len(doc.Pages) + 1, Text: t})
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if lr.N <= 0 {
				return nil, errorf(CodeTooLarge, "docx: document.xml above %d bytes", maxDOCXXMLBytes)
			}
			return nil, errorf(CodeCorrupt, "docx: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "Fallback":
				// mc:AlternateContent repeats text boxes as a fallback for old
				// readers; the mc:Choice copy is enough.
				if err := dec.Skip(); err != nil {
					return nil, errorf(CodeCorrupt, "docx: %v", err)
				}
			case "t":
				inText = true
			case "tab":
				line.WriteByte('\t')
			case "br", "cr":
				isPage := false
				for _, a := range t.Attr {
					if a.Name.Local == "type" && a.Value == "page" {
						isPage = true
					}
				}
				if isPage {
					page.WriteString(line.String())
					line.Reset()
					flushPage()
				} else {
					line.WriteByte('\n')
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				page.WriteString(strings.TrimRight(line.String(), " \t"))
				page.WriteByte('\n')
				line.Reset()
			case "tc":
				line.WriteByte('\t') // table cells on one line, separated
			}
		case xml.CharData:
			if inText {
				line.Write(t)
			}
		}
		if page.Len()+line.Len() > lim.MaxOutputBytes {
			doc.Truncated = true
			break
		}
	}
	page.WriteString(line.String())
	flushPage()
	doc.DeclaredPages = len(doc.Pages)
	return doc, nil
}
