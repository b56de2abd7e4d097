// Command goldsample draws the procedures of the independent catalog gold
// set (evals/catalog/gold) at random, stratified by ministry, and splits
// them into dev and test halves. Both draws use the recorded seed, so
//
//	go run ./evals/catalog/goldsample -seed 15015
//
// prints the same sample.jsonl on any machine from the same procedures file.
// It never looks at what hoso's parser makes of a procedure: the sample is
// drawn and split before any annotation or tuning (see gold/README.md).
//
// With -batch it draws a dev extension instead: the procedures already in
// -exclude (labels.jsonl) are removed from the population, exactly n are
// drawn, allocated to ministries by largest remainder with at least one per
// ministry that has procedures left, all marked dev with the batch name, and
// each line carries the raw thanh_phan_ho_so text to annotate from:
//
//	go run ./evals/catalog/goldsample -batch dev3 -seed 15017 -n 30 \
//	    -exclude evals/catalog/gold/labels.jsonl > evals/catalog/gold/sample-dev3.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
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
	Batch    string `json:"batch,omitempty"`
	Chars    int    `json:"component_chars"`
	Text     string `json:"thanh_phan_ho_so,omitempty"`
}

func main() {
	src := flag.String("procedures", "../shared/data/dvc-procedures-2026/procedures.jsonl", "national procedures file (JSONL)")
	seed := flag.Uint64("seed", 15015, "seed of the draw and of the dev/test split")
	n := flag.Int("n", 100, "sample size before rounding up per ministry")
	maxChars := flag.Int("max-chars", 6000, "largest component text (runes) in the population")
	batch := flag.String("batch", "", "draw a dev extension of exactly n with this batch name (see package doc)")
	exclude := flag.String("exclude", "", "JSONL whose \"code\" values are removed from the population (with -batch)")
	flag.Parse()

	excluded := map[string]bool{}
	if *exclude != "" {
		codes, err := readCodes(*exclude)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		excluded = codes
	}

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
		if *batch != "" && (excluded[p.Code] || strings.TrimSpace(p.Components) == "Không có thông tin") {
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
	if *batch != "" {
		out := drawBatch(r, strata, ministries, popTotal, *n, *batch)
		emit(out)
		fmt.Fprintf(os.Stderr, "%d procedures, %d in population after excluding %d (1..%d runes of components), %d drawn as %s (seed %d)\n", total, popTotal, len(excluded), *maxChars, len(out), *batch, *seed)
		return
	}
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
	emit(out)
	fmt.Fprintf(os.Stderr, "%d procedures, %d in population (1..%d runes of components), %d drawn (seed %d)\n", total, popTotal, *maxChars, len(out), *seed)
}

func emit(out []Sampled) {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, s := range out {
		if err := enc.Encode(s); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// drawBatch draws exactly n procedures (or the whole population if smaller):
// each ministry gets at least one when it has any left, the rest of n is
// allocated in proportion to the ministries' sizes by largest remainder (ties
// by ministry name). Within a ministry the procedures are sorted by code and
// drawn with r; all are dev.
func drawBatch(r *rand.Rand, strata map[string][]procedure, ministries []string, pop, n int, batch string) []Sampled {
	alloc := map[string]int{}
	type rem struct {
		m    string
		frac float64
	}
	var rems []rem
	sum := 0
	for _, m := range ministries {
		q := float64(len(strata[m])*n) / float64(pop)
		k := int(q)
		if k < 1 {
			k = 1
		}
		if k > len(strata[m]) {
			k = len(strata[m])
		}
		alloc[m] = k
		sum += k
		rems = append(rems, rem{m, q - float64(int(q))})
	}
	sort.SliceStable(rems, func(i, j int) bool { return rems[i].frac > rems[j].frac })
	for i := 0; sum < n && sum < pop; i = (i + 1) % len(rems) {
		if m := rems[i].m; alloc[m] < len(strata[m]) {
			alloc[m]++
			sum++
		}
	}
	var out []Sampled
	for _, m := range ministries {
		ps := strata[m]
		sort.Slice(ps, func(i, j int) bool { return ps[i].Code < ps[j].Code })
		for _, idx := range r.Perm(len(ps))[:alloc[m]] {
			p := ps[idx]
			out = append(out, Sampled{Code: p.Code, Name: p.Name, Ministry: m, Split: "dev", Batch: batch,
				Chars: utf8.RuneCountInString(p.Components), Text: p.Components})
		}
	}
	return out
}

// readCodes returns the "code" values of a JSONL file.
func readCodes(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("exclude list: %w", err)
	}
	defer f.Close()
	codes := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<24)
	for sc.Scan() {
		var l struct {
			Code string `json:"code"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("exclude list %s: %w", path, err)
		}
		codes[l.Code] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("exclude list %s: %w", path, err)
	}
	return codes, nil
}
