package classifier_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/classifier"
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
