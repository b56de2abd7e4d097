package classifier_test

import (
	"fmt"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
)

func ExampleModel_Classify() {
	reqs := []catalog.Requirement{
		{Key: "to-khai", Name: "Tờ khai đăng ký khai sinh theo mẫu quy định"},
		{Key: "giay-chung-sinh", Name: "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh"},
	}
	text := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTỜ KHAI ĐĂNG KÝ KHAI SINH\n" +
		"Họ, chữ đệm, tên người yêu cầu: Lê Thị Mai\nĐề nghị cơ quan đăng ký khai sinh cho người dưới đây:\n" +
		"Họ, chữ đệm, tên: Lê Minh An\nNgày, tháng, năm sinh: 01/01/2026\n"
	r := classifier.Default().Classify(classifier.Input{Filename: "to-khai.pdf", Text: text}, reqs, 0.7)
	fmt.Println(r.Requirement, r.DocType, r.NeedsReview, r.Evidence[0])
	// Output: to-khai to_khai_khai_sinh false tiêu đề (title): TỜ KHAI ĐĂNG KÝ KHAI SINH
}
