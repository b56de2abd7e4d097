package dossier

import "testing"

func TestCitationRef(t *testing.T) {
	t.Parallel()
	one, a := 1, "a"
	for _, tc := range []struct {
		c    Citation
		want string
	}{
		{Citation{Document: "60/2014/QH13", Article: 16}, "Điều 16 60/2014/QH13"},
		{Citation{Document: "60/2014/QH13", Article: 16, Clause: &one}, "khoản 1 Điều 16 60/2014/QH13"},
		{Citation{Document: "123/2015/NĐ-CP", Article: 2, Clause: &one, Point: &a}, "điểm a khoản 1 Điều 2 123/2015/NĐ-CP"},
		// The procedure's catalog entry has no article: never "Điều 0".
		{Citation{Document: "TTHC 1.001193", Source: "catalog"}, "TTHC 1.001193"},
	} {
		if got := tc.c.Ref(); got != tc.want {
			t.Errorf("Ref() = %q, want %q", got, tc.want)
		}
	}
}
