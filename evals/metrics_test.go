package evals

import (
	"math"
	"reflect"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPRF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		tp, fp, fn int
		p, r, f1   float64
	}{
		{"Perfect", 4, 0, 0, 1, 1, 1},
		{"HalfPrecision", 2, 2, 0, 0.5, 1, 2 * 0.5 / 1.5},
		{"Mixed", 3, 1, 2, 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35},
		{"NothingRight", 0, 3, 2, 0, 0, 0},
		{"NothingExpectedNothingFound", 0, 0, 0, 1, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPRF(tc.tp, tc.fp, tc.fn)
			if !near(p.Precision, tc.p) || !near(p.Recall, tc.r) || !near(p.F1, tc.f1) {
				t.Errorf("got P %.4f R %.4f F1 %.4f, want %.4f %.4f %.4f", p.Precision, p.Recall, p.F1, tc.p, tc.r, tc.f1)
			}
		})
	}
}

func TestSetCounts(t *testing.T) {
	t.Parallel()
	tp, fp, fn := SetCounts([]string{"a", "b", "b", "c"}, []string{"b", "c", "d", "d"})
	if tp != 2 || fp != 2 || fn != 2 {
		t.Errorf("got %d %d %d, want 2 2 2", tp, fp, fn)
	}
}

// TestConfusionAndMacroF1 checks a hand-computed 3-class example:
// gold a a a b b c, pred a a b b c c.
// a: tp 2 fp 0 fn 1 → P 1, R 2/3, F1 0.8
// b: tp 1 fp 1 fn 1 → P 0.5, R 0.5, F1 0.5
// c: tp 1 fp 1 fn 0 → P 0.5, R 1, F1 2/3
func TestConfusionAndMacroF1(t *testing.T) {
	t.Parallel()
	gold := []string{"a", "a", "a", "b", "b", "c"}
	pred := []string{"a", "a", "b", "b", "c", "c"}
	c := NewConfusion(gold, pred)
	want := [][]int{{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}
	if !reflect.DeepEqual(c.Labels, []string{"a", "b", "c"}) || !reflect.DeepEqual(c.Counts, want) {
		t.Fatalf("confusion %v %v", c.Labels, c.Counts)
	}
	pc := c.PerClass()
	wantF1 := []float64{0.8, 0.5, 2.0 / 3}
	for i, s := range pc {
		if !near(s.F1, wantF1[i]) {
			t.Errorf("%s F1 %.4f, want %.4f", s.Class, s.F1, wantF1[i])
		}
	}
	if got := MacroF1(pc); !near(got, (0.8+0.5+2.0/3)/3) {
		t.Errorf("macro-F1 %.4f", got)
	}
	if got := Accuracy(gold, pred); !near(got, 4.0/6) {
		t.Errorf("accuracy %.4f, want 0.6667", got)
	}
}

func TestRecallAtKAndNDCG(t *testing.T) {
	t.Parallel()
	ranks := []int{1, 3, 0, 7}
	for k, want := range map[int]float64{1: 0.25, 5: 0.5, 10: 0.75} {
		if got := RecallAtK(ranks, k); !near(got, want) {
			t.Errorf("recall@%d = %.3f, want %.3f", k, got, want)
		}
	}
	tests := []struct {
		name     string
		rel      []bool
		relevant int
		want     float64
	}{
		{"FirstOfOne", []bool{true, false, false}, 1, 1},
		{"SecondOfOne", []bool{false, true}, 1, 1 / math.Log2(3)},
		// DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3).
		{"FirstAndThirdOfTwo", []bool{true, false, true}, 2, 1.5 / (1 + 1/math.Log2(3))},
		{"NoneFound", []bool{false, false}, 2, 0},
		{"BeyondK", append(make([]bool, 10), true), 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NDCG(tc.rel, tc.relevant, 10); !near(got, tc.want) {
				t.Errorf("nDCG@10 = %.4f, want %.4f", got, tc.want)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	xs := []float64{40, 10, 30, 20, 50} // sorted 10 20 30 40 50
	tests := []struct{ p, want float64 }{{0, 10}, {50, 30}, {95, 48}, {100, 50}, {25, 20}}
	for _, tc := range tests {
		if got := Percentile(xs, tc.p); !near(got, tc.want) {
			t.Errorf("p%.0f = %.2f, want %.2f", tc.p, got, tc.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty percentile")
	}
}

func TestCER(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, hyp, ref string
		want           float64
	}{
		{"Exact", "Cộng hòa", "Cộng hòa", 0},
		{"OneSubstitution", "CØng hòa", "Cộng hòa", 1.0 / 8},
		{"ToneMarkDropped", "Cong hoa", "Cộng hòa", 2.0 / 8},
		{"Empty", "", "", 0},
		{"AllInserted", "abc", "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CER(tc.hyp, tc.ref); !near(got, tc.want) {
				t.Errorf("CER %.4f, want %.4f", got, tc.want)
			}
		})
	}
	if d := InfixDistance([]rune("hòa xã"), []rune("Cộng hòa xã hội")); d != 0 {
		t.Errorf("infix distance %d, want 0", d)
	}
	if d := InfixDistance([]rune("hoa xã"), []rune("Cộng hòa xã hội")); d != 1 {
		t.Errorf("infix distance %d, want 1", d)
	}
}
