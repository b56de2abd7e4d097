package fields

import "testing"

func TestBilingualCardLabels(t *testing.T) {
	t.Parallel()
	page := "THẺ CĂN CƯỚC\nSố định danh cá nhân / Personal identification number:\n001195012345\nHọ, chữ đệm và tên khai sinh / Full name: NGUYỄN THỊ LAM\nNgày, tháng, năm sinh / Date of birth: 12/03/1995\nNgày cấp / Date of issue: 10/05/2021 Có giá trị đến / Date of\nexpiry: 12/03/2035"
	got := map[string]string{}
	for _, f := range Extract("cccd", []string{page}) {
		got[f.Name] = f.Value
	}
	want := map[string]string{FullName: "NGUYỄN THỊ LAM", IDNumber: "001195012345", DateOfBirth: "12/03/1995"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func TestCardValueAfterBlankLine(t *testing.T) {
	t.Parallel()
	page := "CĂN CƯỚC CÔNG DÂN\nSố / No.: 079190447144\nHọ và tên / Full name:\n\nTRẦN BÍCH DUNG\nNgày sinh / Date of birth: 22/08/1990"
	var name string
	for _, f := range Extract("cccd", []string{page}) {
		if f.Name == FullName {
			name = f.Value
		}
	}
	if name != "TRẦN BÍCH DUNG" {
		t.Errorf("full name = %q", name)
	}
}

func TestLandCertificateAndLeaseParties(t *testing.T) {
	t.Parallel()
	gcn := "GIẤY CHỨNG NHẬN\nI. Người sử dụng đất, chủ sở hữu nhà ở\nÔng/Bà: Ngô Thành Hải, sinh năm 1983\nSố định danh cá nhân: 092083940693\n"
	got := map[string]string{}
	for _, f := range Extract("giay_chung_nhan_quyen_su_dung_dat", []string{gcn}) {
		got[f.Name+"/"+f.Subject] = f.Value
	}
	if got["full_name/owner"] != "Ngô Thành Hải" || got["id_number/owner"] != "092083940693" {
		t.Errorf("GCN fields: %v", got)
	}
	lease := "HỢP ĐỒNG THUÊ NHÀ Ở\nBÊN CHO THUÊ (Bên A):\nÔng/Bà: Nguyễn Thành Dũng\nSố định danh cá nhân: 040052634107\nBÊN THUÊ (Bên B):\nÔng/Bà: Vũ Thu Chi\nSố định danh cá nhân: 040170364567\n"
	got = map[string]string{}
	for _, f := range Extract("hop_dong_thue_nha", []string{lease}) {
		got[f.Name+"/"+f.Subject] = f.Value
	}
	if got["full_name/owner"] != "Nguyễn Thành Dũng" || got["full_name/tenant"] != "Vũ Thu Chi" || got["id_number/tenant"] != "040170364567" {
		t.Errorf("lease fields: %v", got)
	}
}

// TestWitnessStatementAndIssuedPermit: a witness statement holds the
// witness's particulars and the mother it vouches for, never the witness as
// the mother; an issued permit names its holder after "Cấp cho".
func TestWitnessStatementAndIssuedPermit(t *testing.T) {
	t.Parallel()
	w := "VĂN BẢN XÁC NHẬN CỦA NGƯỜI LÀM CHỨNG\n(về việc sinh)\nHọ, chữ đệm, tên người làm chứng: Trần Công Dũng\nNgày, tháng, năm sinh: 15/09/1957\n" +
		"Số định danh cá nhân: 092057471192\nNơi cư trú: Số 36, phố Nguyễn Trãi, phường Ninh Kiều, thành phố Cần Thơ\n" +
		"Tôi xác nhận bà Đỗ Mai Thảo, sinh năm 1987, đã sinh một cháu nữ vào ngày 28/01/2026 tại nhà riêng.\n"
	got := map[string]string{}
	for _, f := range Extract("van_ban_lam_chung", []string{w}) {
		got[f.Name+"/"+f.Subject] = f.Value
	}
	var mothers []string
	for _, f := range Extract("van_ban_lam_chung", []string{w}) {
		if f.Subject == "mother" && f.Name == "full_name" {
			mothers = append(mothers, f.Value)
		}
	}
	if len(mothers) != 1 {
		t.Errorf("mother's names: %q; want only the one vouched for (the title \"XÁC NHẬN CỦA NGƯỜI LÀM CHỨNG\" names nobody)", mothers)
	}
	if got["full_name/witness"] != "Trần Công Dũng" || got["id_number/witness"] != "092057471192" ||
		got["full_name/mother"] != "Đỗ Mai Thảo" || got["year_of_birth/mother"] != "1987" || got["id_number/mother"] != "" {
		t.Errorf("witness statement fields: %v", got)
	}
	p := "GIẤY PHÉP XÂY DỰNG\nSố:    /GPXD\n(Sử dụng cho công trình không theo tuyến)\n\n1. Cấp cho:  Nguyễn Quang Sơn\n\nĐịa chỉ: số nhà: Số 88, phố Hoàng Hoa Thám\n"
	got = map[string]string{}
	for _, f := range Extract("giay_phep_xay_dung", []string{p}) {
		got[f.Name+"/"+f.Subject] = f.Value
	}
	if got["full_name/owner"] != "Nguyễn Quang Sơn" {
		t.Errorf("permit fields: %v", got)
	}
}
