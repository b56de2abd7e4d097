package doctext

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtractSandboxed measures whole-document extraction of the
// text-layer PDFs in data/pdfs through the sandbox (a process start per
// document) against the same work in-process, as pages per second; the
// ratio is the price of isolation.
func BenchmarkExtractSandboxed(b *testing.B) {
	var files [][]byte
	for _, n := range []string{"tt-02-2021-TT-BTC-phi-kiem-dinh-pccc.pdf", "to-khai-can-cuoc-cong-dan-mau-CC01.pdf"} {
		data, err := os.ReadFile(filepath.Join("../../data/pdfs", n))
		if err != nil {
			b.Skip(err)
		}
		files = append(files, data)
	}
	for _, mode := range []struct {
		name      string
		inProcess bool
	}{{"Sandbox", false}, {"InProcess", true}} {
		b.Run(mode.name, func(b *testing.B) {
			o := DefaultOptions()
			o.OCR, o.InProcess = false, mode.inProcess
			x := New(o, nil)
			pages := 0
			for b.Loop() {
				for _, data := range files {
					res, err := x.Extract(context.Background(), "f.pdf", data)
					if err != nil || res.Status != StatusOK {
						b.Fatalf("%v %s", err, res.Error)
					}
					pages += len(res.Pages)
				}
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
			b.ReportMetric(float64(b.N*len(files))/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
