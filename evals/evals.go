// Package evals runs hoso's offline evaluation suites and answers three
// questions an evaluator asks: how accurate this pipeline version is, where
// it fails, and whether it is better than the previous one.
//
// A suite is a YAML file in evals/suites (see README.md): which runner
// measures it (catalog, regulation, citations, extraction, classify,
// fields, completeness, e2e, injection), the runner's parameters, and the
// thresholds that gate it. Run executes suites and returns a Report with
// every metric, per-class scores, confusion matrices and the worst cases;
// report.go renders it as HTML (inline SVG charts, no network), JSON and
// Markdown, and gate.go decides whether a run passes against thresholds and
// a baseline report.
//
// Everything runs offline: local models, the real PostgreSQL in a schema of
// its own (dropped afterwards), an embedded NATS server, and labelled data
// that the models were not trained on (the test split of evals/documents,
// the generated dossiers of evals/dossiergen, the hand-made question and
// gold sets).
package evals

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/hoso-vn/hoso/internal/catalog"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

// Suite is one evaluation suite as declared in evals/suites/*.yaml.
type Suite struct {
	Name        string `yaml:"name" json:"name"`
	Title       string `yaml:"title" json:"title"`                 // Vietnamese first, then English
	Stage       string `yaml:"stage" json:"stage"`                 // catalog, regulation, extract, classify, check, e2e, llm
	Runner      string `yaml:"runner" json:"runner"`               // which Go runner measures it
	Description string `yaml:"description" json:"description"`     // what it measures and on which data
	Requires    string `yaml:"requires,omitempty" json:"requires"` // "db" when it needs PostgreSQL
	// Params are the runner's parameters (paths are relative to the
	// repository root).
	Params map[string]any `yaml:"params" json:"params,omitempty"`
	// Thresholds gate the suite: metric name → least acceptable value (or
	// greatest, for a metric where lower is better).
	Thresholds map[string]float64 `yaml:"thresholds" json:"thresholds,omitempty"`

	File string `yaml:"-" json:"file"`
}

// LoadSuites reads every *.yaml in dir, sorted by file name. Unknown fields
// and unknown runners are errors.
func LoadSuites(dir string) ([]Suite, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Suite
	seen := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read suite: %w", err)
		}
		var s Suite
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&s); err != nil {
			return nil, fmt.Errorf("suite %s: %w", f, err)
		}
		s.File = f
		if s.Name == "" {
			return nil, fmt.Errorf("suite %s: field name is required", f)
		}
		if _, ok := runners[s.Runner]; !ok {
			return nil, fmt.Errorf("suite %s: unknown runner %q (known: %s)", f, s.Runner, strings.Join(RunnerNames(), ", "))
		}
		if prev, dup := seen[s.Name]; dup {
			return nil, fmt.Errorf("suite %s: name %q already used by %s", f, s.Name, prev)
		}
		seen[s.Name] = f
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no suite in %s", dir)
	}
	return out, nil
}

