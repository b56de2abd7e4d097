package docgen

import "github.com/hoso-vn/hoso/internal/catalog"

// Procedure codes the labelled set covers. Their requirement lists below are
// modelled on the real texts in dvc-procedures-2026/procedures.jsonl
// (thanh_phan_ho_so), shortened where the crawl glued cells together.
const (
	ProcKhaiSinh    = "1.001193" // Thủ tục đăng ký khai sinh
	ProcThuongTru   = "1.004222" // Đăng ký thường trú
	ProcHoKinhDoanh = "1.001612" // Đăng ký thành lập hộ kinh doanh
	ProcGPXD        = "1.013225" // Cấp giấy phép xây dựng mới … nhà ở riêng lẻ
)

// ProcedureCodes lists the covered procedures in a fixed order.
var ProcedureCodes = []string{ProcKhaiSinh, ProcThuongTru, ProcHoKinhDoanh, ProcGPXD}

func sp(s string) *string { return &s }

// Requirements returns the required components (thành phần hồ sơ) of one of
// the covered procedures, as catalog.Requirement literals. Callers may modify
// the returned slice.
func Requirements(code string) []catalog.Requirement {
	switch code {
	case ProcKhaiSinh:
		return []catalog.Requirement{
			{Key: "to-khai-dang-ky-khai-sinh", Name: "Tờ khai đăng ký khai sinh theo mẫu quy định", Kind: catalog.KindSubmit, Originals: 1, Form: sp("Tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)")},
			{Key: "giay-chung-sinh", Name: "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh", Kind: catalog.KindSubmit, Originals: 1,
				Alternatives: []string{"Văn bản của người làm chứng xác nhận về việc sinh", "Giấy cam đoan về việc sinh"}},
			{Key: "bien-ban-tre-bi-bo-roi", Name: "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập", Kind: catalog.KindSubmit, Originals: 1, Condition: sp("trẻ em bị bỏ rơi"), Optional: true},
			{Key: "van-ban-uy-quyen", Name: "Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh", Kind: catalog.KindSubmit, Originals: 1, Condition: sp("ủy quyền thực hiện việc đăng ký khai sinh"), Optional: true},
			{Key: "van-ban-mang-thai-ho", Name: "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ phải có văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ", Kind: catalog.KindSubmit, Originals: 1, Condition: sp("mang thai hộ"), Optional: true},
			{Key: "giay-to-tuy-than", Name: "Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử dụng", Kind: catalog.KindPresent, Originals: 1},
			{Key: "giay-chung-nhan-ket-hon", Name: "Giấy chứng nhận kết hôn của cha, mẹ trẻ em (nếu cha, mẹ trẻ em đã đăng ký kết hôn)", Kind: catalog.KindPresent, Originals: 1, Condition: sp("cha, mẹ đã đăng ký kết hôn"), Optional: true},
		}
	case ProcThuongTru:
		return []catalog.Requirement{
			{Key: "to-khai-thay-doi-thong-tin-cu-tru", Name: "Tờ khai thay đổi thông tin cư trú (mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)", Kind: catalog.KindSubmit, Originals: 1, Form: sp("Mẫu CT01")},
			{Key: "giay-to-cho-o-hop-phap", Name: "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp theo quy định tại khoản 2 Điều 5 Nghị định 154/2024/NĐ-CP", Kind: catalog.KindSubmit, Originals: 1,
				Alternatives: []string{"Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất", "Giấy phép xây dựng"}},
			{Key: "hop-dong-thue-muon-o-nho", Name: "Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ được công chứng hoặc chứng thực theo quy định của pháp luật", Kind: catalog.KindSubmit, Originals: 1, Condition: sp("chỗ ở hợp pháp do thuê, mượn, ở nhờ"), Optional: true},
			{Key: "giay-to-quan-he-nhan-than", Name: "Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình", Kind: catalog.KindSubmit, Originals: 1, Condition: sp("khoản 2 Điều 20 Luật Cư trú"), Optional: true,
				Alternatives: []string{"Giấy chứng nhận kết hôn", "Giấy khai sinh", "Trích lục khai sinh"}},
		}
	case ProcHoKinhDoanh:
		return []catalog.Requirement{
			{Key: "giay-de-nghi-dang-ky-ho-kinh-doanh", Name: "Giấy đề nghị đăng ký hộ kinh doanh", Kind: catalog.KindSubmit, Originals: 1},
			{Key: "van-ban-uy-quyen-thanh-vien-ho-gia-dinh", Name: "Bản sao văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh đối với trường hợp hộ kinh doanh do các thành viên hộ gia đình đăng ký thành lập", Kind: catalog.KindSubmit, Copies: 1, Condition: sp("các thành viên hộ gia đình đăng ký thành lập"), Optional: true},
			{Key: "van-ban-uy-quyen-ca-nhan", Name: "Văn bản ủy quyền cho cá nhân thực hiện thủ tục liên quan đến đăng ký hộ kinh doanh", Kind: catalog.KindSubmit, Copies: 1, Condition: sp("ủy quyền cho cá nhân thực hiện thủ tục"), Optional: true},
			{Key: "ban-sao-the-can-cuoc", Name: "Bản sao thẻ Căn cước hoặc thẻ Căn cước công dân còn hiệu lực của người uỷ quyền", Kind: catalog.KindSubmit, Copies: 1, Condition: sp("chưa có tài khoản định danh điện tử"), Optional: true},
		}
	case ProcGPXD:
		return []catalog.Requirement{
			{Key: "don-de-nghi-cap-giay-phep-xay-dung", Name: "Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1 Phụ lục số II Nghị định số 175/2024/NĐ-CP", Kind: catalog.KindSubmit, Originals: 1, Copies: 1, Form: sp("Mẫu số 1 Phụ lục II Nghị định 175/2024/NĐ-CP")},
			{Key: "giay-to-hop-phap-ve-dat-dai", Name: "Một trong những giấy tờ hợp pháp về đất đai chứng minh sự phù hợp mục đích sử dụng đất và sở hữu công trình để cấp phép xây dựng theo quy định tại Điều 53 của Nghị định số 175/2024/NĐ-CP", Kind: catalog.KindSubmit, Originals: 1, Copies: 1,
				Alternatives: []string{"Giấy chứng nhận quyền sử dụng đất", "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Giấy chứng nhận quyền sở hữu nhà ở và quyền sử dụng đất ở"}},
			{Key: "ban-ve-thiet-ke-xay-dung", Name: "02 bộ bản vẽ thiết kế xây dựng gồm: bản vẽ tổng mặt bằng, mặt bằng định vị công trình trên lô đất; bản vẽ kiến trúc các mặt bằng, các mặt đứng và mặt cắt chủ yếu của công trình; bản vẽ mặt bằng, mặt cắt móng", Kind: catalog.KindSubmit, Originals: 2},
		}
	}
	return nil
}

