package regulation

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
)

// citeSampleSeed fixes the draw of TestCiteSampleOutsidePairs.
const citeSampleSeed = 20261206

// citeSampleSize is how many procedures (one requirement each) are drawn.
const citeSampleSize = 20

// TestCiteSampleOutsidePairs prints the citations of one requirement of
// each of citeSampleSize procedures drawn (seeded) from the catalog among those whose
// legal basis is indexed and which no everyday pair labels, for a person
// to read the cited article and judge whether a lawyer would accept it:
// the check that a citation change helps requirements nobody labelled.
// Opt-in like TestEverydayDevCitationMisses (HOSO_CITE_SAMPLE=<schema>).
func TestCiteSampleOutsidePairs(t *testing.T) {
	schema := os.Getenv("HOSO_CITE_SAMPLE")
	if schema == "" || testing.Short() {
		t.Skip("set HOSO_CITE_SAMPLE=<schema> to print cited articles of a seeded draw of procedures")
	}
	data := sharedData(t)
	ctx := context.Background()
	s, _, closeDB := devSchemaStore(t, schema, data)
	defer closeDB()
	pairs, err := LoadPairs(filepath.Join(repoRoot(), "evals", "everyday", "pairs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	labelled := map[string]bool{}
	for _, p := range pairs {
		labelled[p.Procedure] = true
	}
	// The national scrape, not the kept schema's catalog (only the demo
	// procedures): the draw is among all procedures of the country.
	all, err := catalog.ParseNationalFile(filepath.Join(data, "dvc-procedures-2026", "procedures.jsonl"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var procs []catalog.Procedure
	for _, p := range all {
		if !labelled[p.Code] && len(p.Requirements) > 0 {
			procs = append(procs, p)
		}
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].Code < procs[j].Code })
	r := rand.New(rand.NewPCG(citeSampleSeed, 0))
	r.Shuffle(len(procs), func(i, j int) { procs[i], procs[j] = procs[j], procs[i] })
	var mu sync.Mutex
	trace := map[string][]string{}
	citeTrace = func(name string, lines []string) {
		mu.Lock()
		defer mu.Unlock()
		trace[name] = lines
	}
	defer func() { citeTrace = nil }()
	n := 0
	for i := range procs {
		if n == citeSampleSize {
			break
		}
		p := &procs[i]
		code := p.Code
		basis, err := s.indexedBasis(ctx, p.LegalBasis)
		if err != nil {
			t.Fatal(err)
		}
		if len(basis) == 0 {
			continue
		}
		req := p.Requirements[r.IntN(len(p.Requirements))]
		one := *p
		one.Requirements = slices.Clone(p.Requirements[:0:0])
		one.Requirements = append(one.Requirements, req)
		_, cs, err := s.citeAll(ctx, &one)
		if err != nil {
			t.Fatal(err)
		}
		n++
		t.Logf("#%d %s %.80q | %.90q basis %v", n, code, procedureName(p), req.Name, basis)
		lines := trace[procedureName(p)+"|"+req.Name]
		for i, l := range lines {
			if i == 3 {
				break
			}
			t.Logf("    %s", l)
		}
		if len(cs) > 0 && len(cs[0]) > 0 {
			c := cs[0][0]
			t.Logf("    cited: %s %s — %s", c.Document, strings.TrimSpace(c.Unit()), c.Text)
		} else {
			t.Logf("    cited: none")
		}
	}
}
