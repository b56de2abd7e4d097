package evals

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

func repoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..")
}

func report(suite string, ms ...Metric) *Report {
	return &Report{Suites: []Result{{Suite: suite, Metrics: ms}}}
}

func TestGate(t *testing.T) {
	t.Parallel()
	acc := func(v float64) Metric { return Metric{Name: "accuracy", Value: v, Unit: "ratio"} }
	cer := func(v float64) Metric { return Metric{Name: "cer", Value: v, Unit: "ratio", LowerIsBetter: true} }
	lat := func(v float64) Metric {
		return Metric{Name: "latency", Value: v, Unit: "ms", LowerIsBetter: true, Info: true}
	}
	suites := []Suite{{Name: "s", Thresholds: map[string]float64{"accuracy": 0.9}}}
	tests := []struct {
		name     string
		rep      *Report
		extra    []string
		baseline *Report
		pass     bool
	}{
		{"AboveThreshold", report("s", acc(0.95)), nil, nil, true},
		{"BelowThreshold", report("s", acc(0.85)), nil, nil, false},
		{"FlagOverridesSuite", report("s", acc(0.85)), []string{"s.accuracy=80%"}, nil, true},
		{"LowerIsBetterOverLimit", report("s", acc(0.95), cer(0.03)), []string{"s.cer=0.02"}, nil, false},
		{"UnknownMetricFlag", report("s", acc(0.95)), []string{"s.nope=1"}, nil, false},
		{"WithinTolerance", report("s", acc(0.945)), nil, report("s", acc(0.95)), true},
		{"WorseThanBaseline", report("s", acc(0.93)), nil, report("s", acc(0.95)), false},
		{"LowerIsBetterImproved", report("s", acc(0.95), cer(0.01)), nil, report("s", acc(0.95), cer(0.02)), true},
		{"InfoMetricsNotCompared", report("s", acc(0.95), lat(900)), nil, report("s", acc(0.95), lat(100)), true},
		{"SuiteError", &Report{Suites: []Result{{Suite: "s", Error: "boom"}}}, nil, nil, false},
		// A metric whose data is absent on this machine is reported, not
		// failed; one that is simply missing fails.
		{"MetricUnavailableHere", &Report{Suites: []Result{{Suite: "s", Unavailable: map[string]string{"accuracy": "no shared data"}}}}, nil, nil, true},
		{"MetricMissing", &Report{Suites: []Result{{Suite: "s"}}}, nil, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var extra []Threshold
			for _, e := range tc.extra {
				th, err := ParseThreshold(e)
				if err != nil {
					t.Fatal(err)
				}
				extra = append(extra, th)
			}
			g := Evaluate(tc.rep, suites, extra, tc.baseline, 0.01)
			if g.Passed != tc.pass {
				t.Errorf("passed = %v, want %v:\n%s", g.Passed, tc.pass, g.Summary())
			}
		})
	}
	if _, err := ParseThreshold("accuracy"); err == nil {
		t.Error("threshold without suite and value accepted")
	}
}

// TestGateCatchesDeliberateRegression makes a deliberate regression — a
// pipeline definition whose classify_min_confidence is raised from 0.55 to
// 0.99, so most documents stop being decided automatically — and checks
// that the gate, given the default pipeline's report as the baseline,
// fails on the classification suite, and that the reports render.
func TestGateCatchesDeliberateRegression(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	all, err := LoadSuites(filepath.Join(root, "evals", "suites"))
	if err != nil {
		t.Fatal(err)
	}
	suites, err := Select(all, "classification")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	base, err := Run(ctx, Options{Root: root}, suites)
	if err != nil {
		t.Fatal(err)
	}
	if g := Evaluate(base, suites, nil, nil, 0.01); !g.Passed {
		t.Fatalf("default pipeline fails its own gate:\n%s", g.Summary())
	}
	def := strings.Replace(string(pipelinedef.DefaultYAML()), "classify_min_confidence: 0.55", "classify_min_confidence: 0.99", 1)
	if !strings.Contains(def, "0.99") {
		t.Fatal("default definition no longer has classify_min_confidence: 0.55")
	}
	path := filepath.Join(t.TempDir(), "degraded.yaml")
	if err := os.WriteFile(path, []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	cur, err := Run(ctx, Options{Root: root, PipelinePath: path}, suites)
	if err != nil {
		t.Fatal(err)
	}
	cur.Baseline = base
	g := Evaluate(cur, suites, nil, base, 0.01)
	cur.Gate = g
	if g.Passed {
		t.Fatalf("the gate passed a degraded classifier threshold:\n%s", g.Summary())
	}
	found := false
	for _, c := range g.Failures() {
		if c.Key == "classification.automatic_share" {
			found = true
		}
	}
	if !found {
		t.Errorf("automatic_share not among the failures:\n%s", g.Summary())
	}
	t.Log(g.Summary())
	var html, md, js bytes.Buffer
	if err := WriteHTML(&html, cur); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, cur); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, cur); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "KHÔNG ĐẠT", "num worse", "Ma trận nhầm lẫn"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if strings.Contains(html.String(), "<script") || strings.Contains(html.String(), "http://") && !strings.Contains(html.String(), "http://www.w3.org/2000/svg") {
		t.Error("HTML report fetches or runs something external")
	}
	if !strings.Contains(md.String(), "| classification |") {
		t.Errorf("markdown lacks the table:\n%s", md.String())
	}
}

func TestLoadSuites(t *testing.T) {
	t.Parallel()
	all, err := LoadSuites(filepath.Join(repoRoot(t), "evals", "suites"))
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]bool{}
	for _, s := range all {
		stages[s.Runner] = true
	}
	for _, r := range RunnerNames() {
		if !stages[r] {
			t.Errorf("no suite uses runner %s", r)
		}
	}
	if _, err := Select(all, "nope"); err == nil {
		t.Error("unknown suite selected")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.yaml"), []byte("name: x\nrunner: nope\n"), 0o644)
	if _, err := LoadSuites(dir); err == nil {
		t.Error("unknown runner accepted")
	}
	_ = pipelinedef.DefaultYAML
}
