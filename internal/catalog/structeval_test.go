package catalog

import (
	"os"
	"path/filepath"
	"testing"
)

// nationalFile is the full national scrape, present on the project's
// machines (../shared/data) and absent in a bare checkout.
func nationalFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", "dvc-procedures-2026", "procedures.jsonl")
	if _, err := os.Stat(p); err != nil {
		t.Skip("no ../shared/data/dvc-procedures-2026/procedures.jsonl")
	}
	return p
}

func structGold(t *testing.T, split string) ([]StructGold, map[string]Procedure) {
	t.Helper()
	gold, err := LoadStructGold(filepath.Join("..", "..", "evals", "catalog", "gold", "labels.jsonl"), split)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, g := range gold {
		want[g.Code] = true
	}
	got, err := ParseNationalFile(nationalFile(t), want)
	if err != nil {
		t.Fatal(err)
	}
	return gold, got
}

// TestStructureDev prints the dev figures and their errors (go test -run
// TestStructureDev -v): the only split the parser is tuned on.
func TestStructureDev(t *testing.T) {
	gold, got := structGold(t, "dev")
	rep := EvaluateStructure(gold, got)
	t.Log("\n" + rep.String())
	if testing.Verbose() {
		for _, s := range [][]string{rep.Missing, rep.Spurious, rep.WrongCase, rep.WrongAlt} {
			for _, m := range s {
				t.Log(m)
			}
			t.Log("--")
		}
	}
}

// TestStructureTestSplit prints the test figures only, never the errors:
// the parser is not tuned on them.
func TestStructureTestSplit(t *testing.T) {
	gold, got := structGold(t, "test")
	t.Log("\n" + EvaluateStructure(gold, got).String())
}
