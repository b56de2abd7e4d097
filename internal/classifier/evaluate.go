package classifier

import (
	"sort"

	"github.com/hoso-vn/hoso/internal/catalog"
)

// Example is one labelled document for Evaluate.
type Example struct {
	ID           string
	Input        Input
	DocType      string // gold type
	Requirement  string // gold requirement key, or "other"
	Requirements []catalog.Requirement
	TextLayer    bool // false when the text came from OCR
}

// PRF is precision, recall and F1 of one class.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Miss is one misclassified example.
type Miss struct {
	ID              string  `json:"id"`
	WantType        string  `json:"want_type"`
	GotType         string  `json:"got_type"`
	WantRequirement string  `json:"want_requirement"`
	GotRequirement  string  `json:"got_requirement"`
	Confidence      float64 `json:"confidence"`
}

// ClassReport is the evaluation of a model on labelled examples. Accuracy is
// the share of documents mapped onto the right requirement (or correctly to
// "other"), the figure a dossier officer sees; TypeAccuracy is the share of
// correct document types. ECE is over the requirement-level confidence.
type ClassReport struct {
	Model             string                    `json:"model"`
	N                 int                       `json:"n"`
	Accuracy          float64                   `json:"accuracy"`
	TypeAccuracy      float64                   `json:"type_accuracy"`
	TextLayerN        int                       `json:"text_layer_n"`
	TextLayerAccuracy float64                   `json:"text_layer_accuracy"`
	OCRN              int                       `json:"ocr_n"`
	OCRAccuracy       float64                   `json:"ocr_accuracy"`
	MacroF1           float64                   `json:"macro_f1"` // over document types
	ECE               float64                   `json:"ece"`
	PerClass          map[string]PRF            `json:"per_class"`
	Confusion         map[string]map[string]int `json:"confusion"` // gold type → predicted type → count
	Misses            []Miss                    `json:"misses,omitempty"`
	// Thresholds shows, for candidate needs_review thresholds, the share of
	// documents decided automatically and the accuracy among them.
	Thresholds []ThresholdPoint `json:"thresholds"`
}

// ThresholdPoint is the effect of one needs_review threshold.
type ThresholdPoint struct {
	Threshold float64 `json:"threshold"`
	Coverage  float64 `json:"coverage"` // share with confidence ≥ threshold
	Accuracy  float64 `json:"accuracy"` // among those
}

// Evaluate classifies every example with threshold 0 (so that every document
// gets a prediction) and reports accuracy, macro-F1, the confusion matrix,
// per-class precision/recall/F1 and the expected calibration error.
func Evaluate(m *Model, docs []Example) ClassReport {
	r := ClassReport{Model: m.Name(), N: len(docs), PerClass: map[string]PRF{}, Confusion: map[string]map[string]int{}}
	var conf []float64
	var ok []bool
	okN, typeN, tlOK, ocrOK := 0, 0, 0, 0
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	for _, d := range docs {
		res := m.Classify(d.Input, d.Requirements, 0)
		good := res.Requirement == d.Requirement
		conf = append(conf, res.Confidence)
		ok = append(ok, good)
		if good {
			okN++
		}
		if d.TextLayer {
			r.TextLayerN++
			if good {
				tlOK++
			}
		} else {
			r.OCRN++
			if good {
				ocrOK++
			}
		}
		if res.DocType == d.DocType {
			typeN++
			tp[d.DocType]++
		} else {
			fp[res.DocType]++
			fn[d.DocType]++
		}
		if r.Confusion[d.DocType] == nil {
			r.Confusion[d.DocType] = map[string]int{}
		}
		r.Confusion[d.DocType][res.DocType]++
		if !good || res.DocType != d.DocType {
			r.Misses = append(r.Misses, Miss{ID: d.ID, WantType: d.DocType, GotType: res.DocType, WantRequirement: d.Requirement, GotRequirement: res.Requirement, Confidence: res.Confidence})
		}
	}
	if r.N > 0 {
		r.Accuracy = float64(okN) / float64(r.N)
		r.TypeAccuracy = float64(typeN) / float64(r.N)
	}
	if r.TextLayerN > 0 {
		r.TextLayerAccuracy = float64(tlOK) / float64(r.TextLayerN)
	}
	if r.OCRN > 0 {
		r.OCRAccuracy = float64(ocrOK) / float64(r.OCRN)
	}
	classes := map[string]bool{}
	for k := range r.Confusion {
		classes[k] = true
	}
	names := make([]string, 0, len(classes))
	for k := range classes {
		names = append(names, k)
	}
	sort.Strings(names)
	var f1s float64
	for _, c := range names {
		p := prf(tp[c], fp[c], fn[c])
		r.PerClass[c] = p
		f1s += p.F1
	}
	if len(names) > 0 {
		r.MacroF1 = f1s / float64(len(names))
	}
	r.ECE = ECE(conf, ok, 10)
	for _, t := range []float64{0.5, 0.7, 0.8, 0.9} {
		n, good := 0, 0
		for i, c := range conf {
			if c >= t {
				n++
				if ok[i] {
					good++
				}
			}
		}
		p := ThresholdPoint{Threshold: t}
		if len(conf) > 0 {
			p.Coverage = float64(n) / float64(len(conf))
		}
		if n > 0 {
			p.Accuracy = float64(good) / float64(n)
		}
		r.Thresholds = append(r.Thresholds, p)
	}
	return r
}

func prf(tp, fp, fn int) PRF {
	p := PRF{Support: tp + fn}
	if tp+fp > 0 {
		p.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		p.Recall = float64(tp) / float64(tp+fn)
	}
	if p.Precision+p.Recall > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
	return p
}
