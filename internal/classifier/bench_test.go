package classifier_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/pdftext"
)

// BenchmarkClassify reports classified documents per second on one core
// (run with -cpu 1): the labelled set, each against its procedure.
func BenchmarkClassify(b *testing.B) {
	ex := examples(labelled(b), "")
	m := classifier.Default()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		e := ex[i%len(ex)]
		m.Classify(e.Input, e.Requirements, 0.6)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s/core")
	// On a shared machine wall time overstates the cost; CPU time per
	// document is the figure to plan capacity with.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/doc")
}

// BenchmarkTrain measures training from scratch (what go generate runs).
func BenchmarkTrain(b *testing.B) {
	train, calib := trainingCorpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := classifier.Train(train, classifier.TrainOptions{})
		m.FitTemperature(calib)
	}
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkClassifySamples classifies the documents of the sample dossiers
// (data/dossiers, what make bench submits; PDF text layers read in process)
// against their procedures' requirements: one op is every document once.
func BenchmarkClassifySamples(b *testing.B) {
	type sample struct {
		Procedure string   `yaml:"procedure"`
		Files     []string `yaml:"files"`
	}
	labelled(b) // sets root
	dir := filepath.Join(root, "data", "dossiers")
	raw, err := os.ReadFile(filepath.Join(dir, "dossiers.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	var ss []sample
	if err := yaml.Unmarshal(raw, &ss); err != nil {
		b.Fatal(err)
	}
	// The requirements the service classifies against: the catalog's
	// parse of data/procedures, as imported.
	procs := map[string][]catalog.Requirement{}
	pl, err := os.ReadFile(filepath.Join(root, "data", "procedures", "procedures.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(pl)), "\n") {
		if p, err := catalog.ParseNational([]byte(l)); err == nil {
			procs[p.Code] = p.Requirements
		}
	}
	type doc struct {
		in   classifier.Input
		reqs []catalog.Requirement
	}
	var docs []doc
	for _, s := range ss {
		for _, f := range s.Files {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				b.Fatal(err)
			}
			text := string(data)
			if strings.HasSuffix(f, ".pdf") {
				d, err := pdftext.Extract(data, pdftext.Limits{})
				if err != nil {
					continue // the corrupt sample
				}
				text = d.Text()
			}
			docs = append(docs, doc{classifier.Input{Filename: f, Text: text}, procs[s.Procedure]})
		}
	}
	m := classifier.Default()
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for b.Loop() {
		cpu0 := cpuTime()
		for _, d := range docs {
			m.Classify(d.in, d.reqs, 0.6)
		}
		cpu += cpuTime() - cpu0
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(docs)), "µs/doc")
	// On a shared machine wall time overstates the cost: the process's
	// CPU time (GC included) per document is the figure to compare.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*len(docs)), "cpu-µs/doc")
}
