package regulation

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
)

func TestVerifyQuote(t *testing.T) {
	t.Parallel()
	clause := "1. Người đi đăng ký khai sinh nộp tờ khai theo mẫu quy định\n và giấy chứng sinh cho cơ quan đăng ký hộ tịch."
	cases := []struct {
		name  string
		quote string
		want  bool
	}{
		{"ExactSpan", "nộp tờ khai theo mẫu quy định", true},
		{"AcrossLineBreak", "theo mẫu quy định và giấy chứng sinh", true},
		{"Decomposed", "gia\u0302\u0301y chu\u031b\u0301ng sinh", true},
		{"Altered", "nộp tờ khai và giấy khai sinh", false},
		{"Empty", "  ", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := VerifyQuote(clause, c.quote); got != c.want {
				t.Errorf("VerifyQuote(%q) = %v, want %v", c.quote, got, c.want)
			}
		})
	}
}

// demoProcedures parses the demo procedures from the national scrape.
func demoProcedures(t *testing.T, codes map[string]bool) []catalog.Procedure {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData(t), "dvc-procedures-2026", "procedures.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<24), 1<<24)
	var out []catalog.Procedure
	for sc.Scan() {
		head := sc.Bytes()
		if len(head) > 200 {
			head = head[:200]
		}
		wanted := false
		for c := range codes {
			wanted = wanted || strings.Contains(string(head), `"`+c+`"`)
		}
		if !wanted {
			continue
		}
		p, err := catalog.ParseNational(sc.Bytes())
		if err != nil || !codes[p.Code] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// TestCiteProcedureMatchesLabels cites the procedures of the dev half of
// the labelled requirement→article pairs (evals/everyday/pairs.yaml, the
// one set of citation labels; the everyday suite scores both halves on the
// whole shared corpus) whose accepted articles are all in the demo corpus
// data/legal, scores them as the suite does (EvaluateCitations), and checks
// that every stored quote occurs in the cited unit. Only dev items are
// looked at one by one, so the test half stays unseen.
func TestCiteProcedureMatchesLabels(t *testing.T) {
	if testing.Short() {
		t.Skip("cites eight procedures (~1 min); skipped under -short")
	}
	s := demoStore(t)
	ctx := context.Background()
	all, err := LoadPairs(filepath.Join(repoRoot(), "evals", "everyday", "pairs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var pairs []Pair
	for _, p := range all {
		if p.Split != "dev" {
			continue
		}
		in := true
		for _, a := range p.Accept {
			got, err := s.indexedBasis(ctx, []catalog.LegalDoc{{Number: a.Document}})
			if err != nil {
				t.Fatal(err)
			}
			in = in && slices.Contains(got, a.Document)
		}
		if in {
			pairs = append(pairs, p)
		}
	}
	if len(pairs) < 30 {
		t.Fatalf("only %d dev pairs fall within data/legal", len(pairs))
	}
	cat := catalog.NewStore(demo.pool)
	if _, err := cat.Import(ctx, filepath.Join(repoRoot(), "data", "procedures"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.ApplyOverrides(ctx, filepath.Join(repoRoot(), "pipelines", "catalog")); err != nil {
		t.Fatal(err)
	}
	procs := func(ctx context.Context, code string) (*catalog.Procedure, error) {
		return cat.Get(ctx, code, time.Now())
	}
	rep, err := EvaluateCitations(ctx, s, procs, pairs, "dev")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		proc, err := procs(ctx, p.Procedure)
		if err != nil {
			t.Fatal(err)
		}
		key, _ := pairRequirement(proc, p)
		cs, err := s.Citations(ctx, p.Procedure, key)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			ok, err := s.VerifyCitation(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				t.Errorf("%s %s/%s: quote %q not found in %s Điều %d", p.ID, p.Procedure, key, c.Text, c.Document, c.Article)
			}
		}
	}
	for _, m := range rep.Misses {
		t.Logf("%s: labelled article at rank %d of %v", m.ID, m.Rank, m.Top)
	}
	t.Logf("dev pairs in data/legal: %d; accuracy@1 %.3f, @3 %.3f, unrelated in top 3: %d", rep.Pairs, rep.AccuracyAt1, rep.AccuracyAt3, rep.UnrelatedInTop)
	// Floors: what this test measured when it moved to the everyday pairs
	// (2026-12-06: accuracy@1 0.750, @3 0.833, two pairs citing 123/2015
	// Điều 4, labelled unrelated, in their top 3), raised when citations
	// began to read the clause that names the paper (0.875, 0.896, none),
	// rounded down; a change that lowers them must say why.
	if rep.AccuracyAt1 < citeFloorAt1 || rep.AccuracyAt3 < citeFloorAt3 || rep.UnrelatedInTop > citeMaxUnrelated {
		t.Errorf("accuracy@1 %.3f (floor %.2f), @3 %.3f (floor %.2f), unrelated in top 3 %d (at most %d)",
			rep.AccuracyAt1, citeFloorAt1, rep.AccuracyAt3, citeFloorAt3, rep.UnrelatedInTop, citeMaxUnrelated)
	}
}

const (
	citeFloorAt1     = 0.85
	citeFloorAt3     = 0.89
	citeMaxUnrelated = 0
)

func TestCitationsEmptyWhenNotComputed(t *testing.T) {
	s := demoStore(t)
	cs, err := s.Citations(context.Background(), "0.000000", "none")
	if err != nil {
		t.Fatal(err)
	}
	if cs == nil || len(cs) != 0 {
		t.Fatalf("Citations = %#v, want empty slice", cs)
	}
	var _ []dossier.Citation = cs
}
