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
