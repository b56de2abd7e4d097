package pdftext_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/pdftext"
	"github.com/hoso-vn/hoso/internal/pdftext/pdftexttest"
)

func TestExtractSimple(t *testing.T) {
	t.Parallel()
	doc, err := pdftext.Extract(pdftexttest.Simple("Hello world\nsecond line", "Page two"), pdftext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 2 {
		t.Fatalf("pages = %d, want 2", len(doc.Pages))
	}
	if got := doc.Pages[0].Text; got != "Hello world\nsecond line" {
		t.Errorf("page 1 = %q", got)
	}
	if got := doc.Pages[1].Text; got != "Page two" {
		t.Errorf("page 2 = %q", got)
	}
}

func TestExtractLimits(t *testing.T) {
	t.Parallel()
	data := pdftexttest.Simple("one", "two", "three")
	t.Run("MaxPages", func(t *testing.T) {
		doc, err := pdftext.Extract(data, pdftext.Limits{MaxPages: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Pages) != 2 || !doc.Truncated || doc.DeclaredPages != 3 {
			t.Errorf("pages=%d truncated=%v declared=%d", len(doc.Pages), doc.Truncated, doc.DeclaredPages)
		}
	})
	t.Run("MaxBytes", func(t *testing.T) {
		_, err := pdftext.Extract(data, pdftext.Limits{MaxBytes: 100})
		if !errors.Is(err, pdftext.ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	})
	t.Run("MaxOutputBytes", func(t *testing.T) {
		doc, err := pdftext.Extract(data, pdftext.Limits{MaxOutputBytes: 4})
		if err != nil {
			t.Fatal(err)
		}
		if !doc.Truncated || len(doc.Text()) > 8 {
			t.Errorf("truncated=%v text=%q", doc.Truncated, doc.Text())
		}
	})
}

func TestExtractHostile(t *testing.T) {
	t.Parallel()
	want := map[string]error{
		"encrypted": pdftext.ErrEncrypted, "corrupt": pdftext.ErrCorrupt,
		"too_large": pdftext.ErrTooLarge, "unsupported": pdftext.ErrUnsupported,
	}
	for _, h := range pdftexttest.HostileCorpus() {
		t.Run(h.Name, func(t *testing.T) {
			t.Parallel()
			_, err := pdftext.Extract(h.Data, pdftext.Limits{})
			if !errors.Is(err, want[h.Code]) {
				t.Errorf("err = %v, want %v", err, want[h.Code])
			}
		})
	}
}

func TestClassifyPage(t *testing.T) {
	t.Parallel()
	stamp := "Người ký: Cổng Thông tin điện tử Chính phủ\nEmail: thongtinchinhphu@chinhphu.vn\nCơ quan: Văn phòng Chính phủ\nThời gian ký: 27.11.2024 15:57:05 +07:00"
	body := "Điều 1. Phạm vi điều chỉnh\nNghị định này quy định chi tiết một số điều của Luật Cư trú."
	tests := []struct {
		name string
		page pdftext.Page
		want pdftext.PageKind
	}{
		{"StampOnlyIsScan", pdftext.Page{Text: stamp}, pdftext.PageScan},
		{"StampOnImageIsScan", pdftext.Page{Text: stamp, Images: 1}, pdftext.PageScan},
		{"EmptyImageIsScan", pdftext.Page{Images: 1}, pdftext.PageScan},
		{"PageNumberOnlyIsBlank", pdftext.Page{Text: "2"}, pdftext.PageBlank},
		{"BodyIsText", pdftext.Page{Text: body}, pdftext.PageText},
		{"BodyWithStampIsText", pdftext.Page{Text: stamp + "\n" + body, Images: 1}, pdftext.PageText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pdftext.ClassifyPage(tt.page); got != tt.want {
				t.Errorf("ClassifyPage = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCheckFidelity(t *testing.T) {
	t.Parallel()
	clean := strings.Repeat("Luật này quy định về xử phạt vi phạm hành chính và các biện pháp xử lý hành chính. Cá nhân, tổ chức có quyền khiếu nại. ", 4)
	tests := []struct {
		name   string
		text   string
		ok     bool
		reason string
	}{
		{"CleanVietnamese", clean, true, ""},
		{"DecomposedIsRepaired", "Cô\u0301ng hòa xã hội chủ nghĩa Việt Nam " + clean, true, ""},
		{"SpacesInsideSyllables", strings.Repeat("Xu ấ t b ả n l ầ n 1 tiêu chuẩ n quố c gia ", 8), false, "split_syllables"},
		{"FPDFGarbling", strings.Repeat("CØNG HÒA XÃ HØI CHÚ NGHÎA VIÊT NAM ÐØc lâp Tñ do Hånh phúc ", 6), false, "garbled_letters"},
		{"PrivateUseGlyphs", strings.Repeat("Luật \ue001\ue002 này quy \ufffd định ", 10) + clean, false, "private_glyphs"},
		{"GluedWords", strings.Repeat("thihành quyđịnh phápluật xửphạt ", 10) + clean, false, "glued_words"},
		{"DroppedTones", strings.Repeat("Luat nay quy dinh ve xu phat vi pham hanh chinh va cac bien phap xu ly hanh chinh ", 4), false, "dropped_tones"},
		{"OrphanMarks", " \u0301 \u0300 " + clean, false, "orphan_marks"},
		{"TooShortToJudge", "Trang 2", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pdftext.CheckFidelity(tt.text)
			if f.OK != tt.ok {
				t.Fatalf("OK = %v, want %v (reasons %v, known %.2f)", f.OK, tt.ok, f.Reasons, f.KnownShare)
			}
			if tt.reason != "" && !strings.Contains(strings.Join(f.Reasons, "|"), tt.reason) {
				t.Errorf("reasons %v lack %q", f.Reasons, tt.reason)
			}
		})
	}
}

// TestRereadMayHelp: a bilingual form fails CheckFidelity on its English
// half alone, which a second reader cannot improve; a broken Vietnamese
// layer still asks for one, with or without English beside it.
func TestRereadMayHelp(t *testing.T) {
	t.Parallel()
	card := strings.Repeat("Họ, chữ đệm và tên khai sinh / Full name: NGUYỄN THỊ LAN. Ngày, tháng, năm sinh / Date of birth: 12/03/1995. "+
		"Nơi cư trú / Place of residence: phường Ba Đình, thành phố Hà Nội. Ngày cấp / Date of issue: 10/05/2021. ", 3)
	if f := pdftext.CheckFidelity(card); f.OK {
		t.Fatalf("bilingual card passes CheckFidelity (known %.2f): the test no longer covers the case", f.KnownShare)
	}
	if pdftext.RereadMayHelp(card) {
		t.Errorf("bilingual card with a sound Vietnamese half: RereadMayHelp = true")
	}
	for name, text := range map[string]string{
		"SpacesInsideSyllables": strings.Repeat("Xu ấ t b ả n l ầ n 1 tiêu chuẩ n quố c gia ", 8),
		"FPDFGarbling":          strings.Repeat("CØNG HÒA XÃ HØI CHÚ NGHÎA VIÊT NAM ÐØc lâp Tñ do Hånh phúc ", 6),
		"GluedWithEnglish":      strings.Repeat("thihành quyđịnh phápluật xửphạt / Full name, date of birth ", 10) + card,
		"DroppedTones":          strings.Repeat("Luat nay quy dinh ve xu phat vi pham hanh chinh va cac bien phap xu ly hanh chinh ", 4),
	} {
		if !pdftext.RereadMayHelp(text) {
			t.Errorf("%s: RereadMayHelp = false", name)
		}
	}
}

func TestSyllableShape(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"nghiêng", "quyền", "gì", "ạ", "khuya", "đường", "hoặc"} {
		if !pdftext.SyllableShape(s) {
			t.Errorf("SyllableShape(%q) = false", s)
		}
	}
	for _, s := range []string{"thihành", "cøng", "t", "xyz", "fjord", "hàńh"} {
		if pdftext.SyllableShape(s) {
			t.Errorf("SyllableShape(%q) = true", s)
		}
	}
	if n := pdftext.VocabularySize(); n < 2000 {
		t.Errorf("vocabulary has %d syllables", n)
	}
}

var fpdfLines = []string{
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	"Độc lập - Tự do - Hạnh phúc",
	"TỜ KHAI ĐĂNG KÝ KHAI SINH",
	"Kính gửi: Ủy ban nhân dân xã Phước Thạnh",
	"Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hồng Nhung",
	"Nơi cư trú: số 12 đường Trần Hưng Đạo, phường Hội An",
	"Giấy tờ tùy thân: Căn cước công dân số 079190001234",
	"Quan hệ với người được đăng ký khai sinh: mẹ đẻ",
	"Đề nghị cơ quan đăng ký khai sinh cho người dưới đây",
}

// TestFPDFStyleFallsBackToPdftotext reproduces the FPDF ToUnicode CMap that
// ledongthuc misreads: the fidelity check must reject its text, and
// pdftotext must read the same file correctly.
func TestFPDFStyleFallsBackToPdftotext(t *testing.T) {
	t.Parallel()
	data := pdftexttest.FPDFStyle(fpdfLines...)
	doc, err := pdftext.Extract(data, pdftext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f := pdftext.CheckFidelity(doc.Text()); f.OK {
		t.Fatalf("garbled text layer passed the fidelity check: %q", doc.Text())
	}
	if !pdftext.PdftotextAvailable() {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	pages, err := pdftext.Pdftotext(context.Background(), data, pdftext.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(fpdfLines, "\n")
	if len(pages) != 1 || pages[0] != want {
		t.Fatalf("pdftotext = %q, want %q", pages, want)
	}
	if f := pdftext.CheckFidelity(pages[0]); !f.OK {
		t.Errorf("correct text fails the fidelity check: %v", f.Reasons)
	}
}
