package correction

import "testing"

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
