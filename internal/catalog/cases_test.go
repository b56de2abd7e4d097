package catalog

import (
	"strings"
	"testing"
)

func TestMatchCase(t *testing.T) {
	t.Parallel()
	cases := []string{"(1.1) Đối với công trình không theo tuyến", "(1.7) Đối với công trình nhà ở riêng lẻ", "a) Trường hợp ủy quyền", "trẻ em bị bỏ rơi"}
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"1.7", cases[1], true},
		{"(1.7)", cases[1], true},
		{"(1.7) đối với công trình NHÀ Ở RIÊNG LẺ", cases[1], true},
		{"a", cases[2], true},
		{"tre em bi bo roi", cases[3], true},
		{"1.9", "", false},
		{"1", "", false}, // not a label of one case
		{"", "", false},
	} {
		got, ok := MatchCase(cases, tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("MatchCase(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestResolveCase(t *testing.T) {
	t.Parallel()
	p := &Procedure{Code: "1.013225",
		Cases: []Case{{Key: "case-1", Name: "(1.1) Đối với công trình không theo tuyến", Requirements: []string{"don"}},
			{Key: "case-7", Name: "(1.7) Đối với công trình nhà ở riêng lẻ", Requirements: []string{"ban-ve"}}},
		Requirements: []Requirement{{Key: "don", Case: "case-1"}, {Key: "ban-ve", Case: "case-7"}, {Key: "uy-quyen"}}}
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"case-7", "case-7", true},
		{"1.7", "case-7", true},
		{"(1.7)", "case-7", true},
		{"(1.7) đối với công trình nhà ở riêng lẻ", "case-7", true},
		{"ban-ve", "ban-ve", true},
		{"uy-quyen", "uy-quyen", true},
		{"1.9", "", false},
		{"case-9", "", false},
		{" ", "", false},
	} {
		got, ok := p.ResolveCase(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ResolveCase(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if m := p.UnknownCaseMessage("1.9"); !strings.Contains(m, "case-7 (1.7) Đối với công trình nhà ở riêng lẻ") || !strings.Contains(m, "unknown case") {
		t.Errorf("message %q lacks the cases' human names", m)
	}
	if p.CaseName("case-7") != "(1.7) Đối với công trình nhà ở riêng lẻ" || p.CaseName("x") != "" {
		t.Error("CaseName")
	}
}
