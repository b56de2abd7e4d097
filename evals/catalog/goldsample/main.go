// Command goldsample draws the procedures of the independent catalog gold
// set (evals/catalog/gold) at random, stratified by ministry, and splits
// them into dev and test halves. Both draws use the recorded seed, so
//
//	go run ./evals/catalog/goldsample -seed 15015
//
// prints the same sample.jsonl on any machine from the same procedures file.
// It never looks at what hoso's parser makes of a procedure: the sample is
// drawn and split before any annotation or tuning (see gold/README.md).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"unicode/utf8"
)

type procedure struct {
	Ministry   string `json:"ministry_folder"`
	Code       string `json:"ma_thu_tuc"`
	Name       string `json:"ten_thu_tuc"`
	Components string `json:"thanh_phan_ho_so"`
}

// Sampled is one line of sample.jsonl.
type Sampled struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Ministry string `json:"ministry_folder"`
	Split    string `json:"split"` // dev | test
	Chars    int    `json:"component_chars"`
}

func main() {
	src := flag.String("procedures", "../shared/data/dvc-procedures-2026/procedures.jsonl", "national procedures file (JSONL)")
	seed := flag.Uint64("seed", 15015, "seed of the draw and of the dev/test split")
	n := flag.Int("n", 100, "sample size before rounding up per ministry")
	maxChars := flag.Int("max-chars", 6000, "largest component text (runes) in the population")
	flag.Parse()

	f, err := os.Open(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	strata := map[string][]procedure{}
	total, popTotal := 0, 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<24)
	for sc.Scan() {
		var p procedure
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		total++
		c := utf8.RuneCountInString(p.Components)
		if c == 0 || c > *maxChars {
			continue
		}
		popTotal++
		strata[p.Ministry] = append(strata[p.Ministry], p)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ministries := make([]string, 0, len(strata))
	for m := range strata {
		ministries = append(ministries, m)
	}
	sort.Strings(ministries)

	r := rand.New(rand.NewPCG(*seed, 0))
	var out []Sampled
	for _, m := range ministries {
		ps := strata[m]
		sort.Slice(ps, func(i, j int) bool { return ps[i].Code < ps[j].Code })
		// Proportional allocation, at least two per ministry so that each
		// has a dev and a test procedure (one when the stratum has one).
		k := (len(ps)**n + popTotal - 1) / popTotal
		if k < 2 {
			k = 2
		}
		if k > len(ps) {
			k = len(ps)
		}
		perm := r.Perm(len(ps))[:k]
		// Split: a second shuffle of the drawn ones, first half dev.
		r.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for i, idx := range perm {
			p := ps[idx]
			split := "test"
			if i < (k+1)/2 {
				split = "dev"
			}
			out = append(out, Sampled{Code: p.Code, Name: p.Name, Ministry: m, Split: split, Chars: utf8.RuneCountInString(p.Components)})
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, s := range out {
		if err := enc.Encode(s); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Fprintf(os.Stderr, "%d procedures, %d in population (1..%d runes of components), %d drawn (seed %d)\n", total, popTotal, *maxChars, len(out), *seed)
}
