package fields

import (
	"strings"
	"testing"
)

// khaiTu is a tờ khai đăng ký khai tử filled in on the real template
// (data/forms/56_TK_DK_khai_tu.txt): the filer, then the deceased under a
// bare "Họ, chữ đệm, tên".
const khaiTu = `TỜ KHAI ĐĂNG KÝ KHAI TỬ

Kính gửi: (1)	 Ủy ban nhân dân phường Hạc Thành
Họ, chữ đệm, tên người yêu cầu:  Lê Ngọc Mai
Ngày, tháng, năm sinh: 	 15/11/1981
Nơi cư trú: (2)	 Số 20, phố Điện Biên Phủ, phường Hạc Thành, tỉnh Thanh Hóa
	
Giấy tờ tùy thân: (3) 	 Thẻ căn cước số 038181402768
	
Quan hệ với người đã chết: Con
Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây: 
Họ, chữ đệm, tên: 	 Ngô Công Anh
Ngày, tháng, năm sinh: 	 17/11/1946
Giới tính: (2)  Nam Dân tộc: (2) Kinh  Quốc tịch: (2)	 Việt Nam
Giấy tờ tùy thân: (3)  Thẻ căn cước số 038046685411
	Người yêu cầu
(Ký, ghi rõ họ, chữ đệm, tên)
`

// khaiTuPDF is khaiTu as the PDF's text layer reads it (pdftotext): the
// values the template indents with tabs stand on a line of their own.
const khaiTuPDF = "TỜ KHAI ĐĂNG KÝ KHAI TỬ\nKính gửi: (1) Ủy ban nhân dân phường Vinh Phú\nHọ, chữ đệm, tên người yêu cầu: Ngô Văn Tuấn\n" +
	"Ngày, tháng, năm sinh:\n\n07/06/1991\n\nNơi cư trú: (2) Số 105, phố Hoàng Hoa Thám, phường Vinh Phú, tỉnh Nghệ An\nGiấy tờ tùy thân: (3)\n\n" +
	"Thẻ căn cước số 040091689718\n\nQuan hệ với người đã chết: Con\nĐề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:\nHọ, chữ đệm, tên:\n\n" +
	"Phạm Công Bình\n\nNgày, tháng, năm sinh:\n\n19/10/1940\n\nGiới tính: (2) Nam Dân tộc: (2) Kinh Quốc tịch: (2) Việt Nam\n" +
	"Giấy tờ tùy thân: (3) Thẻ căn cước số 040040028730\n"

// ketHon is a tờ khai đăng ký kết hôn: each spouse's name, then their
// date of birth and identity paper.
const ketHon = `TỜ KHAI ĐĂNG KÝ KẾT HÔN
Kính gửi: Ủy ban nhân dân phường Ninh Kiều
Thông tin | Bên nữ | Bên nam
Họ, chữ đệm, tên bên nữ: Phan Mai Hương
Ngày, tháng, năm sinh: 03/05/1999
Giấy tờ tùy thân: Thẻ căn cước số 092199753692
Họ, chữ đệm, tên bên nam: Lý Xuân Dũng
Ngày, tháng, năm sinh: 21/09/1972
Giấy tờ tùy thân: Thẻ căn cước số 092072861156
Bên nữ          Bên nam
Phan Mai Hương          Lý Xuân Dũng
`

// TestPeopleOnCivilStatusForms: on the civil-status forms hoso has no
// table for, the filer ("người yêu cầu") and the spouses ("bên nữ", "bên
// nam") are read with the date of birth and ID number under their name,
// which tie the form to their identity cards; the deceased's particulars,
// under a bare name, are nobody's.
func TestPeopleOnCivilStatusForms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		text string
		want map[string]string // field/subject → value; every field read
	}{
		{"KhaiTu", khaiTu, map[string]string{
			"full_name/applicant": "Lê Ngọc Mai", "date_of_birth/applicant": "1981-11-15", "id_number/applicant": "038181402768"}},
		{"KhaiTuPDF", khaiTuPDF, map[string]string{
			"full_name/applicant": "Ngô Văn Tuấn", "date_of_birth/applicant": "1991-06-07", "id_number/applicant": "040091689718"}},
		{"KetHon", ketHon, map[string]string{
			"full_name/wife": "Phan Mai Hương", "date_of_birth/wife": "1999-05-03", "id_number/wife": "092199753692",
			"full_name/husband": "Lý Xuân Dũng", "date_of_birth/husband": "1972-09-21", "id_number/husband": "092072861156"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := map[string]string{}
			for _, f := range ExtractPeople(strings.Split(c.text, "\f")) {
				k := f.Name + "/" + f.Subject
				if _, dup := got[k]; dup {
					t.Errorf("%s read twice: %q and %q", k, got[k], f.Normalized)
				}
				got[k] = f.Normalized
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			for k, v := range got {
				if _, ok := c.want[k]; !ok {
					t.Errorf("%s = %q read, want nothing (not the filer's or a spouse's)", k, v)
				}
			}
		})
	}
}

// TestPeopleAfterAParentRole: the particulars under a parent's role are the
// parent's, and a value under no role (the child's date of birth before
// it) is not read at all.
func TestPeopleAfterAParentRole(t *testing.T) {
	t.Parallel()
	text := "[01]. Họ và tên (viết chữ in hoa):  TRẦN VĂN MINH\n[03]. Ngày, tháng, năm sinh: 12/02/2026\n" +
		"Họ, chữ đệm, tên người mẹ: Nguyễn Thị Hoà\nNgày, tháng, năm sinh: 03/04/1995\nSố định danh cá nhân: 001195012345\n"
	got := map[string]string{}
	for _, f := range ExtractPeople([]string{text}) {
		got[f.Name+"/"+f.Subject] = f.Normalized
	}
	want := map[string]string{"full_name/mother": "Nguyễn Thị Hoà", "date_of_birth/mother": "1995-04-03", "id_number/mother": "001195012345"}
	if len(got) != len(want) {
		t.Errorf("read %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
