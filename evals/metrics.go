package evals

import (
	"math"
	"sort"
)

// PRF is precision, recall and F1 from true positives, false positives and
// false negatives. An empty denominator gives 0, except that with nothing
// expected and nothing predicted everything is 1 (a perfect empty answer).
type PRF struct {
	TP, FP, FN int
	Precision  float64
	Recall     float64
	F1         float64
}

// NewPRF computes precision, recall and F1.
func NewPRF(tp, fp, fn int) PRF {
	p := PRF{TP: tp, FP: fp, FN: fn}
	if tp+fp+fn == 0 {
		p.Precision, p.Recall, p.F1 = 1, 1, 1
		return p
	}
	if tp+fp > 0 {
		p.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		p.Recall = float64(tp) / float64(tp+fn)
	}
	if p.Precision+p.Recall > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
	return p
}

// Add accumulates counts.
func (p PRF) Add(q PRF) PRF { return NewPRF(p.TP+q.TP, p.FP+q.FP, p.FN+q.FN) }

// SetCounts compares a predicted set with the expected one (multisets:
// duplicates count) and returns true positives, false positives and false
// negatives.
func SetCounts(want, got []string) (tp, fp, fn int) {
	w := map[string]int{}
	for _, s := range want {
		w[s]++
	}
	for _, s := range got {
		if w[s] > 0 {
			w[s]--
			tp++
		} else {
			fp++
		}
	}
	for _, n := range w {
		fn += n
	}
	return tp, fp, fn
}

// Accuracy is the share of positions where pred equals gold.
func Accuracy(gold, pred []string) float64 {
	if len(gold) == 0 {
		return 0
	}
	ok := 0
	for i := range gold {
		if i < len(pred) && gold[i] == pred[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(gold))
}

// Confusion is a confusion matrix: Counts[i][j] documents of gold class
// Labels[i] were predicted as Labels[j].
type Confusion struct {
	Labels []string `json:"labels"`
	Counts [][]int  `json:"counts"`
}

// NewConfusion builds the matrix over the union of gold and predicted
// labels, sorted.
func NewConfusion(gold, pred []string) *Confusion {
	set := map[string]bool{}
	for _, g := range gold {
		set[g] = true
	}
	for _, p := range pred {
		set[p] = true
	}
	labels := make([]string, 0, len(set))
	for l := range set {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	idx := map[string]int{}
	for i, l := range labels {
		idx[l] = i
	}
	c := &Confusion{Labels: labels, Counts: make([][]int, len(labels))}
	for i := range c.Counts {
		c.Counts[i] = make([]int, len(labels))
	}
	for i := range gold {
		if i < len(pred) {
			c.Counts[idx[gold[i]]][idx[pred[i]]]++
		}
	}
	return c
}

// PerClass returns precision, recall and F1 of every class that occurs in
// the gold labels (support > 0), sorted by class.
func (c *Confusion) PerClass() []ClassScore {
	var out []ClassScore
	for i, l := range c.Labels {
		tp := c.Counts[i][i]
		fn, fp := 0, 0
		for j := range c.Labels {
			if j != i {
				fn += c.Counts[i][j]
				fp += c.Counts[j][i]
			}
		}
		if tp+fn == 0 {
			continue
		}
		p := NewPRF(tp, fp, fn)
		out = append(out, ClassScore{Class: l, Precision: p.Precision, Recall: p.Recall, F1: p.F1, Support: tp + fn})
	}
	return out
}

// MacroF1 is the unweighted mean F1 over the classes present in the gold
// labels.
func MacroF1(cs []ClassScore) float64 {
	if len(cs) == 0 {
		return 0
	}
	var s float64
	for _, c := range cs {
		s += c.F1
	}
	return s / float64(len(cs))
}

// RecallAtK is the share of queries whose first relevant result has rank
// 1..k; ranks are 1-based, 0 meaning "not found".
func RecallAtK(ranks []int, k int) float64 {
	if len(ranks) == 0 {
		return 0
	}
	n := 0
	for _, r := range ranks {
		if r >= 1 && r <= k {
			n++
		}
	}
	return float64(n) / float64(len(ranks))
}

// NDCG is the normalised discounted cumulative gain at k with binary
// relevance: rel[i] says whether the result at rank i+1 is relevant, and
// relevant is how many relevant items exist in total (the ideal ranking
// puts min(relevant, k) of them first).
func NDCG(rel []bool, relevant, k int) float64 {
	var dcg, idcg float64
	for i := 0; i < len(rel) && i < k; i++ {
		if rel[i] {
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	for i := 0; i < relevant && i < k; i++ {
		idcg += 1 / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

// Percentile is the p-th percentile (0..100) of xs by linear interpolation
// between closest ranks; 0 for no data.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 1 {
		return s[0]
	}
	pos := p / 100 * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	if lo == hi {
		return s[lo]
	}
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

// Mean is the arithmetic mean; 0 for no data.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// EditDistance is the Levenshtein distance between two rune slices.
func EditDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// CER is the character error rate of hyp against ref: edit distance over
// the length of ref (1 when ref is empty and hyp is not).
func CER(hyp, ref string) float64 {
	h, r := []rune(hyp), []rune(ref)
	if len(r) == 0 {
		if len(h) == 0 {
			return 0
		}
		return 1
	}
	return float64(EditDistance(h, r)) / float64(len(r))
}

// InfixDistance is the edit distance of short aligned as a whole against
// the best-matching substring of long (free gaps at long's ends): how far
// a reference that covers only part of a document is from it.
func InfixDistance(short, long []rune) int {
	prev := make([]int, len(long)+1) // row 0: free start anywhere in long
	cur := make([]int, len(long)+1)
	for i := 1; i <= len(short); i++ {
		cur[0] = i
		for j := 1; j <= len(long); j++ {
			c := prev[j-1]
			if short[i-1] != long[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	best := prev[0]
	for _, v := range prev {
		best = min(best, v)
	}
	return best
}
