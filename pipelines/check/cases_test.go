package check

import (
	"context"
	"strings"
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
	if len(got) != 1 || !strings.Contains(got["case-7"], "«Loại công trình: Nhà ở riêng lẻ»") {
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

// TestCaseDocumentsFormRow (issue #15): the portal lists the application
// form once per case — under (1.1) "Đơn đề nghị cấp giấy phép xây dựng theo
// Mẫu số 1", under (1.7) "Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công
// trình theo Mẫu số 1" — and the classifier names the first. Once the case
// is (1.7), declared or stated by the form, the form counts for (1.7)'s row,
// with the evidence, and (1.1)'s row does not apply; undetermined, nothing
// moves; an official's type stands.
func TestCaseDocumentsFormRow(t *testing.T) {
	t.Parallel()
	c1, c7 := "(1.1) Đối với công trình không theo tuyến", "(1.7) Đối với công trình nhà ở riêng lẻ"
	mau1 := "Mẫu số 1"
	proc := &catalog.Procedure{
		Cases: []catalog.Case{
			{Key: "case-1", Name: c1, Requirements: []string{"don-1", "qd-1", "dat"}},
			{Key: "case-7", Name: c7, Requirements: []string{"don-7", "ban-ve-7", "qd-7", "dat"}},
		},
		Requirements: []catalog.Requirement{
			{Key: "dat", Name: "Một trong những giấy tờ hợp pháp về đất đai", Kind: catalog.KindSubmit},
			{Key: "qd-1", Name: "Quyết định phê duyệt dự án", Kind: catalog.KindSubmit, Case: "case-1", Condition: &c1, Optional: true},
			{Key: "don-1", Name: "Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1 Phụ lục số II", Form: &mau1, Kind: catalog.KindSubmit, Case: "case-1", Condition: &c1, Optional: true},
			{Key: "don-7", Name: "Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công trình theo Mẫu số 1 Phụ lục số II", Form: &mau1, Kind: catalog.KindSubmit, Case: "case-7", Condition: &c7, Optional: true},
			{Key: "ban-ve-7", Name: "Hồ sơ thiết kế xây dựng đối với nhà ở riêng lẻ", Kind: catalog.KindSubmit, Case: "case-7", Condition: &c7, Optional: true},
			{Key: "qd-7", Name: "Quyết định phê duyệt dự án", Kind: catalog.KindSubmit, Case: "case-7", Condition: &c7, Optional: true},
		},
	}
	doc := func(id, typ, text string) store.Document {
		var d store.Document
		d.ID, d.Filename, d.Type, d.Confidence, d.ExtractionStatus = id, id+".pdf", typ, 0.8, dossier.ExtractOK
		d.PageTexts = []string{text}
		return d
	}
	status := func(fs []dossier.Finding) map[string]dossier.Finding {
		out := map[string]dossier.Finding{}
		for _, f := range fs {
			out[f.Key] = f
		}
		return out
	}
	run := func(meta map[string]any, docs ...store.Document) map[string]dossier.Finding {
		t.Helper()
		fs, err := (&Stage{}).Findings(context.Background(), dossier.Dossier{ID: "d", ProcedureCode: "1.013225", Metadata: meta}, proc, docs, nil)
		if err != nil {
			t.Fatal(err)
		}
		return status(fs)
	}
	land := doc("gcn", "dat", "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT")
	stating := doc("don", "don-1", "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\n- Loại công trình: Nhà ở riêng lẻ   Cấp công trình: III\n")
	plain := doc("don", "don-1", "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\n")

	for name, got := range map[string]map[string]dossier.Finding{
		"stated by the form": run(nil, stating, land),
		"declared":           run(map[string]any{"cases": []any{"case-7"}}, plain, land),
		"declared by a row":  run(map[string]any{"cases": []any{"ban-ve-7"}}, plain, land),
	} {
		f := got["req:don-7"]
		if f.Status != dossier.FindingPresent || f.DocumentID != "don" || f.Details[mappedFrom] != "don-1" || !strings.Contains(f.Evidence, "(1.1)") || !strings.Contains(f.Evidence, "(1.7)") {
			t.Errorf("%s: the (1.7) form row: %+v", name, f)
		}
		if g := got["req:don-1"]; g.Status != dossier.FindingNotApplicable {
			t.Errorf("%s: the (1.1) form row: %s, want not applicable", name, g.Status)
		}
		if g := got["req:ban-ve-7"]; g.Status != dossier.FindingMissing {
			t.Errorf("%s: the drawings: %s, want missing", name, g.Status)
		}
		if _, ok := got["case_undetermined"]; ok {
			t.Errorf("%s: case_undetermined raised", name)
		}
	}
	if f := run(nil, stating, land)["req:don-7"]; f.Details["case"] != "case-7" || !strings.Contains(f.Details["case_evidence"].(string), "Nhà ở riêng lẻ") {
		t.Errorf("the form's own statement is not the evidence: %+v", f.Details)
	}

	// Undetermined: the form stays where the classifier put it.
	got := run(nil, plain, land)
	if got["req:don-1"].Status != dossier.FindingPresent || got["req:don-7"].Status == dossier.FindingPresent || got["case_undetermined"].Key == "" {
		t.Errorf("undetermined: don-1 %s, don-7 %s, case_undetermined %q", got["req:don-1"].Status, got["req:don-7"].Status, got["case_undetermined"].Key)
	}

	// A paper listed under both cases by the same name moves too.
	qd := doc("qd", "qd-1", "QUYẾT ĐỊNH PHÊ DUYỆT DỰ ÁN")
	if f := run(map[string]any{"cases": []any{"case-7"}}, plain, qd, land)["req:qd-7"]; f.Status != dossier.FindingPresent || f.DocumentID != "qd" {
		t.Errorf("same-name row: %+v", f)
	}

	// An official's type stands.
	official := plain
	official.TypeSource = dossier.SourceOfficial
	if out := caseDocuments(proc, []store.Document{official}, map[string]bool{"case-7": true}); out[0].Type != "don-1" {
		t.Errorf("an official's type was remapped to %s", out[0].Type)
	}
	// The input is not modified.
	in := []store.Document{plain}
	_ = caseDocuments(proc, in, map[string]bool{"case-7": true})
	if in[0].Type != "don-1" || in[0].Classification[mappedFrom] != nil {
		t.Errorf("caseDocuments modified its input: %+v", in[0])
	}

	// Two application forms of the chosen case equally close: no guess.
	mau2 := "Mẫu số 2"
	proc.Requirements = append(proc.Requirements, catalog.Requirement{Key: "don-7b", Name: "Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công trình theo Mẫu số 1 Phụ lục số II", Form: &mau1, Kind: catalog.KindSubmit, Case: "case-7", Condition: &c7, Optional: true})
	if out := caseDocuments(proc, []store.Document{plain}, map[string]bool{"case-7": true}); out[0].Type != "don-1" {
		t.Errorf("tie: remapped to %s", out[0].Type)
	}
	// A form of another number is another paper.
	proc.Requirements = proc.Requirements[:len(proc.Requirements)-1]
	proc.Requirements[3].Form = &mau2 // don-7
	if out := caseDocuments(proc, []store.Document{plain}, map[string]bool{"case-7": true}); out[0].Type != "don-1" {
		t.Errorf("another form number: remapped to %s", out[0].Type)
	}
}

// A procedure whose catalog entry lists no paper (its component field
// holds the end of the steps text) gives a dossier one needs_review
// finding, never a report with nothing to check: such a dossier must not
// look complete.
func TestNoPaperListNeedsReview(t *testing.T) {
	p, err := catalog.ParseNational([]byte(`{"ma_thu_tuc":"9.000001","ten_thu_tuc":"Giải quyết hưởng chế độ ốm đau","thanh_phan_ho_so":"); nộp hồ sơ cho cơ quan BHXH.\nBước 2. Cơ quan BHXH tiếp nhận hồ sơ và giải quyết theo quy định.\nBước 3. Nhận kết quả."}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Requirements) != 0 || !p.NeedsReview {
		t.Fatalf("steps text read as papers: %d requirements, needs review %v", len(p.Requirements), p.NeedsReview)
	}
	fs, err := (&Stage{}).Findings(context.Background(), dossier.Dossier{ID: "d1", ProcedureCode: p.Code}, &p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Key+"="+f.Status)
	}
	if len(fs) != 1 || fs[0].Key != "catalog" || fs[0].Status != dossier.FindingNeedsReview || !strings.Contains(fs[0].Evidence, "trình tự thực hiện") {
		t.Fatalf("findings %q: %+v", got, fs)
	}
}
