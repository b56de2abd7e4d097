package fields

import "testing"

// TestFoldTableAgreesWithFoldRune: the table foldWithOffsets reads holds
// what foldRune answers, rune by rune, and runes past it still fold.
func TestFoldTableAgreesWithFoldRune(t *testing.T) {
	table := foldTable()
	for r := range table {
		if got, want := table[r], foldRune(rune(r)); got != want {
			t.Fatalf("table[%U] = %q, foldRune = %q", r, got, want)
		}
	}
	tests := []struct{ in, want string }{
		{"Đăng ký KHAI SINH", "dang ky khai sinh"},
		{"Nguyễn Thị Ánh", "nguyen thi anh"},
		{"ＡＢＣ", "ａｂｃ"}, // past the table: foldRune itself
	}
	for _, tt := range tests {
		got, offs := foldWithOffsets(tt.in)
		if got != tt.want || len(offs) != len(got)+1 {
			t.Errorf("foldWithOffsets(%q) = %q (%d offsets), want %q", tt.in, got, len(offs), tt.want)
		}
	}
}
