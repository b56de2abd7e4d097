package docgen

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/vntext"
)

var update = flag.Bool("update", false, "rewrite evals/documents from the generator")

func root(t *testing.T) string {
	t.Helper()
	wd, _ := os.Getwd()
	r, err := RepoRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestWriteSet keeps the committed set in evals/documents equal to what the
// generator produces; run with -update after changing the generator.
func TestWriteSet(t *testing.T) {
	t.Parallel()
	r := root(t)
	docs, err := Default(r)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(r, "evals", "documents")
	if *update {
		if err := Write(dir, docs); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(docs) {
		t.Fatalf("committed set has %d documents, generator %d: run go test ./evals/docgen -run TestWriteSet -update", len(got), len(docs))
	}
	for i := range docs {
		if !reflect.DeepEqual(got[i], docs[i]) {
			t.Fatalf("document %s differs from the generator: run go test ./evals/docgen -run TestWriteSet -update", docs[i].ID)
		}
	}
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	r := root(t)
	a, err := Default(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Default(r)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate is not deterministic")
	}
	if len(a) < 200 {
		t.Fatalf("%d documents, want at least 200", len(a))
	}
	splits := map[string]int{}
	for _, d := range a {
		splits[d.Split]++
		for _, p := range d.Pages {
			if p != vntext.NFC(p) {
				t.Fatalf("%s: text is not NFC", d.ID)
			}
		}
		for _, f := range d.Fields {
			if !strings.Contains(d.Text(), f.Value) {
				t.Fatalf("%s: gold value %q not in text", d.ID, f.Value)
			}
		}
		if d.Requirement != "other" && !hasKey(d.Procedure, d.Requirement) {
			t.Fatalf("%s: requirement %q not in procedure %s", d.ID, d.Requirement, d.Procedure)
		}
	}
	if splits["test"] < 200 {
		t.Errorf("test split has %d documents, want at least 200 (%v)", splits["test"], splits)
	}
}

func hasKey(proc, key string) bool {
	for _, r := range Requirements(proc) {
		if r.Key == key {
			return true
		}
	}
	return false
}

func TestCardExpiry(t *testing.T) {
	t.Parallel()
	d := func(y, m, day int) string { return dateOf(y, m, day).Format("2006-01-02") }
	dob := dateOf(1990, 5, 10)
	cases := []struct {
		issue, want string
	}{
		{d(2010, 1, 1), "2015-05-10"}, // before 23: until 25
		{d(2014, 1, 1), "2030-05-10"}, // within 2 years of 25: until 40
		{d(2021, 3, 1), "2030-05-10"}, // until 40
		{d(2029, 1, 1), "2050-05-10"}, // within 2 years of 40: until 60
		{d(2049, 1, 1), "0001-01-01"}, // within 2 years of 60: no expiry
	}
	for _, c := range cases {
		iss, _ := parseISO(c.issue)
		if got := CardExpiry(dob, iss).Format("2006-01-02"); got != c.want {
			t.Errorf("CardExpiry(1990-05-10, %s) = %s, want %s", c.issue, got, c.want)
		}
	}
}