// Select returns the suites named by arg: "all", one name, or a
// comma-separated list.
func Select(all []Suite, arg string) ([]Suite, error) {
	if arg == "" || arg == "all" {
		return all, nil
	}
	var out []Suite
	for _, n := range strings.Split(arg, ",") {
		n = strings.TrimSpace(n)
		found := false
		for _, s := range all {
			if s.Name == n {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			var names []string
			for _, s := range all {
				names = append(names, s.Name)
			}
			return nil, fmt.Errorf("không có bộ đánh giá %q (no suite %q; known: %s)", n, n, strings.Join(names, ", "))
		}
	}
	return out, nil
}

// Metric is one figure of a suite.
type Metric struct {
	Name  string  `json:"name"`
	Label string  `json:"label"` // Vietnamese (English)
	Value float64 `json:"value"`
	// Unit is "ratio" (0..1, shown as %), "ms", "count" or "per_dossier".
	Unit string `json:"unit"`
	// LowerIsBetter for error rates, latencies and costs.
	LowerIsBetter bool `json:"lower_is_better,omitempty"`
	// Info marks figures that describe the run (sizes, latencies on a
	// shared machine) and are never compared with a baseline.
	Info bool `json:"info,omitempty"`
}

// ClassScore is precision, recall and F1 of one class.
type ClassScore struct {
	Class     string  `json:"class"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Case is one failure worth reading: what was expected, what came out.
type Case struct {
	ID     string  `json:"id"`
	Want   string  `json:"want,omitempty"`
	Got    string  `json:"got,omitempty"`
	Detail string  `json:"detail,omitempty"`
	Score  float64 `json:"score,omitempty"` // the case's badness or confidence, for sorting
}

// Result is what one suite measured.
type Result struct {
	Suite       string       `json:"suite"`
	Title       string       `json:"title"`
	Stage       string       `json:"stage"`
	Description string       `json:"description"`
	N           int          `json:"n"` // cases evaluated
	Metrics     []Metric     `json:"metrics"`
	PerClass    []ClassScore `json:"per_class,omitempty"`
	Confusion   *Confusion   `json:"confusion,omitempty"`
	Worst       []Case       `json:"worst,omitempty"`
	Notes       []string     `json:"notes,omitempty"`
	Skipped     string       `json:"skipped,omitempty"` // why the suite did not run
	// Unavailable names metrics the suite could not measure here, and why
	// (their data is absent); the gate reports them instead of failing.
	Unavailable map[string]string `json:"unavailable,omitempty"`
	Error       string            `json:"error,omitempty"`
	Duration    time.Duration     `json:"duration_ns"`
}

// Metric returns the named metric.
func (r *Result) Metric(name string) (Metric, bool) {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

func (r *Result) add(name, label string, v float64, unit string, opts ...string) {
	m := Metric{Name: name, Label: label, Value: v, Unit: unit}
	for _, o := range opts {
		switch o {
		case "lower":
			m.LowerIsBetter = true
		case "info":
			m.Info = true
		}
	}
	r.Metrics = append(r.Metrics, m)
}

// unavailable records that metrics could not be measured, and why.
func (r *Result) unavailable(why string, metrics ...string) {
	if r.Unavailable == nil {
		r.Unavailable = map[string]string{}
	}
	for _, m := range metrics {
		r.Unavailable[m] = why
	}
}

func (r *Result) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// Report is one evaluation run.
type Report struct {
	Tool        string    `json:"tool"`
	GeneratedAt time.Time `json:"generated_at"`
	Pipeline    string    `json:"pipeline"` // name@version of the definition
	PipelineSHA string    `json:"pipeline_sha256"`
	GoVersion   string    `json:"go_version"`
	Host        string    `json:"host"`
	Full        bool      `json:"full"`
	Suites      []Result  `json:"suites"`
	Gate        *Gate     `json:"gate,omitempty"`
	// Baseline is the report compared against, when one was given.
	Baseline *Report `json:"baseline,omitempty"`
}

// Suite returns the result of the named suite.
func (r *Report) Suite(name string) *Result {
	for i := range r.Suites {
		if r.Suites[i].Suite == name {
			return &r.Suites[i]
		}
	}
	return nil
}

// Options configure Run.
type Options struct {
	Root       string // repository root
	SharedData string // shared/data directory; "" when absent
	// PipelinePath is the pipeline definition file (--pipeline); "" is
	// the embedded default. Definition is loaded from it by Run.
	PipelinePath string
	Definition   *pipelinedef.Definition
	// InProcessExtract parses PDFs without the sandbox (tests only).
	InProcessExtract bool
	// DatabaseURL is the PostgreSQL server the DB-backed suites use; they
	// create a schema of their own and drop it afterwards.
	DatabaseURL string
	// KeepSchema keeps that schema for inspection (HOSO_EVAL_KEEP_SCHEMA).
	KeepSchema bool
	// Full runs the e2e suite on every generated dossier, not the seeded
	// subset.
	Full bool
	// Progress receives a progress bar (stderr); nil: none.
	Progress io.Writer
	Log      *slog.Logger
	// CatalogReader, when set, is a model that reads procedures' component
	// texts (service.CatalogReader): the catalog_structure suite scores
	// its reading beside the rules'. Nil: rules only.
	CatalogReader catalog.StructureReader
}

// runner measures one suite.
type runner func(ctx context.Context, x *Env, s Suite, r *Result) error

var runners = map[string]runner{}

func register(name string, f runner) { runners[name] = f }

// RunnerNames lists the runners a suite may name.
func RunnerNames() []string {
	var out []string
	for k := range runners {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Run runs suites in order. A suite that fails to run records its error in
// its Result (and fails the gate); Run itself fails only on cancellation.
func Run(ctx context.Context, o Options, suites []Suite) (*Report, error) {
	if o.Definition == nil {
		d, err := pipelinedef.Load(o.PipelinePath)
		if err != nil {
			return nil, err
		}
		o.Definition = d
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	host, _ := os.Hostname()
	rep := &Report{Tool: "hoso eval", GeneratedAt: time.Now().UTC().Truncate(time.Second), Pipeline: o.Definition.Label(),
		PipelineSHA: o.Definition.Hash, GoVersion: runtime.Version(), Host: host, Full: o.Full}
	x := newEnv(o)
	defer x.Close()
	bar := newBar(o.Progress, len(suites), "đánh giá / evaluating")
	for _, s := range suites {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		bar.Describe(fmt.Sprintf("đánh giá / evaluating %-14s", s.Name))
		res := Result{Suite: s.Name, Title: s.Title, Stage: s.Stage, Description: strings.TrimSpace(s.Description)}
		start := time.Now()
		err := runners[s.Runner](ctx, x, s, &res)
		res.Duration = time.Since(start)
		var skip skipError
		switch {
		case errors.As(err, &skip):
			res.Skipped = skip.reason
		case err != nil:
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
			res.Error = err.Error()
			o.Log.Error("eval suite failed", "suite", s.Name, "err", err)
		}
		sort.SliceStable(res.Worst, func(i, j int) bool { return res.Worst[i].Score > res.Worst[j].Score })
		if len(res.Worst) > maxWorst {
			res.note("%d trường hợp sai, hiển thị %d tệ nhất (%d failures, showing the worst %d)", len(res.Worst), maxWorst, len(res.Worst), maxWorst)
			res.Worst = res.Worst[:maxWorst]
		}
		rep.Suites = append(rep.Suites, res)
		_ = bar.Add(1)
	}
	_ = bar.Finish()
	return rep, nil
}

// maxWorst is how many failures a suite lists.
const maxWorst = 25

// skipError marks a suite that cannot run on this machine (for example,
// shared/data is absent); it is reported, not failed.
type skipError struct{ reason string }

func (e skipError) Error() string { return "skipped: " + e.reason }

func skip(format string, args ...any) error { return skipError{fmt.Sprintf(format, args...)} }

// param helpers read a suite's parameters with defaults.
func paramString(s Suite, k, def string) string {
	if v, ok := s.Params[k].(string); ok && v != "" {
		return v
	}
	return def
}

func paramInt(s Suite, k string, def int) int {
	switch v := s.Params[k].(type) {
	case int:
		return v
	case float64:
		return int(v)
	}
	return def
}

func paramFloat(s Suite, k string, def float64) float64 {
	switch v := s.Params[k].(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	return def
}

func paramStrings(s Suite, k string) []string {
	raw, _ := s.Params[k].([]any)
	var out []string
	for _, v := range raw {
		if str, ok := v.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

// path resolves a repository-relative path.
func (x *Env) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(x.Root, p)
}

// RepoRoot walks up from dir to the directory holding go.mod.
func RepoRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		d = parent
	}
}

// SharedDataDir finds shared/data: HOSO_SHARED_DATA-style explicit dir, or
// ../shared/data beside the repository; "" when absent.
func SharedDataDir(root, explicit string) string {
	for _, d := range []string{explicit, filepath.Join(root, "..", "shared", "data")} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}
