package fields_test

import (
	"testing"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/fields"
)

// FuzzExtract feeds arbitrary page text (citizens' uploads are untrusted) to
// every rule table: no panic, and every span lies inside its page.
func FuzzExtract(f *testing.F) {
	f.Add("Họ, chữ đệm, tên:.....Nguyễn Văn An.....\nNgày, tháng, năm sinh: 01/01/2026\n")
	f.Add("Số / No.:\n001090012345\nHọ và tên / Full name:\n")
	f.Add("Ho, chu đệrn va ten chu ho: ĐỖ MINH TRANG … (2) …")
	f.Fuzz(func(t *testing.T, page string) {
		for _, typ := range fields.Supported() {
			for _, fl := range fields.Extract(typ, []string{page, page}) {
				p := page
				if fl.Start < 0 || fl.End > len(p) || fl.Start > fl.End || fl.Page < 1 || fl.Page > 2 {
					t.Fatalf("%s: bad span %+v in %q", typ, fl, page)
				}
				if utf8.ValidString(p) && !utf8.ValidString(p[fl.Start:fl.End]) {
					t.Fatalf("%s: span splits a rune: %+v", typ, fl)
				}
			}
		}
	})
}
