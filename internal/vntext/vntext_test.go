package vntext

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
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

// TestFoldTable checks the table path against decomposing the whole
// string: every rune alone, after a letter and before combining marks, and
// mixed strings.
func TestFoldTable(t *testing.T) {
	t.Parallel()
	var mixed []string
	// Every rune of the table and past it; above, runes take foldSlow by
	// construction, so a sample suffices.
	for r := rune(0); r < 0x30000; r++ {
		if r >= foldTableSize+0x100 && r%31 != 0 {
			continue
		}
		for _, s := range []string{string(r), "A" + string(r) + "\u0323\u0301", string(r) + "\u0301\u0323b", "Ư" + string(r) + "ơ\u0306"} {
			if got, want := Fold(s), foldSlow(s); got != want {
				t.Fatalf("Fold(%+q) = %+q, want %+q", s, got, want)
			}
		}
		if r%97 == 0 || r < foldTableSize && r%7 == 0 {
			mixed = append(mixed, string(r))
		}
	}
	for _, s := range []string{strings.Join(mixed, ""), "Giấy khai sinh \xff bản chính", "Thủ tục 1.001193 (ĐĂNG KÝ)", strings.Repeat("\u0301", 40) + "a"} {
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Fatalf("Fold(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

func FuzzFold(f *testing.F) {
	f.Add("Đăng ký Khai sinh")
	f.Add("e\u0301\u0323")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Fatalf("Fold(%+q) = %+q, want %+q", s, got, want)
		}
	})
}

func BenchmarkFold(b *testing.B) {
	s := "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất (bản sao có chứng thực)"
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			Fold(s)
		}
	})
	b.Run("decompose", func(b *testing.B) {
		for b.Loop() {
			foldSlow(s)
		}
	})
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

// NFC's quick path agrees with norm on every rune it admits, alone, after
// a letter and before a combining mark; and on texts mixing them.
func TestNFCQuickPath(t *testing.T) {
	t.Parallel()
	for r := rune(0); r < nfcInertLimit; r++ {
		for _, s := range []string{string(r), "e" + string(r), string(r) + "\u0301", "ê" + string(r) + "\u0323"} {
			if got, want := NFC(s), norm.NFC.String(s); got != want {
				t.Fatalf("NFC(%q) = %q, norm %q", s, got, want)
			}
			if isNFCQuick(s) && !norm.NFC.IsNormalString(s) {
				t.Fatalf("isNFCQuick(%q) but norm says not NFC", s)
			}
		}
	}
	for _, s := range []string{"Việt Nam – “Độc lập” … 12/05/2026", "Vie\u0302\u0323t", "\xff\xfeA", "A\u2000B", "Ω Ω", "ﬁ"} {
		if got, want := NFC(s), norm.NFC.String(s); got != want {
			t.Errorf("NFC(%q) = %q, norm %q", s, got, want)
		}
	}
}

func FuzzNFCAsNorm(f *testing.F) {
	f.Add("Việt Nam \u0301 \xff Ω")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := NFC(s), norm.NFC.String(s); got != want {
			t.Errorf("NFC(%q) = %q, norm %q", s, got, want)
		}
	})
}

// BenchmarkNFC compares NFC on composed Vietnamese text (the common case:
// text layers and OCR output are NFC already) with norm's own check.
func BenchmarkNFC(b *testing.B) {
	s := strings.Repeat("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM – Độc lập - Tự do - Hạnh phúc\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên người yêu cầu: Nguyễn Văn Ân “…”\n", 40)
	b.Run("vntext", func(b *testing.B) {
		for b.Loop() {
			NFC(s)
		}
	})
	b.Run("norm", func(b *testing.B) {
		for b.Loop() {
			norm.NFC.String(s)
		}
	})
}
