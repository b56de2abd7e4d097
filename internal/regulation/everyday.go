package regulation

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// ArticleRanker returns the distinct articles ("60/2014/QH13 Điều 16") that
// best answer text, best first.
type ArticleRanker func(ctx context.Context, text string) ([]string, error)

// ArticleKey names an article as the evaluations compare it.
func ArticleKey(document string, article int) string {
	return fmt.Sprintf("%s Điều %d", document, article)
}

// SearchRanker ranks with s.Search in mode on date on (today when zero);
// expand=false turns the thesaurus off.
func SearchRanker(s *Store, mode string, on time.Time, expand bool) ArticleRanker {
	return func(ctx context.Context, text string) ([]string, error) {
		hits, err := s.Search(ctx, Query{Text: text, K: 10, Mode: mode, InForceOn: on, NoExpansion: !expand})
		if err != nil {
			return nil, err
		}
		var out []string
		seen := map[string]bool{}
		for _, h := range hits {
			k := ArticleKey(h.Document, h.Article)
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
		return out, nil
	}
}

// SplitReport is one ranker's quality on one split of a question set.
type SplitReport struct {
	Split      string       `json:"split"`
	Questions  int          `json:"questions"`
	RecallAt1  float64      `json:"recall_at_1"`
	RecallAt10 float64      `json:"recall_at_10"`
	MRR        float64      `json:"mrr"` // of the first answer article within the top 10
	Misses     []EvalResult `json:"misses,omitempty"`
}

// EvaluateRanker scores rank on the questions of split ("" for all): a
// question is answered at k when one of its answer articles is among the
// first k distinct articles.
func EvaluateRanker(ctx context.Context, rank ArticleRanker, qs []Question, split string) (SplitReport, error) {
	rep := SplitReport{Split: split}
	var r1, r10, rr float64
	for _, q := range qs {
		if split != "" && q.Split != split {
			continue
		}
		rep.Questions++
		arts, err := rank(ctx, q.Question)
		if err != nil {
			return rep, fmt.Errorf("question %s: %w", q.ID, err)
		}
		if len(arts) > 10 {
			arts = arts[:10]
		}
		want := map[string]bool{}
		for _, a := range q.Answers {
			want[ArticleKey(a.Document, a.Article)] = true
		}
		rank := 0
		for i, a := range arts {
			if want[a] {
				rank = i + 1
				break
			}
		}
		switch {
		case rank == 1:
			r1++
			fallthrough
		case rank >= 1:
			r10++
			rr += 1 / float64(rank)
		default:
			top := arts
			if len(top) > 3 {
				top = top[:3]
			}
			rep.Misses = append(rep.Misses, EvalResult{ID: q.ID, Top: top})
		}
	}
	if n := float64(rep.Questions); n > 0 {
		rep.RecallAt1, rep.RecallAt10, rep.MRR = r1/n, r10/n, rr/n
	}
	return rep, nil
}

// BM25 is a plain Okapi BM25 (k1 1.2, b 0.75) over the index's chunks,
// on lower-cased syllables with diacritics, ranking articles by their
// best chunk: the baseline the hybrid search is compared against in the
// same run. It ignores validity and copies, as a plain BM25 would.
type BM25 struct {
	docs   []bm25Doc
	post   map[string][]bm25Post
	avgLen float64
}

type bm25Doc struct {
	key string
	len int
}

type bm25Post struct {
	doc int
	tf  int
}

// Ranker ranks articles by BM25.
func (b *BM25) Ranker() ArticleRanker {
	return func(_ context.Context, text string) ([]string, error) {
		score := map[int]float64{}
		n := float64(len(b.docs))
		seen := map[string]bool{}
		for _, t := range vntext.Tokens(text) {
			if seen[t] {
				continue
			}
			seen[t] = true
			ps := b.post[t]
			if len(ps) == 0 {
				continue
			}
			idf := math.Log(1 + (n-float64(len(ps))+0.5)/(float64(len(ps))+0.5))
			for _, p := range ps {
				tf := float64(p.tf)
				dl := float64(b.docs[p.doc].len)
				score[p.doc] += idf * tf * 2.2 / (tf + 1.2*(0.25+0.75*dl/b.avgLen))
			}
		}
		ids := make([]int, 0, len(score))
		for id := range score {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool {
			if score[ids[i]] != score[ids[j]] {
				return score[ids[i]] > score[ids[j]]
			}
			return ids[i] < ids[j]
		})
		var out []string
		have := map[string]bool{}
		for _, id := range ids {
			k := b.docs[id].key
			if !have[k] {
				have[k] = true
				out = append(out, k)
				if len(out) == 10 {
					break
				}
			}
		}
		return out, nil
	}
}

// Pair is one requirement→article label (evals/everyday/pairs.yaml).
type Pair struct {
	ID          string   `yaml:"id" json:"id"`
	Procedure   string   `yaml:"procedure" json:"procedure"`
	Requirement string   `yaml:"requirement" json:"requirement"`
	Name        string   `yaml:"name" json:"name"`
	Split       string   `yaml:"split" json:"split"`
	Accept      []Answer `yaml:"accept" json:"accept"`
	Unrelated   []Answer `yaml:"unrelated" json:"unrelated"`
}

// LoadPairs reads a requirement→article file.
func LoadPairs(path string) ([]Pair, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Pairs []Pair `yaml:"pairs"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	for i, p := range f.Pairs {
		if p.Procedure == "" || p.Requirement == "" || len(p.Accept) == 0 {
			return nil, fmt.Errorf("%s: pair %d (%s) lacks procedure, requirement or accept", path, i+1, p.ID)
		}
		for j := range p.Accept {
			f.Pairs[i].Accept[j].Document = legalnum.Normalize(p.Accept[j].Document)
		}
		for j := range p.Unrelated {
			f.Pairs[i].Unrelated[j].Document = legalnum.Normalize(p.Unrelated[j].Document)
		}
	}
	return f.Pairs, nil
}

// CitationReport is citation quality on one split of the pairs.
type CitationReport struct {
	Split          string       `json:"split"`
	Pairs          int          `json:"pairs"`
	AccuracyAt1    float64      `json:"accuracy_at_1"`
	AccuracyAt3    float64      `json:"accuracy_at_3"`
	UnrelatedInTop int          `json:"unrelated_in_top3"` // pairs with a labelled-unrelated article among their first 3 citations
	KeysMoved      int          `json:"keys_moved"`        // pairs found by requirement name: the catalog's key changed since labelling
	Misses         []EvalResult `json:"misses,omitempty"`
}

// pairRequirement finds the pair's requirement in the catalog's parse of
// its procedure: by key, or, when the catalog's keys moved after the pair
// was labelled (a later parse merges the 52 near-identical papers of
// 1.013225 into one-of groups and shortens keys), by the requirement's
// name, which the pair records (cut at 120 characters). moved reports the
// fallback; the label itself (the accepted articles) is untouched. A pair
// whose paper the catalog now records as an alternative of another
// requirement is found there.
func pairRequirement(proc *catalog.Procedure, p Pair) (key string, moved bool) {
	for _, r := range proc.Requirements {
		if r.Key == p.Requirement {
			return p.Requirement, false
		}
	}
	want := vntext.CollapseSpace(vntext.NFC(strings.TrimSpace(p.Name)))
	if want == "" {
		return p.Requirement, false
	}
	for _, r := range proc.Requirements {
		if strings.HasPrefix(vntext.CollapseSpace(vntext.NFC(r.Name)), want) {
			return r.Key, true
		}
	}
	// The catalog now names it shorter ("Mẫu hộ tịch điện tử" for the
	// pair's "Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (…)").
	for _, r := range proc.Requirements {
		if n := vntext.CollapseSpace(vntext.NFC(r.Name)); len([]rune(n)) >= 12 && strings.HasPrefix(want, n) {
			return r.Key, true
		}
	}
	// The paper is now an alternative of another requirement (an
	// interactive e-form offered instead of the paper declaration): the
	// requirement it stands in for carries its citations.
	for _, r := range proc.Requirements {
		for _, a := range r.Alternatives {
			if n := vntext.CollapseSpace(vntext.NFC(a)); len([]rune(n)) >= 12 && (strings.HasPrefix(n, want) || strings.HasPrefix(want, n)) {
				return r.Key, true
			}
		}
	}
	return p.Requirement, false
}

// ProcedureSource returns a procedure by code.
type ProcedureSource func(ctx context.Context, code string) (*catalog.Procedure, error)

// EvaluateCitations computes each pair's procedure's citations once
// (CiteProcedure, as the check stage does) and scores the stored top 3.
func EvaluateCitations(ctx context.Context, s *Store, procs ProcedureSource, pairs []Pair, split string) (CitationReport, error) {
	rep := CitationReport{Split: split}
	cited := map[string]*catalog.Procedure{}
	var a1, a3 float64
	for _, p := range pairs {
		if split != "" && p.Split != split {
			continue
		}
		proc := cited[p.Procedure]
		if proc == nil {
			var err error
			if proc, err = procs(ctx, p.Procedure); err != nil {
				return rep, fmt.Errorf("procedure %s: %w", p.Procedure, err)
			}
			if err := s.CiteProcedure(ctx, proc); err != nil {
				return rep, err
			}
			cited[p.Procedure] = proc
		}
		key, moved := pairRequirement(proc, p)
		if moved {
			rep.KeysMoved++
		}
		cs, err := s.Citations(ctx, p.Procedure, key)
		if err != nil {
			return rep, err
		}
		rep.Pairs++
		ok := map[string]bool{}
		for _, a := range p.Accept {
			ok[ArticleKey(a.Document, a.Article)] = true
		}
		bad := map[string]bool{}
		for _, a := range p.Unrelated {
			bad[ArticleKey(a.Document, a.Article)] = true
		}
		var top []string
		hit, unrelated := 0, false
		for i, c := range cs {
			if i == 3 {
				break
			}
			k := ArticleKey(c.Document, c.Article)
			top = append(top, k)
			if ok[k] && hit == 0 {
				hit = i + 1
			}
			if bad[k] {
				unrelated = true
			}
		}
		if hit == 1 {
			a1++
		}
		if hit >= 1 {
			a3++
		}
		if unrelated {
			rep.UnrelatedInTop++
		}
		if hit != 1 || unrelated {
			rep.Misses = append(rep.Misses, EvalResult{ID: p.ID, Rank: hit, Top: top})
		}
	}
	if n := float64(rep.Pairs); n > 0 {
		rep.AccuracyAt1, rep.AccuracyAt3 = a1/n, a3/n
	}
	return rep, nil
}
