package fields_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/fields"
)

// Forms of procedures without field rules are checked against their own
// labels: the blank template needs review, the same form filled in is ok.
func TestCheckFormLabels(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "data", "forms", "56_TK_DK_khai_tu.txt"))
	if err != nil {
		t.Fatal(err)
	}
	blank := string(b)
	c := fields.Check("", []string{blank}, nil)
	if c.Status != dossier.ContentNeedsReview || len(c.ExpectedFields) < 3 || len(c.FoundFields) != 0 {
		t.Fatalf("blank form: %+v", c)
	}
	filled := strings.Replace(blank, "Họ, chữ đệm, tên người yêu cầu:", "Họ, chữ đệm, tên người yêu cầu: TRẦN VĂN BÌNH", 1)
	if c := fields.Check("", []string{filled}, nil); c.Status != dossier.ContentOK || len(c.FoundFields) == 0 {
		t.Fatalf("filled form: %+v", c)
	}
	if c := fields.Check("", []string{"Ảnh chân dung 4x6"}, nil); c.Status != dossier.ContentNeedsReview {
		t.Fatalf("short text: %+v", c)
	}
}
