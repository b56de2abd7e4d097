// Command sample draws the held-out classification set evals/unseen2: the
// procedures, the requirement rows whose papers are then written by hand,
// the hard variants (title lost, title only, citizen wording, a paper put
// into another procedure's dossier) and real blank templates put into a
// drawn dossier. Everything is drawn from the recorded seed, so
//
//	go run ./evals/unseen2/sample -seed 61506 > evals/unseen2/sample.jsonl
//
// prints the same plan on any machine from the same procedures file. It
// never runs the classifier: the procedures the classifier was trained on
// (evals/docgen.ProcedureCodes) and those of the older set evals/unseen are
// left out, and rows that a type of the classifier's taxonomy names (its
// aliases: the identity card, the power of attorney…) are not drawn, so
// that every drawn paper is one the model has never seen. The dev/test
// split is by procedure and is drawn here, before any labelling or tuning.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/evals/docgen"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// oldSet are the procedures of evals/unseen (labelled in the same commit as
// a classifier change): this set is drawn fresh, without them.
var oldSet = []string{"1.001022", "2.001255", "1.004845", "1.004837", "1.000656", "1.004859",
	"1.010384", "1.010386", "1.001456", "3.000347", "3.000353"}

// oldForms are the templates evals/unseen used.
var oldForms = []string{"52_", "53_", "54_", "55_", "56_", "50_", "23_", "42_", "43_", "51_", "12_", "06_"}

