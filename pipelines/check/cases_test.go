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

// TestCaseUndetermined: with no declared case, no case stated by the form
// and no document of a case's own paper, the dossier gets one
// case_undetermined finding listing every candidate and what it still
// requires; a declared case key or a case document settles it.
func TestCaseUndetermined(t *testing.T) {
	t.Parallel()
	c1, c2 := "Đối với A", "Đối với B"
	proc := &catalog.Procedure{
		Cases: []catalog.Case{{Key: "case-1", Name: c1, Requirements: []string{"don", "ban-ve-a"}}, {Key: "case-2", Name: c2, Requirements: []string{"don", "ban-ve-b"}}},
		Requirements: []catalog.Requirement{
			{Key: "don", Name: "Đơn đề nghị", Kind: catalog.KindSubmit},
			{Key: "ban-ve-a", Name: "Bản vẽ A", Kind: catalog.KindSubmit, Case: "case-1", Condition: &c1, Optional: true},
			{Key: "ban-ve-b", Name: "Bản vẽ B", Kind: catalog.KindSubmit, Case: "case-2", Condition: &c2, Optional: true},
		},
	}
	var form store.Document
	form.Type, form.ExtractionStatus = "don", dossier.ExtractOK
	docs := []store.Document{form}
	if caseDetermined(proc, docs, nil, activeConditions(proc.Requirements, docs), nil) {
		t.Fatal("determined with only the common form")
	}
	f := caseUndetermined(proc, docs)
	cands, _ := f.Details["candidates"].([]CaseCandidate)
	if f.Key != "case_undetermined" || f.Status != dossier.FindingNeedsReview || len(cands) != 2 ||
		len(cands[0].StillRequires) != 1 || cands[0].StillRequires[0] != "Bản vẽ A" {
		t.Fatalf("%+v", f)
	}
	// A case's own application form alone does not settle it.
	proc.Requirements = append(proc.Requirements, catalog.Requirement{Key: "don-a", Name: "Đơn đề nghị cấp giấy phép theo Mẫu số 1", Case: "case-1", Condition: &c1, Optional: true})
	var formA store.Document
	formA.Type = "don-a"
	withFormA := []store.Document{formA}
	if caseDetermined(proc, withFormA, nil, activeConditions(proc.Requirements, withFormA), nil) {
		t.Error("the case-1 application form alone settled the case")
	}
	if !caseDetermined(proc, docs, []string{"case-2"}, nil, nil) {
		t.Error("a declared case key does not settle it")
	}
	var drawing store.Document
	drawing.Type = "ban-ve-b"
	withB := []store.Document{form, drawing}
	if !caseDetermined(proc, withB, nil, activeConditions(proc.Requirements, withB), nil) {
		t.Error("a case document does not settle it")
	}
}
