package catalog

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestFromReading: a model's reading replaces the rule parse's structure;
// papers the rules also found keep their keys, copies and forms; a paper
// every case lists is common; options become groups of the right kind.
func TestFromReading(t *testing.T) {
	t.Parallel()
	base := parseText(t, "--"+tableHeader+"Trường hợp giấy phép hết hạn, hồ sơ gồm:"+tableHeader+
		"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02Mau02.docx1 bản chính"+
		"Văn bản đề nghị kèm theo danh sách nhân viên1 bản chính,1 bản sao"+
		"Trường hợp giấy phép bị mất, hồ sơ gồm:"+tableHeader+
		"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02Mau02.docx1 bản chính"+
		"Hộ chiếu hoặc thẻ căn cước1 bản chính")
	form := base.Requirements[0]
	reading := StructGold{Code: base.Code, Cases: []StructGoldCase{
		{Case: "Trường hợp giấy phép hết hạn", Requirements: []StructGoldPaper{
			{Name: "Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02", Kind: KindSubmit},
			{Name: "Văn bản đề nghị", Kind: KindSubmit},
			{Name: "Danh sách nhân viên", Kind: KindSubmit}}},
		{Case: "Trường hợp giấy phép bị mất", Requirements: []StructGoldPaper{
			{Name: "Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02", Kind: KindSubmit},
			{Name: "Hộ chiếu", Kind: KindPresent, Alternatives: []string{"Thẻ căn cước"}},
			{Name: "Một trong các giấy tờ chứng minh việc mất", Alternatives: []string{"Đơn trình báo mất", "Xác nhận của công an"}}}},
	}}
	p := FromReading(base, reading)
	if len(p.Cases) != 2 || len(p.Requirements) != 5 { // the form both cases list is one
		t.Fatalf("cases %d requirements %d: %+v", len(p.Cases), len(p.Requirements), p.Requirements)
	}
	byName := map[string]Requirement{}
	keys := map[string]bool{}
	for _, r := range p.Requirements {
		byName[r.Name] = r
		if keys[r.Key] {
			t.Errorf("key %s twice", r.Key)
		}
		keys[r.Key] = true
		if r.Method != MethodLLM {
			t.Errorf("%s: method %q", r.Name, r.Method)
		}
	}
	tk := byName["Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02"]
	if tk.Key != form.Key || tk.Case != "" || tk.Optional || tk.Form == nil || len(tk.FormFiles) == 0 {
		t.Errorf("the form both cases list: %+v (rule key %s)", tk, form.Key)
	}
	if ds := byName["Danh sách nhân viên"]; ds.Case != p.Cases[0].Key || !ds.Optional || ds.Key == "" {
		t.Errorf("a paper of case 1: %+v", ds)
	}
	if hc := byName["Hộ chiếu"]; hc.Kind != KindPresent || hc.Case != p.Cases[1].Key {
		t.Errorf("the passport: %+v", hc)
	}
	kinds := map[string]string{}
	for _, g := range p.Groups {
		kinds[g.Requirement] = g.Kind
		if len(g.OptionKeys) != 0 {
			t.Errorf("group %s names option rows %v", g.Requirement, g.OptionKeys)
		}
	}
	if kinds[byName["Hộ chiếu"].Key] != GroupOr || kinds[byName["Một trong các giấy tờ chứng minh việc mất"].Key] != GroupOneOf {
		t.Errorf("group kinds %v", kinds)
	}
	// An empty reading changes nothing.
	if q := FromReading(base, StructGold{}); len(q.Requirements) != len(base.Requirements) || q.Requirements[0].Method != MethodRule {
		t.Errorf("an empty reading replaced the parse")
	}
}

type failingReader struct{ fail string }

func (f failingReader) ReadStructure(_ context.Context, p Procedure) (StructGold, error) {
	if p.Code == f.fail {
		return StructGold{}, errors.New("the model timed out")
	}
	return StructGold{Code: p.Code, Cases: []StructGoldCase{{Requirements: []StructGoldPaper{{Name: "Đơn đề nghị"}}}}}, nil
}

// TestReadAllKeepsRulesOnFailure: a procedure the reader fails on keeps its
// rule parse and is reported with the reason.
func TestReadAllKeepsRulesOnFailure(t *testing.T) {
	t.Parallel()
	a := parseText(t, "--"+tableHeader+"Tờ khai đăng ký1 bản chính")
	a.Code = "1.1"
	b := a
	b.Code = "1.2"
	out, failed := ReadAll(context.Background(), failingReader{fail: "1.2"}, map[string]Procedure{"1.1": a, "1.2": b}, []string{"1.1", "1.2", "9.9"})
	if out["1.1"].Requirements[0].Name != "Đơn đề nghị" || out["1.2"].Requirements[0].Name != a.Requirements[0].Name {
		t.Errorf("read %q, kept %q", out["1.1"].Requirements[0].Name, out["1.2"].Requirements[0].Name)
	}
	if len(failed) != 1 || !strings.Contains(failed["1.2"], "timed out") {
		t.Errorf("failed %v", failed)
	}
}

