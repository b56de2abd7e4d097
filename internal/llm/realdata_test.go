package llm

import (
	"os"
	"path/filepath"
	"testing"
)

func sharedData(t *testing.T) string {
	t.Helper()
	for _, d := range []string{os.Getenv("HOSO_SHARED_DATA"), "../../../shared/data"} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	t.Skip("shared data absent (set HOSO_SHARED_DATA or clone ../shared/data)")
	return ""
}

// TestNoInjectionFlagsOnRealDocuments runs the detector over real, benign
// Vietnamese administrative forms and legal texts: a detector that flags
// ordinary documents would send every dossier to needs_review.
//
// It scans a few MB of law text (~10 s, minutes under -race), so -short
// skips it.
func TestNoInjectionFlagsOnRealDocuments(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("scans the shared legal corpus; run without -short")
	}
	dir := sharedData(t)
	var files []string
	for _, g := range []string{"form-templates-docfilling/text/*.txt", "legal-texts-rightly/laws/*.txt", "legal-texts-rightly/decrees/*.txt", "legal-texts-rightly/circulars/*.txt"} {
		m, _ := filepath.Glob(filepath.Join(dir, g))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no documents found")
	}
	flagged := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if d := DetectInjection(string(b)); d.Flagged {
			flagged++
			t.Errorf("%s flagged: %+v", filepath.Base(f), d.Matches)
		}
	}
	t.Logf("%d real documents, %d flagged", len(files), flagged)
}