// Planned is one line of sample.jsonl: one document to write or take.
type Planned struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`      // filled | wording | title_lost | title_only | misplaced | template
	Procedure string `json:"procedure"` // the dossier the document is put into
	Split     string `json:"split"`     // dev | test, the dossier procedure's
	// From is the procedure whose requirement row the paper is written
	// for (differs from Procedure for misplaced papers).
	From     string `json:"from,omitempty"`
	RowName  string `json:"row_name,omitempty"` // the row as hoso's catalog parser names it (a pointer to the source row)
	RowRaw   string `json:"row_raw,omitempty"`  // the source text of the row
	Of       string `json:"of,omitempty"`       // the filled document a variant is made from
	Template string `json:"template,omitempty"` // form-templates-docfilling/text file
}

type procedure struct {
	Ministry string `json:"ministry_folder"`
	Code     string `json:"ma_thu_tuc"`
	Name     string `json:"ten_thu_tuc"`
	line     []byte
}

func main() {
	src := flag.String("procedures", "../shared/data/dvc-procedures-2026/procedures.jsonl", "national procedures file (JSONL)")
	tpls := flag.String("templates", "../shared/data/form-templates-docfilling/text", "blank form templates")
	seed := flag.Uint64("seed", 61506, "seed of every draw")
	per := flag.Int("per", 4, "procedures per ministry")
	rows := flag.Int("rows", 2, "requirement rows per procedure")
	flag.Parse()
	if err := run(*src, *tpls, *seed, *per, *rows); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(src, tplDir string, seed uint64, per, nrows int) error {
	skip := map[string]bool{}
	for _, c := range append(append([]string{}, docgen.ProcedureCodes...), oldSet...) {
		skip[c] = true
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	strata := map[string][]procedure{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<24)
	for sc.Scan() {
		var p procedure
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return err
		}
		if skip[p.Code] {
			continue
		}
		p.line = append([]byte(nil), sc.Bytes()...)
		strata[p.Ministry] = append(strata[p.Ministry], p)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	ministries := make([]string, 0, len(strata))
	for m := range strata {
		ministries = append(ministries, m)
	}
	sort.Strings(ministries)

	r := rand.New(rand.NewPCG(seed, 0))
	type drawn struct {
		p     procedure
		split string
		reqs  []catalog.Requirement
	}
	var procs []drawn
	for _, m := range ministries {
		ps := strata[m]
		sort.Slice(ps, func(i, j int) bool { return ps[i].Code < ps[j].Code })
		var got []drawn
		for _, i := range r.Perm(len(ps)) {
			if len(got) == per {
				break
			}
			cp, err := catalog.ParseNational(ps[i].line)
			if err != nil {
				continue
			}
			var eligible []catalog.Requirement
			seen := map[string]bool{}
			for _, q := range cp.Requirements {
				if unfamiliar(q) && !seen[q.Name] { // a row the page repeats counts once
					seen[q.Name] = true
					eligible = append(eligible, q)
				}
			}
			if len(eligible) < nrows {
				continue // too few papers the model has never seen
			}
			got = append(got, drawn{p: ps[i], reqs: eligible})
		}
		// Split by procedure: half of each ministry's draw is dev.
		for i := range got {
			got[i].split = "test"
			if i%2 == 0 {
				got[i].split = "dev"
			}
		}
		procs = append(procs, got...)
	}

	var out []Planned
	id := func() string { return fmt.Sprintf("u%03d", len(out)+1) }
	var filled []int
	for _, d := range procs {
		for _, i := range r.Perm(len(d.reqs))[:nrows] {
			q := d.reqs[i]
			filled = append(filled, len(out))
			out = append(out, Planned{ID: id(), Kind: "filled", Procedure: d.p.Code, Split: d.split, From: d.p.Code,
				RowName: q.Name, RowRaw: strings.TrimSpace(q.Raw)})
		}
	}
	// Variants of filled papers, each of a different paper.
	order := r.Perm(len(filled))
	next := 0
	variant := func(kind string, n int) {
		for k := 0; k < n; k++ {
			base := out[filled[order[next]]]
			next++
			v := Planned{ID: id(), Kind: kind, Procedure: base.Procedure, Split: base.Split, From: base.From,
				RowName: base.RowName, RowRaw: base.RowRaw, Of: base.ID}
			if kind == "misplaced" {
				// Put into another drawn procedure of the same split.
				for {
					o := procs[r.IntN(len(procs))]
					if o.p.Code != base.Procedure && o.split == base.Split {
						v.Procedure = o.p.Code
						break
					}
				}
			}
			out = append(out, v)
		}
	}
	variant("title_lost", 8)
	variant("title_only", 4)
	variant("wording", 6)
	variant("misplaced", 8)

	// Real blank templates, each put into a drawn dossier.
	ents, err := os.ReadDir(tplDir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range ents {
		old := false
		for _, o := range oldForms {
			old = old || strings.HasPrefix(e.Name(), o)
		}
		if !old && strings.HasSuffix(e.Name(), ".txt") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, i := range r.Perm(len(names))[:8] {
		d := procs[r.IntN(len(procs))]
		out = append(out, Planned{ID: id(), Kind: "template", Procedure: d.p.Code, Split: d.split, Template: filepath.Base(names[i])})
	}

	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, d := range procs {
		fmt.Fprintf(os.Stderr, "%s\t%s\t%s\t%s\n", d.split, d.p.Ministry, d.p.Code, d.p.Name)
	}
	for _, p := range out {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "%d procedures, %d documents (seed %d)\n", len(procs), len(out), seed)
	return nil
}

// unfamiliar reports whether no type of the classifier's taxonomy names the
// requirement (by the types' aliases, accent-folded, anywhere in its name,
// form or alternatives), and the row names a paper (some words, not the
// dossier count).
func unfamiliar(q catalog.Requirement) bool {
	if utf8.RuneCountInString(q.Name) < 12 || strings.HasPrefix(vntext.Fold(strings.ToLower(q.Name)), "so luong ho so") {
		return false // no paper: too short, or the "Số lượng hồ sơ" line the crawl glued in
	}
	texts := append([]string{q.Name}, q.Alternatives...)
	if q.Form != nil {
		texts = append(texts, *q.Form)
	}
	all := " " + strings.Join(vntext.FoldedTokens(strings.Join(texts, " ")), " ") + " "
	for _, info := range classifier.Taxonomy {
		for _, a := range info.Aliases {
			if strings.Contains(all, " "+strings.Join(vntext.FoldedTokens(strings.TrimPrefix(a, "^")), " ")+" ") {
				return false
			}
		}
	}
	return true
}