// TestOverrideKeepsCases: an override that edits a procedure with cases
// recomputes its cases: a paper added with `case` (a key or a heading) goes
// to that case, kept papers stay in theirs, one every case lists stays in
// each, removed keys leave no trace and a group keeps its kind.
func TestOverrideKeepsCases(t *testing.T) {
	t.Parallel()
	base := parseText(t, "--"+tableHeader+"Trường hợp giấy phép hết hạn, hồ sơ gồm:"+tableHeader+
		"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 021 bản chính"+
		"Giấy chứng nhận sức khỏe1 bản chính"+
		"Trường hợp giấy phép bị mất, hồ sơ gồm:"+tableHeader+
		"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 021 bản chính"+
		"Một trong các giấy tờ sau: Đơn trình báo mất; Xác nhận của công an1 bản chính")
	if len(base.Cases) != 2 {
		t.Fatalf("base cases %+v", base.Cases)
	}
	health := ""
	for _, r := range base.Requirements {
		if strings.HasPrefix(r.Name, "Giấy chứng nhận sức khỏe") {
			health = r.Key
		}
	}
	o, err := ParseOverride([]byte(`code: "9.1"
effective_from: "2026-01-01"
reason: thêm giấy tờ theo trường hợp
remove_requirements: [` + health + `]
add_requirements:
  - name: Bản sao giấy phép đã cấp
    case: case-2
  - name: Văn bản giải trình lý do chậm gia hạn
    case: Trường hợp giấy phép hết hạn
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.apply(&base)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Cases) != 2 {
		t.Fatalf("cases %+v", p.Cases)
	}
	in := func(c Case, name string) bool {
		for _, k := range c.Requirements {
			for _, r := range p.Requirements {
				if r.Key == k && strings.HasPrefix(r.Name, name) {
					return true
				}
			}
		}
		return false
	}
	for _, c := range p.Cases {
		if !in(c, "Tờ khai đề nghị cấp lại") {
			t.Errorf("%s lost the form every case lists: %v", c.Name, c.Requirements)
		}
		for _, k := range c.Requirements {
			if k == health {
				t.Errorf("%s still names the removed %s", c.Name, k)
			}
		}
	}
	if !in(p.Cases[1], "Bản sao giấy phép đã cấp") || !in(p.Cases[0], "Văn bản giải trình") || in(p.Cases[0], "Bản sao giấy phép") {
		t.Errorf("added papers in the wrong case: %+v", p.Cases)
	}
	if len(p.Groups) != 1 || p.Groups[0].Kind != GroupOneOf {
		t.Errorf("groups %+v", p.Groups)
	}
	if _, err := ParseOverride([]byte("code: \"9.1\"\neffective_from: \"2026-01-01\"\nadd_requirements:\n  - name: X y z\n    case: 3\n    cases: []\n")); err == nil {
		t.Error("an unknown field was accepted")
	}
}

// TestReadingKeepsAddOnsOutOfCases: a paper a reading puts in the unnamed
// case beside named ones is added on top of any case (rule 1), so no case
// lists it, while the rule parser's shared form is listed by each case.
func TestReadingKeepsAddOnsOutOfCases(t *testing.T) {
	t.Parallel()
	base := parseText(t, "--"+tableHeader+"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02Mau02.docx1 bản chính"+
		"Trường hợp giấy phép hết hạn, hồ sơ gồm:"+tableHeader+"Văn bản đề nghị gia hạn1 bản chính"+
		"Trường hợp giấy phép bị mất, hồ sơ gồm:"+tableHeader+"Đơn trình báo mất giấy phép1 bản chính")
	if len(base.Cases) != 2 {
		t.Fatalf("rules: cases %+v", base.Cases)
	}
	for _, c := range base.Cases {
		if len(c.Requirements) != 2 {
			t.Errorf("rules: case %q lists %v, want its paper and the shared form", c.Name, c.Requirements)
		}
	}
	p := FromReading(base, StructGold{Code: base.Code, Cases: []StructGoldCase{
		{Case: "", Requirements: []StructGoldPaper{{Name: "Văn bản ủy quyền", Kind: KindSubmit}}},
		{Case: "Trường hợp giấy phép hết hạn", Requirements: []StructGoldPaper{{Name: "Văn bản đề nghị gia hạn", Kind: KindSubmit}}},
		{Case: "Trường hợp giấy phép bị mất", Requirements: []StructGoldPaper{{Name: "Đơn trình báo mất giấy phép", Kind: KindSubmit}}},
	}})
	var addOn string
	for _, r := range p.Requirements {
		if r.Name == "Văn bản ủy quyền" {
			addOn = r.Key
		}
	}
	for _, c := range p.Cases {
		if addOn == "" || slices.Contains(c.Requirements, addOn) {
			t.Errorf("reading: case %q lists %v; the add-on %q must be in none", c.Name, c.Requirements, addOn)
		}
	}
}