// ProcedureName returns the name of a covered procedure.
func ProcedureName(code string) string {
	switch code {
	case ProcKhaiSinh:
		return "Thủ tục đăng ký khai sinh"
	case ProcThuongTru:
		return "Đăng ký thường trú"
	case ProcHoKinhDoanh:
		return "Đăng ký thành lập hộ kinh doanh"
	case ProcGPXD:
		return "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
	}
	return ""
}

// requirementOf maps a document type onto the requirement it satisfies in a
// procedure: the gold label of the set. A type absent here is "other" there.
var requirementOf = map[string]map[string]string{
	ProcKhaiSinh: {
		"to_khai_khai_sinh":      "to-khai-dang-ky-khai-sinh",
		"giay_chung_sinh":        "giay-chung-sinh",
		"van_ban_lam_chung":      "giay-chung-sinh",
		"giay_cam_doan":          "giay-chung-sinh",
		"bien_ban_tre_bi_bo_roi": "bien-ban-tre-bi-bo-roi",
		"giay_uy_quyen":          "van-ban-uy-quyen",
		"cccd":                   "giay-to-tuy-than",
		"giay_ket_hon":           "giay-chung-nhan-ket-hon",
	},
	ProcThuongTru: {
		"ct01_to_khai_cu_tru":               "to-khai-thay-doi-thong-tin-cu-tru",
		"giay_chung_nhan_quyen_su_dung_dat": "giay-to-cho-o-hop-phap",
		"hop_dong_thue_nha":                 "hop-dong-thue-muon-o-nho",
		"giay_ket_hon":                      "giay-to-quan-he-nhan-than",
		"trich_luc_khai_sinh":               "giay-to-quan-he-nhan-than",
		"giay_phep_xay_dung":                "giay-to-cho-o-hop-phap",
	},
	ProcHoKinhDoanh: {
		"giay_de_nghi_dang_ky_ho_kinh_doanh": "giay-de-nghi-dang-ky-ho-kinh-doanh",
		"giay_uy_quyen":                      "van-ban-uy-quyen-ca-nhan",
		"cccd":                               "ban-sao-the-can-cuoc",
	},
	ProcGPXD: {
		"don_de_nghi_cap_gpxd":              "don-de-nghi-cap-giay-phep-xay-dung",
		"giay_chung_nhan_quyen_su_dung_dat": "giay-to-hop-phap-ve-dat-dai",
		"ban_ve_thiet_ke":                   "ban-ve-thiet-ke-xay-dung",
	},
}

// RequirementFor returns the key of the requirement that a document of
// docType satisfies in procedure code, or "other". The member-authorisation
// variant of giấy ủy quyền in hộ kinh doanh is resolved by the generator.
func RequirementFor(code, docType string) string {
	if k, ok := requirementOf[code][docType]; ok {
		return k
	}
	return "other"
}
