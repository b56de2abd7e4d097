package classifier_test

import (
	"testing"

	"github.com/hoso-vn/hoso/evals/docgen"
	"github.com/hoso-vn/hoso/internal/classifier"
)

// FuzzClassify: arbitrary text never panics and always yields a requirement
// of the procedure, "other" or "unknown", with a confidence in [0,1].
func FuzzClassify(f *testing.F) {
	f.Add("TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên: An")
	f.Add("\f\f\xff\xfe")
	reqs := docgen.Requirements(docgen.ProcKhaiSinh)
	keys := map[string]bool{"other": true, "unknown": true}
	for _, r := range reqs {
		keys[r.Key] = true
	}
	m := classifier.Default()
	f.Fuzz(func(t *testing.T, text string) {
		r := m.Classify(classifier.Input{Text: text}, reqs, 0.5)
		if !keys[r.Requirement] || r.Confidence < 0 || r.Confidence > 1 {
			t.Fatalf("result %+v", r)
		}
	})
}
