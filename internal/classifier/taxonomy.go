package classifier

import (
	"strings"

	"github.com/hoso-vn/hoso/internal/catalog"
)

// DocTypeInfo describes one document type of hoso's taxonomy: what the model
// predicts before the type is mapped onto a procedure's requirement.
type DocTypeInfo struct {
	Type   string `json:"type"`
	Name   string `json:"name"` // Vietnamese
	NameEN string `json:"name_en"`
	// Aliases are accent-folded phrases that name this type inside a
	// requirement's text (Name, Form, Alternatives). A leading "^" anchors
	// the phrase at the start of the requirement name or of an alternative,
	// so that "giấy phép xây dựng" (the permit) does not match "Đơn đề nghị
	// cấp giấy phép xây dựng" (the application).
	Aliases []string `json:"aliases"`
}

// Taxonomy lists the document types, "other" last.
var Taxonomy = []DocTypeInfo{
	{"to_khai_khai_sinh", "Tờ khai đăng ký khai sinh", "Birth registration form", []string{"to khai dang ky khai sinh", "to khai khai sinh"}},
	{"giay_chung_sinh", "Giấy chứng sinh", "Birth certificate from the health facility", []string{"giay chung sinh"}},
	{"van_ban_lam_chung", "Văn bản người làm chứng xác nhận việc sinh", "Witness statement of the birth", []string{"van ban cua nguoi lam chung", "nguoi lam chung"}},
	{"giay_cam_doan", "Giấy cam đoan về việc sinh", "Sworn statement of the birth", []string{"giay cam doan", "cam doan ve viec sinh"}},
	{"bien_ban_tre_bi_bo_roi", "Biên bản về việc trẻ bị bỏ rơi", "Report of an abandoned child", []string{"bien ban ve viec tre bi bo roi", "tre em bi bo roi", "tre bi bo roi"}},
	{"cccd", "Thẻ căn cước / căn cước công dân", "Citizen identity card", []string{"^the can cuoc", "the can cuoc cong dan", "the can cuoc", "can cuoc cong dan", "can cuoc dien tu", "chung minh nhan dan", "giay to tuy than"}},
	{"giay_uy_quyen", "Giấy ủy quyền / văn bản ủy quyền", "Power of attorney", []string{"van ban uy quyen", "giay uy quyen"}},
	{"ct01_to_khai_cu_tru", "Tờ khai thay đổi thông tin cư trú (CT01)", "Residence information change form (CT01)", []string{"to khai thay doi thong tin cu tru", "ct01", "ct02"}},
	{"giay_de_nghi_dang_ky_ho_kinh_doanh", "Giấy đề nghị đăng ký hộ kinh doanh", "Household business registration application", []string{"giay de nghi dang ky ho kinh doanh"}},
	{"don_de_nghi_cap_gpxd", "Đơn đề nghị cấp giấy phép xây dựng", "Construction permit application", []string{"don de nghi cap giay phep xay dung", "de nghi cap giay phep xay dung"}},
	{"giay_chung_nhan_quyen_su_dung_dat", "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở", "Land use right certificate", []string{"giay chung nhan quyen su dung dat", "quyen su dung dat", "giay to hop phap ve dat dai", "cho o hop phap"}},
	// A lease is one of the papers that prove a lawful dwelling ("chỗ ở hợp
	// pháp": Nghị định 154/2024/NĐ-CP Điều 5 khoản 2 điểm l, khoản 3 điểm a),
	// as a land-use certificate is; a procedure that asks for that proof
	// without naming the papers (1.004194 đăng ký tạm trú) takes either.
	{"hop_dong_thue_nha", "Hợp đồng thuê, mượn, cho ở nhờ nhà ở", "Lease or loan of a dwelling", []string{"hop dong thue nha", "cho thue, cho muon, cho o nho", "cho thue", "cho o nho", "cho o hop phap"}},
	{"ban_ve_thiet_ke", "Bản vẽ thiết kế xây dựng", "Construction design drawings", []string{"ban ve thiet ke", "bo ban ve", "ban ve kien truc"}},
	{"giay_phep_xay_dung", "Giấy phép xây dựng (đã cấp)", "Construction permit (issued)", []string{"^giay phep xay dung"}},
	// "kết hôn" alone names the marriage, not the certificate: "Tờ khai đăng
	// ký kết hôn", "Bản án… hủy kết hôn", "Giấy tờ chứng minh nơi cư trú… để
	// chứng minh thẩm quyền đăng ký kết hôn" are other papers.
	{"giay_ket_hon", "Giấy chứng nhận kết hôn", "Marriage certificate", []string{"giay chung nhan ket hon", "giay dang ky ket hon", "trich luc ket hon", "chung nhan viec ket hon"}},
	{"trich_luc_khai_sinh", "Giấy khai sinh / trích lục khai sinh", "Birth certificate (civil registry extract)", []string{"trich luc khai sinh", "giay khai sinh"}},
	{"to_khai_can_cuoc", "Tờ khai căn cước (CC01)", "Identity card application form (CC01)", []string{"to khai can cuoc"}},
	{"other", "Giấy tờ khác", "Other document", nil},
}

// TypeInfo returns the taxonomy entry of t.
func TypeInfo(t string) (DocTypeInfo, bool) {
	for _, i := range Taxonomy {
		if i.Type == t {
			return i, true
		}
	}
	return DocTypeInfo{}, false
}

// TypeForRequirement returns the taxonomy type that requirement r names
// (by the types' aliases in its name, form and alternatives), or "" when
// none does: what a document matched to r by its title alone should hold.
func TypeForRequirement(r catalog.Requirement) string {
	fr := foldReq(r)
	// The paper the name begins with ("Giấy chứng sinh; trường hợp không
	// có… văn bản của người làm chứng") before any it mentions later.
	lead, leadT := 0, ""
	for _, info := range Taxonomy {
		for _, al := range aliases[info.Type] {
			if n := len(strings.Fields(al.phrase)); wordIndex(fr.name, al.phrase) == 0 && n > lead {
				lead, leadT = n, info.Type
			}
		}
	}
	if leadT != "" {
		return leadT
	}
	best, bestT := 0.0, ""
	for _, info := range Taxonomy {
		if s := aliasScore(info.Type, fr); s > best {
			best, bestT = s, info.Type
		}
	}
	return bestT
}
