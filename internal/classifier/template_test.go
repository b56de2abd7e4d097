package classifier_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
)

// A paper whose title area was lost (cut off a scan, a second page
// uploaded alone) is still recognised by the labels of the form it was
// filled from, when that form's title names one of the procedure's
// requirements.
func TestTemplateBridgesALostTitle(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "data", "forms", "56_TK_DK_khai_tu.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var body []string
	for i, l := range lines {
		if i < 8 && !strings.Contains(l, ":") {
			continue // the motto and the title
		}
		body = append(body, l)
	}
	reqs := []catalog.Requirement{
		{Key: "giay-bao-tu", Name: "Giấy báo tử hoặc giấy tờ thay thế giấy báo tử"},
		{Key: "to-khai-dang-ky-khai-tu-theo-mau", Name: "Tờ khai đăng ký khai tử theo mẫu"},
		{Key: "ho-chieu-the-can-cuoc", Name: "Hộ chiếu/Thẻ căn cước công dân"},
	}
	r := classifier.Default().Classify(classifier.Input{Text: strings.Join(body, "\n")}, reqs, 0.55)
	if r.Requirement != "to-khai-dang-ky-khai-tu-theo-mau" || r.NeedsReview {
		t.Fatalf("→ %s (%.2f, review %v) %q", r.Requirement, r.Confidence, r.NeedsReview, r.Evidence)
	}
}
