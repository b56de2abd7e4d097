package embedding

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// ppmiCorpus has two topics whose words never meet in one text, and
// texts where "bỏ vợ" appears only beside ly hôn's words.
func ppmiCorpus() []string {
	rng := rand.New(rand.NewPCG(3, 4))
	a := strings.Fields("ly hôn thuận tình tòa án vợ chồng con chung tài sản chia cấp dưỡng nuôi con")
	b := strings.Fields("thuế thu nhập khấu trừ quyết toán kê khai nộp thuế hoàn thuế hóa đơn doanh thu")
	var out []string
	for i := 0; i < 400; i++ {
		src := a
		if i%2 == 1 {
			src = b
		}
		w := make([]string, 20)
		for j := range w {
			w[j] = src[rng.IntN(len(src))]
		}
		if i%2 == 0 && i%6 == 0 {
			w = append(w, "bỏ", "vợ")
		}
		out = append(out, strings.Join(w, " "))
	}
	for i := 0; i < 60; i++ {
		out = append(out, fmt.Sprintf("mục %d khoản %d điều %d", i, i%7, i%11))
	}
	return out
}

func cos(a, b []float32) float64 {
	var d float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
	}
	return d
}

func TestPPMIBridgesWordsThatShareContexts(t *testing.T) {
	ctx := context.Background()
	p, err := TrainPPMI(ctx, ppmiCorpus(), PPMIOptions{Dim: 16, MinDF: 2})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := p.Embed(ctx, []string{"bỏ vợ", "thuận tình ly hôn", "quyết toán thuế thu nhập"})
	for _, x := range v {
		var n float64
		for _, y := range x {
			n += float64(y) * float64(y)
		}
		if math.Abs(n-1) > 1e-4 {
			t.Fatalf("not a unit vector: |v|² = %v", n)
		}
	}
	if same, other := cos(v[0], v[1]), cos(v[0], v[2]); same <= other+0.2 {
		t.Fatalf("cos(bỏ vợ, ly hôn) = %.3f, cos(bỏ vợ, thuế) = %.3f: no bridge", same, other)
	}
	if !strings.HasPrefix(p.Name(), "local-ppmi-svd-16-") || !strings.HasSuffix(p.Name(), "-v1") {
		t.Fatalf("name %q", p.Name())
	}
	// Same texts, same model; stored and loaded, same name and vectors.
	p2, err := TrainPPMI(ctx, ppmiCorpus(), PPMIOptions{Dim: 16, MinDF: 2})
	if err != nil {
		t.Fatal(err)
	}
	if p2.Name() != p.Name() {
		t.Fatalf("not deterministic: %s vs %s", p.Name(), p2.Name())
	}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	p3, err := LoadPPMI(b)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := p3.Embed(ctx, []string{"bỏ vợ"})
	if p3.Name() != p.Name() || cos(w[0], v[0]) < 0.9999 {
		t.Fatalf("round trip changed the model: %s vs %s", p3.Name(), p.Name())
	}
	if _, err := LoadPPMI(b[:len(b)/2]); err == nil {
		t.Fatal("a truncated model loaded")
	}
	z, _ := p.Embed(ctx, []string{"xyz"})
	if cos(z[0], z[0]) != 0 {
		t.Fatal("unknown words gave a vector")
	}
}
