package evals

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/classifier"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

func TestHarvestRedaction(t *testing.T) {
	t.Parallel()
	d := dossier.Dossier{ApplicantID: "001090012345"}
	docs := []store.Document{{Document: dossier.Document{Fields: []dossier.Field{{Name: "full_name", Value: "Trần Minh An"}}}}}
	red := redactorFor(d, docs)
	in := "Họ tên: TRẦN MINH AN\nCCCD 001090012345, MST 0101234567\nNgười làm đơn\nĐỗ Minh Tuấn\nKính gửi: Ủy ban nhân dân phường"
	out := red(in)
	for _, leak := range []string{"TRẦN MINH AN", "001090012345", "0101234567", "Đỗ Minh Tuấn"} {
		if strings.Contains(out, leak) {
			t.Errorf("%q left in:\n%s", leak, out)
		}
	}
	if !strings.Contains(out, "Kính gửi: Ủy ban nhân dân phường") || !strings.Contains(out, "Người làm đơn") {
		t.Errorf("redacted too much:\n%s", out)
	}
}

// TestSuitesReadHarvest: the classification and completeness suites read
// harvested corrections as their own, separate metrics.
func TestSuitesReadHarvest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lines := []Harvested{
		{Set: "harvest", Kind: dossier.CorrectDocumentType, ID: "h1", Procedure: "1.001193", Label: "giay-chung-sinh", Auto: "other",
			Filename: "giay-chung-sinh.pdf", Text: strings.Repeat("GIẤY CHỨNG SINH Họ và tên mẹ: [HỌ_TÊN_1] Ngày sinh của con, cân nặng 3,2 kg, nơi sinh Bệnh viện Phụ sản. ", 3),
			Requirements: []HarvestReq{{Key: "giay-chung-sinh", Name: "Giấy chứng sinh"}, {Key: "to-khai", Name: "Tờ khai đăng ký khai sinh"}}},
		{Set: "harvest", Kind: dossier.CorrectCase, ID: "h2", Label: "(1.7) Đối với công trình nhà ở riêng lẻ", Auto: ""},
		{Set: "harvest", Kind: dossier.CorrectFinding, ID: "h3", Label: "not_applicable", Auto: "missing", Finding: "req:x"},
		{Set: "harvest", Kind: dossier.CorrectFinding, ID: "h4", Label: "present", Auto: "present", Finding: "req:y"},
	}
	var b strings.Builder
	for _, h := range lines {
		j, _ := json.Marshal(h)
		b.Write(append(j, '\n'))
	}
	if err := os.WriteFile(filepath.Join(dir, "h.jsonl"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	x := &Env{Options: Options{Root: dir}}
	s := Suite{Params: map[string]any{"harvest": "h.jsonl"}}
	var r Result
	if err := addHarvestClassify(x, s, classifier.Default(), 0.5, &r); err != nil {
		t.Fatal(err)
	}
	if err := addHarvestCompleteness(x, s, &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, m := range r.Metrics {
		if !strings.HasPrefix(m.Name, "harvest_") || !m.Info {
			t.Errorf("metric %s is not a separate, informational harvest metric", m.Name)
		}
		got[m.Name] = m.Value
	}
	want := map[string]float64{"harvest_document_type_examples": 1, "harvest_document_type_agreement": 0,
		"harvest_case_examples": 1, "harvest_case_agreement": 0, "harvest_finding_examples": 2, "harvest_finding_agreement": 0.5}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
	if _, ok := got["harvest_document_type_accuracy"]; !ok {
		t.Errorf("no harvest_document_type_accuracy: %v", got)
	}
	// No file: no harvest metrics, and no error.
	var empty Result
	if err := addHarvestCompleteness(x, Suite{Params: map[string]any{"harvest": "none.jsonl"}}, &empty); err != nil || len(empty.Metrics) != 0 {
		t.Fatalf("missing file: %v %v", err, empty.Metrics)
	}
}
