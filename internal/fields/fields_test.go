package fields_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/hoso-vn/hoso/evals/docgen"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/fields"
)

func labelled(t testing.TB) []fields.Example {
	t.Helper()
	wd, _ := os.Getwd()
	root, err := docgen.RepoRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := docgen.Default(root)
	if err != nil {
		t.Fatal(err)
	}
	var out []fields.Example
	for _, d := range docs {
		ex := fields.Example{ID: d.ID, DocType: d.DocType, Pages: d.Pages}
		for _, f := range d.Fields {
			ex.Want = append(ex.Want, dossier.Field{Name: f.Name, Subject: f.Subject, Value: f.Value, Normalized: f.Normalized})
		}
		out = append(out, ex)
	}
	return out
}

func TestEvaluateLabelledSet(t *testing.T) {
	t.Parallel()
	r := fields.Evaluate(labelled(t))
	b, _ := json.MarshalIndent(struct {
		Docs    int
		Overall fields.Score
		ByField map[string]fields.Score
		ByType  map[string]fields.Score
	}{r.Docs, r.Overall, r.ByField, r.ByType}, "", " ")
	t.Logf("%s", b)
	for i, e := range r.Errors {
		if i < 40 {
			t.Logf("%+v", e)
		}
	}
	var hw []fields.Example
	for _, e := range labelled(t) {
		if e.ID >= "d0479" { // the hand-written documents close the set
			hw = append(hw, e)
		}
	}
	h := fields.Evaluate(hw)
	t.Logf("hand-written subset: docs=%d %+v", h.Docs, h.Overall)
	if r.Overall.F1 < 0.9 {
		t.Errorf("field F1 %.3f, want ≥ 0.9", r.Overall.F1)
	}
}
