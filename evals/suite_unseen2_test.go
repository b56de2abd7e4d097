package evals

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// TestUnseen2Labels: every label of evals/unseen2 names a requirement of
// its procedure (by the evaluation's name matching, never the classifier),
// every document exists, and every procedure was drawn.
func TestUnseen2Labels(t *testing.T) {
	t.Parallel()
	root, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	shared := SharedDataDir(root, "")
	if shared == "" {
		t.Skip("shared/data is absent")
	}
	dir := filepath.Join(root, "evals", "unseen2")
	b, err := os.ReadFile(filepath.Join(dir, "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []unseen2Case
	if err := yaml.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	splits, err := unseen2Splits(filepath.Join(dir, "sample.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, c := range cases {
		want[c.Procedure] = true
	}
	procs, err := nationalProcedures(filepath.Join(shared, "dvc-procedures-2026", "procedures.jsonl"), want)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if _, ok := splits[c.Procedure]; !ok {
			t.Errorf("%s: procedure %s was not drawn", c.ID, c.Procedure)
		}
		if _, err := unseen2Text(dir, shared, c.Doc); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
		if c.Requirement == dossier.TypeOther || c.Requirement == labelNeedsReview {
			continue
		}
		for _, name := range append([]string{c.Requirement}, c.Also...) {
			keys := requirementByName(procs[c.Procedure].Requirements, name)
			if len(keys) == 0 {
				t.Errorf("%s: no requirement of %s is named %q", c.ID, c.Procedure, name)
			}
			if testing.Verbose() {
				t.Logf("%s %s → %v", c.ID, c.Procedure, keys)
			}
		}
	}
}
