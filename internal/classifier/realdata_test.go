package classifier_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hoso-vn/hoso/evals/docgen"
	"github.com/hoso-vn/hoso/internal/classifier"
)

// sharedData finds shared/data (HOSO_SHARED_DATA or ../shared/data beside
// the repository), or skips.
func sharedData(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("HOSO_SHARED_DATA"); d != "" {
		return d
	}
	labelled(t) // sets root
	d := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(d); err != nil {
		t.Skip("shared data absent: set HOSO_SHARED_DATA or place it at ../shared/data")
	}
	return d
}

// Real laws are not dossier components: a citizen who uploads the text of
// Luật Cư trú to a residence dossier must not see it accepted as a form.
// These texts were never used in training.
func TestRealLawsAreNotRequirements(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(sharedData(t), "laws-underthesea-vlc")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		t.Skip("no law texts in " + dir)
	}
	m := classifier.Default()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range docgen.ProcedureCodes {
			r := m.Classify(classifier.Input{Filename: filepath.Base(f), Text: string(b)}, docgen.Requirements(code), 0.7)
			if r.Requirement != "other" && r.Requirement != "unknown" {
				t.Errorf("%s in %s → %s (%s, %.2f)", filepath.Base(f), code, r.Requirement, r.DocType, r.Confidence)
			}
		}
	}
}
