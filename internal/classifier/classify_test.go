package classifier_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/classifier"
)

// TestHeldOutAccuracy evaluates the embedded model on the test split of the
// labelled set, which training never saw.
func TestHeldOutAccuracy(t *testing.T) {
	t.Parallel()
	m := classifier.Default()
	ex := examples(labelled(t), "test")
	r := classifier.Evaluate(m, ex)
	b, _ := json.MarshalIndent(struct {
		N, TextLayerN, OCRN                                  int
		Accuracy, TypeAccuracy, TextLayer, OCR, MacroF1, ECE float64
	}{r.N, r.TextLayerN, r.OCRN, r.Accuracy, r.TypeAccuracy, r.TextLayerAccuracy, r.OCRAccuracy, r.MacroF1, r.ECE}, "", " ")
	t.Logf("held-out report: %s", b)
	t.Logf("thresholds: %+v", r.Thresholds)
	var hw []classifier.Example
	for _, e := range ex {
		if strings.HasPrefix(e.Input.Filename, "hw-") {
			hw = append(hw, e)
		}
	}
	h := classifier.Evaluate(m, hw)
	t.Logf("hand-written subset: n=%d accuracy=%.3f thresholds=%+v", h.N, h.Accuracy, h.Thresholds)
	for _, m := range r.Misses {
		t.Logf("miss %+v", m)
	}
	if r.N < 200 {
		t.Errorf("held-out set has %d documents, want ≥ 200", r.N)
	}
	if r.TextLayerAccuracy < 0.95 {
		t.Errorf("text-layer accuracy %.3f, want ≥ 0.95", r.TextLayerAccuracy)
	}
	if r.ECE > 0.08 {
		t.Errorf("ECE %.3f, want ≤ 0.08", r.ECE)
	}
}
