package evals

import (
	"strings"
	"testing"

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
