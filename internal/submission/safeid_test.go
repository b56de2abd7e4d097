package submission

import (
	"regexp"
	"strings"
	"testing"
)

// TestSafeIDMatchesItsPattern: safeID accepts exactly what the pattern it
// replaces matched.
func TestSafeIDMatchesItsPattern(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^[\p{L}\p{N}._:@-]{1,128}$`)
	cases := []string{"", "a", "ubnd-phuong-ba-dinh", "key_1.2:3@x", "Hà-Nội", "١٢٣", "Ⅻ", "½",
		"a b", "a/b", "a\n", "\na", "a\x00", "\xff", "a\xc3", "\ufffd", "x+y", "😀",
		strings.Repeat("a", 128), strings.Repeat("a", 129), strings.Repeat("ệ", 128), strings.Repeat("ệ", 129)}
	for _, s := range cases {
		if got, want := safeID(s), re.MatchString(s); got != want {
			t.Errorf("safeID(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}

func FuzzSafeID(f *testing.F) {
	re := regexp.MustCompile(`^[\p{L}\p{N}._:@-]{1,128}$`)
	f.Add("ubnd-phuong-ba-dinh")
	f.Add("a\xc3")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := safeID(s), re.MatchString(s); got != want {
			t.Errorf("safeID(%q) = %v, the pattern says %v", s, got, want)
		}
	})
}
