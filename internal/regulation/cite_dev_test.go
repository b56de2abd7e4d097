package regulation

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
)

// TestEverydayDevCitationMisses lists the dev misses of the everyday
// requirement→article pairs on the whole shared corpus, one by one, for
// working on citations: the pair, its accepted articles and the top 3
// cited. It never cites or scores the test half (the everyday suite does,
// and reports only its figures). Opt-in: HOSO_EVERYDAY_DEV=<schema> names
// a schema kept between runs, imported on first use (a few minutes), so
// that later runs only cite.
func TestEverydayDevCitationMisses(t *testing.T) {
	schema := os.Getenv("HOSO_EVERYDAY_DEV")
	if schema == "" || testing.Short() {
		t.Skip("set HOSO_EVERYDAY_DEV=<schema> to list dev citation misses on the shared corpus")
	}
	data := sharedData(t)
	ctx := context.Background()
	s, cat, closeDB := devSchemaStore(t, schema, data)
	defer closeDB()
	all, err := LoadPairs(filepath.Join(repoRoot(), "evals", "everyday", "pairs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var dev []Pair
	for _, p := range all {
		if p.Split == "dev" {
			dev = append(dev, p)
		}
	}
	procs := func(ctx context.Context, code string) (*catalog.Procedure, error) {
		return cat.Get(ctx, code, time.Now())
	}
	var mu sync.Mutex
	trace := map[string][]string{}
	citeTrace = func(name string, lines []string) {
		mu.Lock()
		defer mu.Unlock()
		if len(lines) > 8 {
			lines = lines[:8]
		}
		trace[name] = lines
	}
	defer func() { citeTrace = nil }()
	rep, err := EvaluateCitations(ctx, s, procs, dev, "dev")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Pair{}
	for _, p := range dev {
		byID[p.ID] = p
	}
	for _, m := range rep.Misses {
		p := byID[m.ID]
		var want []string
		for _, a := range p.Accept {
			want = append(want, ArticleKey(a.Document, a.Article))
		}
		t.Logf("%s %s %.70q want %v: rank %d of %v", m.ID, p.Procedure, p.Name, want, m.Rank, m.Top)
		if os.Getenv("HOSO_EVERYDAY_TRACE") != "" {
			proc, err := procs(ctx, p.Procedure)
			if err != nil {
				t.Fatal(err)
			}
			for n, lines := range trace {
				pn, rn, _ := strings.Cut(n, "|")
				if pn == procedureName(proc) && (strings.HasPrefix(rn, p.Name) || strings.HasPrefix(p.Name, rn)) {
					for _, l := range lines {
						t.Logf("      %s", l)
					}
					break
				}
			}
		}
	}
	t.Logf("dev: n=%d accuracy@1 %.3f @3 %.3f unrelated in top 3 %d", rep.Pairs, rep.AccuracyAt1, rep.AccuracyAt3, rep.UnrelatedInTop)
}
