package classifier_test

import (
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// Matching the papers of a procedure the model was not trained on: the
// title may come after the issuer's name; a form number counts with the
// kind of paper; a law's number is no form code; a paper that is nothing
// but its title goes to review.
func TestUnseenRequirementMatching(t *testing.T) {
	t.Parallel()
	m := classifier.Default()
	reqs := []catalog.Requirement{
		{Key: "giay-bao-tu", Name: "Giấy báo tử của Công an đơn vị, địa phương (mẫu LS1)"},
		{Key: "giay-bao-tu-2", Name: "Giấy báo tử của Công an đơn vị, địa phương (mẫu LS1)"},
		{Key: "phieu-yeu-cau", Name: "Phiếu yêu cầu theo Mẫu số 11c tại Phụ lục (Điều 22 Nghị định số 99/2022/NĐ-CP)"},
		{Key: "ke-khai", Name: "Bản chính hoặc bản sao có chứng thực Kê khai về cơ sở vật chất phục vụ đào tạo"},
		{Key: "dieu-kien", Name: "Các văn bản chứng minh việc đáp ứng điều kiện theo Luật Kinh doanh bất động sản số 29/2023/QH15"},
	}
	body := "\nHọ và tên: Nguyễn Văn Hùng, sinh ngày 02/09/1998\nQuê quán: xã Diễn Châu, tỉnh Nghệ An\nĐơn vị: Phòng Cảnh sát giao thông\nNgày 20 tháng 3 năm 2026\n"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"TitleAfterTheIssuer", "CÔNG AN TỈNH NGHỆ AN\nSố: 07/GBT\nGIẤY BÁO TỬ" + body, "giay-bao-tu"},
		{"CopyWordsBeforeThePaper", "TRƯỜNG CAO ĐẲNG GIAO THÔNG\n\nKÊ KHAI VỀ CƠ SỞ VẬT CHẤT PHỤC VỤ ĐÀO TẠO" + body, "ke-khai"},
		{"FormNumberWithItsKind", "Mẫu số 11c\nPHIẾU YÊU CẦU CẤP BẢN SAO VĂN BẢN CHỨNG NHẬN ĐĂNG KÝ" + body, "phieu-yeu-cau"},
		{"FormNumberOfAnotherKind", "Mẫu số 11c\nĐƠN XIN XÁC NHẬN" + body, dossier.TypeUnknown},
		{"LawNumberIsNoFormCode", "HỒ SƠ NĂNG LỰC\nLuật số 29/2023/QH15" + body, dossier.TypeUnknown},
		{"TitleOnly", "GIẤY BÁO TỬ\n", dossier.TypeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := m.Classify(classifier.Input{Text: tc.text}, reqs, 0.55)
			if r.Requirement != tc.want || (tc.want == dossier.TypeUnknown) != r.NeedsReview {
				t.Fatalf("→ %s (%.2f, review %v) %q", r.Requirement, r.Confidence, r.NeedsReview, r.Evidence)
			}
		})
	}
}
