package classifier

import (
	"slices"
	"testing"

	"github.com/hoso-vn/hoso/internal/vntext"
)

func TestFoldedTokensMatchesVntext(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc",
		"Họ, chữ đệm, tên:.......Nguyễn Văn Ân…… (2) ĐĂNG KÝ 12/05/2026",
		"Vie\u0302\u0323t Nam đ Đ ß Æ ﬁ ½ ① Ω",
	} {
		if got, want := foldedTokens(s), vntext.FoldedTokens(s); !slices.Equal(got, want) {
			t.Errorf("foldedTokens(%q) = %q, vntext.FoldedTokens = %q", s, got, want)
		}
	}
}

func FuzzFoldedTokens(f *testing.F) {
	f.Add("Nguyễn Văn Ân, sinh ngày 01/01/1990")
	f.Add("\xf3Ć") // an invalid byte before a letter with a mark
	f.Fuzz(func(t *testing.T, s string) {
		s = vntext.NFC(s)
		if got, want := foldedTokens(s), vntext.FoldedTokens(s); !slices.Equal(got, want) {
			t.Errorf("foldedTokens(%q) = %q, want %q", s, got, want)
		}
	})
}
