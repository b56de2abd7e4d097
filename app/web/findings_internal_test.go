package web

import (
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/dossier"
)

func TestArrangeFindingsForTheCounter(t *testing.T) {
	t.Parallel()
	in := []dossier.Finding{
		{Key: "a", Status: dossier.FindingNotApplicable},
		{Key: "b", Status: dossier.FindingPresent},
		{Key: "c", Status: dossier.FindingSatisfiedByReuse},
		{Key: "d", Status: dossier.FindingNotApplicable},
		{Key: "e", Status: dossier.FindingInvalid},
		{Key: "f", Status: dossier.FindingMissing},
		{Key: "g", Status: dossier.FindingNeedsReview},
		{Key: "h", Status: dossier.FindingPresent},
	}
	shown, na := arrangeFindings(in)
	var keys []string
	for _, f := range shown {
		keys = append(keys, f.Key)
	}
	if got := strings.Join(keys, ""); got != "fgebhc" {
		t.Errorf("order = %s, want fgebhc (missing, needs review, invalid, present in report order, reused)", got)
	}
	if len(na) != 2 || na[0].Key != "a" || na[1].Key != "d" {
		t.Errorf("not applicable = %+v", na)
	}
}

func TestDedupeCitationsPerArticle(t *testing.T) {
	t.Parallel()
	one := 1
	clean := dossier.Citation{Document: "60/2014/QH13", Title: "Luật Hộ tịch", Article: 16, Clause: &one, Text: "Người đi đăng ký khai sinh nộp tờ khai theo mẫu quy định.", Score: 0.5}
	ocr := dossier.Citation{Document: "60/2014/QH13", Title: "Luật Hộ tịch (bản quét)", Article: 16, Text: "Ngườ¡ đ¡ đăng ký kha¡ s¡nh nộp tờ kha¡ ©", Score: 0.9}
	other := dossier.Citation{Document: "123/2015/NĐ-CP", Article: 9, Text: "Giấy tờ nộp."}
	got := dedupeCitations([]dossier.Citation{ocr, other, clean})
	if len(got) != 2 {
		t.Fatalf("citations = %+v, want one per article", got)
	}
	if got[0].Text != clean.Text || len(got[0].Also) != 1 || got[0].Also[0] != "Luật Hộ tịch (bản quét)" {
		t.Errorf("kept %q also %v, want the clean text, also in the scanned copy", got[0].Text, got[0].Also)
	}
}

func TestLocalTextDropsEnglishGlosses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, vi string }{
		{"Chỉ yêu cầu khi: có con chung (conditional; the dossier is not in this case)", "Chỉ yêu cầu khi: có con chung"},
		{"Giấy tờ phải xuất trình, không phải nộp; cán bộ kiểm tra khi tiếp nhận (to be shown, not submitted)", "Giấy tờ phải xuất trình, không phải nộp; cán bộ kiểm tra khi tiếp nhận"},
		{"Có thể còn thiếu: X (áp dụng cho trường hợp: Y; cán bộ xác nhận — case inferred from the other documents)", "Có thể còn thiếu: X (áp dụng cho trường hợp: Y; cán bộ xác nhận)"},
		{"Thẻ căn cước (CCCD) của NGUYEN VAN A (Nguyen Van A)", "Thẻ căn cước (CCCD) của NGUYEN VAN A (Nguyen Van A)"},
	} {
		if got := localText("vi", tc.in); got != tc.vi {
			t.Errorf("localText(vi, %q) = %q, want %q", tc.in, got, tc.vi)
		}
		if got := localText("en", tc.in); got != tc.in {
			t.Errorf("English keeps the text: %q", got)
		}
	}
}
