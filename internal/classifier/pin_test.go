package classifier_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/evals/docgen"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/pdftext"
)

var (
	updatePins = flag.Bool("update-pins", false, "rewrite testdata/pins.txt from this tree's Classify")
	dumpPins   = flag.String("dump-pins", "", "write every pinned case's Result as JSON lines to this file (to diff two trees)")
)

// pinCase is one document classified against one requirement list.
type pinCase struct {
	group string
	id    string
	in    classifier.Input
	reqs  []catalog.Requirement
}

// pinCases are the documents whose classification TestClassifyPinned pins:
// the train and calib splits of the labelled set, each against every covered
// procedure; the sample dossiers' PDFs (text layer) against every covered
// procedure; the blank forms of data/forms, whole and with their title area
// cut off, against every covered procedure and against a spread of the
// national catalog's procedures (shared data, when present), which takes
// the title, form code, form number and template paths.
func pinCases(t testing.TB) []pinCase {
	var out []pinCase
	for _, d := range labelled(t) {
		if d.Split != "train" && d.Split != "calib" {
			continue // the test split is never read here
		}
		for _, code := range docgen.ProcedureCodes {
			out = append(out, pinCase{"labelled/" + code, d.ID, classifier.Input{Filename: d.Filename, Text: d.Text()}, docgen.Requirements(code)})
		}
	}
	pdfs, _ := filepath.Glob(filepath.Join(root, "data", "dossiers", "*.pdf"))
	sort.Strings(pdfs)
	for _, f := range pdfs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := pdftext.Extract(b, pdftext.Limits{})
		if err != nil {
			continue // the deliberately corrupt sample
		}
		for _, code := range docgen.ProcedureCodes {
			out = append(out, pinCase{"samples/" + code, filepath.Base(f), classifier.Input{Filename: filepath.Base(f), Text: doc.Text()}, docgen.Requirements(code)})
		}
	}
	tpls, err := docgen.LoadTemplates(filepath.Join(root, "data", "forms"))
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string][]catalog.Requirement{}
	var codes []string
	for _, code := range docgen.ProcedureCodes {
		lists[code] = docgen.Requirements(code)
		codes = append(codes, code)
	}
	national := filepath.Join(root, "..", "shared", "data", "dvc-procedures-2026", "procedures.jsonl")
	if d := os.Getenv("HOSO_SHARED_DATA"); d != "" {
		national = filepath.Join(d, "dvc-procedures-2026", "procedures.jsonl")
	}
	if f, err := os.Open(national); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
		for n := 0; sc.Scan(); n++ {
			if n%66 != 0 {
				continue // 40 of the 2,642
			}
			p, err := catalog.ParseNational(sc.Bytes())
			if err != nil || len(p.Requirements) == 0 {
				continue
			}
			lists["national/"+p.Code] = p.Requirements
			codes = append(codes, "national/"+p.Code)
		}
		f.Close()
	}
	// Lists whose requirements are named by the forms' own titles (eight
	// forms a list), so that title matching decides many cases.
	for i := 0; i < len(tpls); i += 8 {
		code := fmt.Sprintf("titles/%02d", i/8)
		for _, tp := range tpls[i:min(i+8, len(tpls))] {
			lists[code] = append(lists[code], catalog.Requirement{Key: tp.File, Name: "Bản sao " + classifier.TitleLine(tp.Text)})
		}
		codes = append(codes, code)
	}
	for _, code := range codes {
		g := "forms/" + code
		if !strings.Contains(code, "/") {
			g = "forms/covered/" + code
		}
		for _, tp := range tpls {
			out = append(out, pinCase{g, tp.File, classifier.Input{Filename: tp.File, Text: tp.Text}, lists[code]})
			out = append(out, pinCase{g, tp.File + "#untitled", classifier.Input{Filename: tp.File, Text: classifier.WithoutTitle(tp.Text)}, lists[code]})
		}
	}
	return out
}

// TestClassifyPinned pins every field of Classify's result (requirement,
// type, confidence, evidence, alternatives) on pinCases, by a digest per
// group in testdata/pins.txt: a change made for speed must change no
// result. A change meant to change results rewrites the file with
// -update-pins; -dump-pins=<file> writes the results to diff two trees.
func TestClassifyPinned(t *testing.T) {
	if testing.Short() {
		t.Skip("classifies some thousands of documents; skipped in -short")
	}
	m := classifier.Default()
	var groups []string
	var dump *bufio.Writer
	if *dumpPins != "" {
		f, err := os.Create(*dumpPins)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		dump = bufio.NewWriter(f)
		defer dump.Flush()
	}
	acc := map[string][]byte{}
	for _, c := range pinCases(t) {
		r := m.Classify(c.in, c.reqs, 0.6)
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := acc[c.group]; !ok {
			groups = append(groups, c.group)
		}
		line := append([]byte(c.id+"\t"), b...)
		line = append(line, '\n')
		acc[c.group] = append(acc[c.group], line...)
		if dump != nil {
			dump.WriteString(c.group + "\t")
			dump.Write(line)
		}
	}
	got := map[string]string{}
	for _, g := range groups {
		s := sha256.Sum256(acc[g])
		got[g] = hex.EncodeToString(s[:16])
	}
	path := filepath.Join("testdata", "pins.txt")
	if *updatePins {
		var sb strings.Builder
		sb.WriteString("# group\tsha256/16 of the group's Classify results (TestClassifyPinned; -update-pins rewrites)\n")
		for _, g := range groups {
			fmt.Fprintf(&sb, "%s\t%s\n", g, got[g])
		}
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d groups", path, len(groups))
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(l, "#") {
			continue
		}
		g, want, _ := strings.Cut(l, "\t")
		h, ok := got[g]
		switch {
		case !ok && strings.HasPrefix(g, "forms/national/"):
			// Shared data absent: those groups cannot be checked.
		case !ok:
			t.Errorf("group %s: no cases", g)
		case h != want:
			t.Errorf("group %s: results changed (digest %s, pinned %s): diff -dump-pins output against the base tree's", g, h, want)
		default:
			checked++
		}
	}
	t.Logf("%d groups checked", checked)
}
