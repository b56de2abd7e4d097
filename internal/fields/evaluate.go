package fields

import (
	"sort"
	"strings"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Evaluated lists the field names Evaluate scores; others (business name,
// construction address) are extracted but have no gold labels everywhere.
var Evaluated = []string{FullName, DateOfBirth, YearOfBirth, IDNumber, Address, IssueDate, ExpiryDate}

// Example is one labelled document for Evaluate.
type Example struct {
	ID      string
	DocType string
	Pages   []string
	Want    []dossier.Field // Name, Subject and Normalized are compared
}

// Score is precision, recall and F1 over field values.
type Score struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func (s *Score) finish() {
	if s.TP+s.FP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
}

// FieldError is one disagreement with the labels.
type FieldError struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"` // missed | spurious
	Field string `json:"field"`
}

// FieldReport is the field-level evaluation. A predicted field counts as
// right when its name, subject and normalised value equal a gold field's
// (values compared after collapsing spaces and trimming punctuation).
type FieldReport struct {
	Docs    int              `json:"docs"`
	Overall Score            `json:"overall"`
	ByField map[string]Score `json:"by_field"`
	ByType  map[string]Score `json:"by_type"`
	Errors  []FieldError     `json:"errors,omitempty"`
}

// Evaluate extracts fields from every example of a supported type and scores
// them against the labels.
func Evaluate(docs []Example) FieldReport {
	r := FieldReport{ByField: map[string]Score{}, ByType: map[string]Score{}}
	evaluated := map[string]bool{}
	for _, n := range Evaluated {
		evaluated[n] = true
	}
	for _, d := range docs {
		if rules[d.DocType] == nil {
			continue
		}
		r.Docs++
		want := map[string]int{}
		for _, f := range d.Want {
			if evaluated[f.Name] {
				want[key(f)]++
			}
		}
		got := map[string]int{}
		for _, f := range Extract(d.DocType, d.Pages) {
			if evaluated[f.Name] {
				got[key(f)]++
			}
		}
		bump := func(k string, tp, fp, fn int) {
			name := k[:strings.IndexByte(k, '|')]
			for _, pair := range []struct {
				m map[string]Score
				k string
			}{{r.ByField, name}, {r.ByType, d.DocType}} {
				s := pair.m[pair.k]
				s.TP, s.FP, s.FN = s.TP+tp, s.FP+fp, s.FN+fn
				pair.m[pair.k] = s
			}
			r.Overall.TP, r.Overall.FP, r.Overall.FN = r.Overall.TP+tp, r.Overall.FP+fp, r.Overall.FN+fn
		}
		keys := make([]string, 0, len(want)+len(got))
		for k := range want {
			keys = append(keys, k)
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			w, g := want[k], got[k]
			tp := min(w, g)
			bump(k, tp, g-tp, w-tp)
			if w > g {
				r.Errors = append(r.Errors, FieldError{ID: d.ID, Kind: "missed", Field: k})
			}
			if g > w {
				r.Errors = append(r.Errors, FieldError{ID: d.ID, Kind: "spurious", Field: k})
			}
		}
	}
	r.Overall.finish()
	for k, s := range r.ByField {
		s.finish()
		r.ByField[k] = s
	}
	for k, s := range r.ByType {
		s.finish()
		r.ByType[k] = s
	}
	return r
}

func key(f dossier.Field) string {
	v := vntext.CollapseSpace(strings.Trim(f.Normalized, " .,;:"))
	return f.Name + "|" + f.Subject + "|" + v
}
