package classifier_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/hoso-vn/hoso/evals/docgen"
	"github.com/hoso-vn/hoso/internal/classifier"
)

var update = flag.Bool("update", false, "retrain and rewrite model.json")

var (
	setOnce sync.Once
	setDocs []docgen.Doc
	setErr  error
	root    string
)

// labelled returns the generated labelled set (the same documents as the
// committed evals/documents).
func labelled(t testing.TB) []docgen.Doc {
	t.Helper()
	setOnce.Do(func() {
		wd, _ := os.Getwd()
		root, setErr = docgen.RepoRoot(wd)
		if setErr == nil {
			setDocs, setErr = docgen.Default(root)
		}
	})
	if setErr != nil {
		t.Fatal(setErr)
	}
	return setDocs
}

// trainingCorpus builds what the model learns from: the 65 real blank
// templates of data/forms, the requirement names of the covered procedures,
// and the train split of the labelled set; the calib split fits the
// temperature. The test split is never seen.
func trainingCorpus(t testing.TB) (train, calib []classifier.TrainDoc) {
	docs := labelled(t)
	tpls, err := docgen.LoadTemplates(filepath.Join(root, "data", "forms"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range tpls {
		train = append(train, classifier.TrainDoc{Text: tp.Text, Type: tp.DocType})
	}
	for _, code := range docgen.ProcedureCodes {
		for _, r := range docgen.Requirements(code) {
			var types []string
			for _, ty := range docgen.Types() {
				if docgen.RequirementFor(code, ty) == r.Key {
					types = append(types, ty)
				}
			}
			sort.Strings(types)
			if len(types) == 0 {
				continue
			}
			text := r.Name
			if r.Form != nil {
				text += "\n" + *r.Form
			}
			train = append(train, classifier.TrainDoc{Text: text, Type: types[0]})
		}
	}
	for _, d := range docs {
		switch d.Split {
		case "train":
			train = append(train, classifier.TrainDoc{Text: d.Text(), Type: d.DocType})
		case "calib":
			calib = append(calib, classifier.TrainDoc{Text: d.Text(), Type: d.DocType})
		}
	}
	return train, calib
}

func trainModel(t testing.TB) *classifier.Model {
	train, calib := trainingCorpus(t)
	m := classifier.Train(train, classifier.TrainOptions{})
	m.FitTemperature(calib)
	return m
}

func examples(docs []docgen.Doc, split string) []classifier.Example {
	var out []classifier.Example
	for _, d := range docs {
		if split != "" && d.Split != split {
			continue
		}
		out = append(out, classifier.Example{ID: d.ID, Input: classifier.Input{Filename: d.Filename, Text: d.Text()},
			DocType: d.DocType, Requirement: d.Requirement, Requirements: docgen.Requirements(d.Procedure), TextLayer: d.TextLayer})
	}
	return out
}

// TestEmbeddedModel retrains the model from its sources and checks that the
// embedded model.json predicts the same on every labelled document. With
// -update it rewrites model.json (go generate ./internal/classifier).
func TestEmbeddedModel(t *testing.T) {
	if testing.Short() && !*update {
		t.Skip("retraining takes seconds; skipped in -short")
	}
	t.Parallel()
	m := trainModel(t)
	if *update {
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("model.json", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote model.json: %d bytes, %s, info %+v", buf.Len(), m.Name(), m.Info())
		return
	}
	d := classifier.Default()
	if d.Name() != m.Name() {
		t.Logf("embedded %s, retrained %s", d.Name(), m.Name())
	}
	for _, ex := range examples(labelled(t), "") {
		a := d.Classify(ex.Input, ex.Requirements, 0)
		b := m.Classify(ex.Input, ex.Requirements, 0)
		if a.DocType != b.DocType || a.Requirement != b.Requirement {
			t.Fatalf("%s: embedded model says %s/%s, retrained %s/%s: run go generate ./internal/classifier", ex.ID, a.DocType, a.Requirement, b.DocType, b.Requirement)
		}
	}
}
