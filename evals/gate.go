package evals

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Threshold is one --fail-under rule: suite.metric must not be worse than
// Value (at least Value, or at most Value for a lower-is-better metric).
type Threshold struct {
	Key   string  // "suite.metric"
	Value float64 //
	From  string  // "suite" (its YAML) or "flag"
}

// ParseThreshold reads "suite.metric=value". Ratios may be written as
// percentages ("classification.accuracy=90%").
func ParseThreshold(s string) (Threshold, error) {
	k, v, ok := strings.Cut(s, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok || k == "" || v == "" || !strings.Contains(k, ".") {
		return Threshold{}, fmt.Errorf("ngưỡng %q không hợp lệ, ví dụ classification.accuracy=0.9 (invalid threshold; want suite.metric=value)", s)
	}
	pct := strings.HasSuffix(v, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	if err != nil {
		return Threshold{}, fmt.Errorf("ngưỡng %q: %q không phải là số (not a number)", s, v)
	}
	if pct {
		f /= 100
	}
	return Threshold{Key: k, Value: f, From: "flag"}, nil
}

// Check is one gate decision.
type Check struct {
	Key       string  `json:"key"`  // suite.metric
	Kind      string  `json:"kind"` // threshold | baseline | suite
	Value     float64 `json:"value"`
	Limit     float64 `json:"limit"` // the threshold, or the baseline value
	Tolerance float64 `json:"tolerance,omitempty"`
	Passed    bool    `json:"passed"`
	Message   string  `json:"message"`
}

// Gate is the outcome of the regression gate.
type Gate struct {
	Passed    bool    `json:"passed"`
	Tolerance float64 `json:"tolerance"`
	Checks    []Check `json:"checks"`
}

// Failures returns the failed checks.
func (g *Gate) Failures() []Check {
	var out []Check
	for _, c := range g.Checks {
		if !c.Passed {
			out = append(out, c)
		}
	}
	return out
}

// Summary is one line per failed check (or a pass line).
func (g *Gate) Summary() string {
	f := g.Failures()
	if len(f) == 0 {
		return fmt.Sprintf("cổng hồi quy: ĐẠT, %d kiểm tra (regression gate passed, %d checks)", len(g.Checks), len(g.Checks))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "cổng hồi quy: KHÔNG ĐẠT, %d/%d kiểm tra (regression gate FAILED, %d of %d checks):", len(f), len(g.Checks), len(f), len(g.Checks))
	for _, c := range f {
		b.WriteString("\n  - " + c.Message)
	}
	return b.String()
}

// Evaluate decides the gate for rep: every suite ran (skips pass, with a
// note; errors fail); every threshold of the suites' YAML and of extra
// holds (a flag overrides the YAML for the same key); and, with a
// baseline, no comparable metric is worse than the baseline's by more than
// tolerance (absolute for ratios, relative for other units).
func Evaluate(rep *Report, suites []Suite, extra []Threshold, baseline *Report, tolerance float64) *Gate {
	g := &Gate{Passed: true, Tolerance: tolerance}
	th := map[string]Threshold{}
	for _, s := range suites {
		for m, v := range s.Thresholds {
			th[s.Name+"."+m] = Threshold{Key: s.Name + "." + m, Value: v, From: "suite"}
		}
	}
	for _, t := range extra {
		th[t.Key] = t
	}
	ran := map[string]bool{}
	for _, r := range rep.Suites {
		ran[r.Suite] = true
		if r.Error != "" {
			g.add(Check{Key: r.Suite, Kind: "suite", Message: fmt.Sprintf("%s: bộ đánh giá lỗi (suite failed to run): %s", r.Suite, r.Error)})
		}
	}
	keys := make([]string, 0, len(th))
	for k := range th {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t := th[k]
		suite, metric, _ := strings.Cut(k, ".")
		if !ran[suite] {
			if t.From == "flag" {
				g.add(Check{Key: k, Kind: "threshold", Limit: t.Value, Message: fmt.Sprintf("%s: bộ đánh giá %q không chạy (suite not run)", k, suite)})
			}
			continue
		}
		r := rep.Suite(suite)
		if r.Skipped != "" || r.Error != "" {
			continue
		}
		m, ok := r.Metric(metric)
		if why := r.Unavailable[metric]; !ok && why != "" {
			g.add(Check{Key: k, Kind: "threshold", Limit: t.Value, Passed: true,
				Message: fmt.Sprintf("%s: không đo được ở máy này, bỏ qua (not measured here, skipped): %s", k, why)})
			continue
		}
		if !ok {
			g.add(Check{Key: k, Kind: "threshold", Limit: t.Value, Message: fmt.Sprintf("%s: không có chỉ số này (no such metric)", k)})
			continue
		}
		pass := m.Value >= t.Value
		rel := "≥"
		if m.LowerIsBetter {
			pass, rel = m.Value <= t.Value, "≤"
		}
		c := Check{Key: k, Kind: "threshold", Value: m.Value, Limit: t.Value, Passed: pass}
		c.Message = fmt.Sprintf("%s = %s, ngưỡng (threshold) %s %s", k, format(m.Value, m.Unit), rel, format(t.Value, m.Unit))
		g.add(c)
	}
	if baseline != nil {
		for _, r := range rep.Suites {
			b := baseline.Suite(r.Suite)
			if b == nil || r.Skipped != "" || r.Error != "" || b.Skipped != "" || b.Error != "" {
				continue
			}
			for _, m := range r.Metrics {
				bm, ok := b.Metric(m.Name)
				if !ok || m.Info || bm.Info {
					continue
				}
				worse := bm.Value - m.Value
				if m.LowerIsBetter {
					worse = -worse
				}
				allowed := tolerance
				if m.Unit != "ratio" {
					allowed = tolerance * math.Max(math.Abs(bm.Value), 1e-9)
				}
				c := Check{Key: r.Suite + "." + m.Name, Kind: "baseline", Value: m.Value, Limit: bm.Value, Tolerance: allowed, Passed: worse <= allowed+1e-12}
				c.Message = fmt.Sprintf("%s = %s, mốc so sánh (baseline) %s, chênh (delta) %s, dung sai (tolerance) %s",
					c.Key, format(m.Value, m.Unit), format(bm.Value, m.Unit), delta(m.Value-bm.Value, m.Unit), format(allowed, m.Unit))
				g.add(c)
			}
		}
	}
	return g
}

func (g *Gate) add(c Check) {
	g.Checks = append(g.Checks, c)
	if !c.Passed {
		g.Passed = false
	}
}

// LoadReport reads a JSON report written by WriteJSON (a baseline).
func LoadReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("đọc báo cáo mốc (read baseline): %w", err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("báo cáo mốc %s không hợp lệ (invalid baseline): %w", path, err)
	}
	r.Baseline = nil
	return &r, nil
}

// format renders a metric value in its unit.
func format(v float64, unit string) string {
	switch unit {
	case "ratio":
		return fmt.Sprintf("%.1f%%", 100*v)
	case "ms":
		return fmt.Sprintf("%.0f ms", v)
	case "count":
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
	}
}

func delta(d float64, unit string) string {
	s := format(d, unit)
	if unit == "ratio" {
		s = fmt.Sprintf("%.1f điểm %% (pp)", 100*d)
	}
	if d > 0 {
		return "+" + s
	}
	return s
}
