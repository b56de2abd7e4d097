package pdftext

import (
	"strings"
	"unicode"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// stampPrefixes start the lines of the digital-signature stamp that signing
// software (the VGP portal, Ban Cơ yếu's tools) writes onto signed scans, in
// folded form: "Người ký: Cổng Thông tin điện tử Chính phủ", "Email: …",
// "Cơ quan: Văn phòng Chính phủ", "Thời gian ký: 27.11.2024 15:57:05 +07:00".
var stampPrefixes = []string{"nguoi ky:", "email:", "co quan:", "thoi gian ky:", "ngay ky:", "ky boi:",
	"chuc vu:", "signed by:", "signing time:", "signature valid"}

// StripSignatureStamp removes the lines of a digital-signature stamp from
// text and reports whether it found one.
func StripSignatureStamp(text string) (rest string, stamp bool) {
	lines := strings.Split(text, "\n")
	out := lines[:0:0]
	for _, l := range lines {
		f := strings.TrimSpace(vntext.Fold(l))
		isStamp := false
		for _, p := range stampPrefixes {
			if strings.HasPrefix(f, p) {
				isStamp = true
				break
			}
		}
		if isStamp {
			stamp = true
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")), stamp
}

// minPageLetters is the least text a page must hold, stamp excluded, to
// count as having a text layer: a page number or a header alone does not.
const minPageLetters = 40

// PageKind says what a page's text layer holds.
type PageKind string

const (
	PageText  PageKind = "text"  // a usable text layer
	PageScan  PageKind = "scan"  // an image with no usable text (or only a signature stamp): needs OCR
	PageBlank PageKind = "blank" // nothing drawn that holds text
)

// ClassifyPage says whether p has a usable text layer, is a scan that needs
// OCR, or is blank. A page whose only text is a signature stamp is a scan,
// and so is a page that draws an image and holds less than a few words.
func ClassifyPage(p Page) PageKind {
	rest, stamp := StripSignatureStamp(p.Text)
	if countLetters(rest) >= minPageLetters {
		return PageText
	}
	if p.Images > 0 || stamp {
		return PageScan
	}
	if countLetters(rest) > 0 {
		return PageText // a short page drawn without images: its text is all there is
	}
	return PageBlank
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
