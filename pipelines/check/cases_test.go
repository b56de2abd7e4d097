package check

import (
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// TestFormCases: the building-permit form's "Loại công trình: Nhà ở riêng
// lẻ" names the case "(1.7) Đối với nhà ở riêng lẻ"; a value that matches no
// case, or two cases equally, names none.
func TestFormCases(t *testing.T) {
	t.Parallel()
	proc := &catalog.Procedure{Cases: []catalog.Case{
		{Key: "case-1", Name: "(1.1) Đối với công trình không theo tuyến"},
		{Key: "case-7", Name: "(1.7) Đối với nhà ở riêng lẻ"},
	}}
	doc := func(text string) store.Document {
		var d store.Document
		d.Filename = "don.pdf"
		d.ExtractionStatus = dossier.ExtractOK
		d.PageTexts = []string{text}
		return d
	}
	got := formCases(proc, []store.Document{doc("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\n- Loại công trình: Nhà ở riêng lẻ   Cấp công trình: III\n")})
	if len(got) != 1 || got["case-7"] == "" {
		t.Fatalf("%v", got)
	}
	// data/dossiers/don-de-nghi-cap-gpxd.pdf as pdftotext -layout reads it.
	got = formCases(proc, []store.Document{doc("3. Nội dung đề nghị cấp phép: Loại công trình: Nhà ở riêng lẻ Cấp\n   công trình: III")})
	if len(got) != 1 || got["case-7"] == "" {
		t.Fatalf("mid-line label: %v", got)
	}
	if got := formCases(proc, []store.Document{doc("- Loại công trình: Công trình công nghiệp\n")}); len(got) != 0 {
		t.Fatalf("unknown value named a case: %v", got)
	}
	if got := formCases(&catalog.Procedure{}, []store.Document{doc("- Loại công trình: Nhà ở riêng lẻ\n")}); len(got) != 0 {
		t.Fatalf("a procedure without cases: %v", got)
	}
}
