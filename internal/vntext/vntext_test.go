package vntext

import (
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Đăng ký Khai sinh":         "dang ky khai sinh",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA": "cong hoa xa hoi chu nghia",
		"e\u0301":                   "e", // decomposed é
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNFC(t *testing.T) {
	t.Parallel()
	if got := NFC("Vie\u0302\u0323t"); got != "Việt" {
		t.Errorf("NFC = %q", got)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	got := Tokens("Giấy chứng sinh; 1 bản chính.")
	want := []string{"giấy", "chứng", "sinh", "1", "bản", "chính"}
	if len(got) != len(want) {
		t.Fatalf("Tokens = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Tokens = %q", got)
		}
	}
}

func TestExpandLigatures(t *testing.T) {
	t.Parallel()
	if got := ExpandLigatures("Personal identiﬁcation number"); got != "Personal identification number" {
		t.Errorf("ExpandLigatures = %q", got)
	}
}

func TestDisplay(t *testing.T) {
	for in, want := range map[string]string{
		"hoa-don-\u202efdp.exe":            "hoa-don-fdp.exe",
		"giay\u200b-khai\u200d-sinh.pdf":   "giay-khai-sinh.pdf",
		"\u2066a\u2069\u200e\u200f\u061cb": "ab",
		"to-khai\x00\x1b[31m.pdf":          "to-khai[31m.pdf",
		"a\nb\u2028c":                      "a b c",
		"\ufeffGiấy chứng sinh.pdf":        "Giấy chứng sinh.pdf",
		"Gia\u0301y.pdf":                   "Giáy.pdf",
		"\u202e\u200b":                     "(không tên)",
		"bad\xffutf8.txt":                  "bad\ufffdutf8.txt",
		"Đăng ký khai sinh (bản sao).pdf":  "Đăng ký khai sinh (bản sao).pdf",
	} {
		if got := Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Việt Nam":                       "Việt Nam",
		"a\x00b":                         "ab",
		"dòng 1\r\ndòng 2\rdòng 3":       "dòng 1\ndòng 2\ndòng 3",
		"tab\tvà\nxuống dòng":            "tab\tvà\nxuống dòng",
		"bad \xff\xfe utf8":              "bad \ufffd\ufffd utf8",
		"esc\x1b[31m bell\x07 del\x7f":   "esc[31m bell del",
		"Vie\u0302\u0323t":               "Việt",
		"c1 \u0085 control \u009b":       "c1  control ",
		strings.Repeat("x\x00", 3) + "y": "xxxy",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
