package classifier_test

import (
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/evals/docgen"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/dossier"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	m := classifier.Default()
	ks := docgen.Requirements(docgen.ProcKhaiSinh)
	hkd := docgen.Requirements(docgen.ProcHoKinhDoanh)
	cases := []struct {
		name      string
		text      string
		reqs      int // 0 khai sinh, 1 hộ kinh doanh
		threshold float64
		wantReq   string
		wantType  string
		review    bool
	}{
		{"BirthForm", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên người yêu cầu: Lê Thị Mai\nĐề nghị cơ quan đăng ký khai sinh cho người dưới đây:\nHọ, chữ đệm, tên: Lê Minh An\nNgày, tháng, năm sinh: 01/01/2026\nHọ, chữ đệm, tên người mẹ: Lê Thị Mai\n", 0, 0.5, "to-khai-dang-ky-khai-sinh", "to_khai_khai_sinh", false},
		{"IdentityCardInBirthDossier", "CĂN CƯỚC CÔNG DÂN\nCitizen Identity Card\nSố / No.: 001090012345\nHọ và tên / Full name:\nNGUYỄN VĂN AN\nNgày sinh / Date of birth: 10/05/1990\nQuê quán / Place of origin: Hà Nội\nNơi thường trú / Place of residence: Hà Nội\nCó giá trị đến: 10/05/2030\n", 0, 0.5, "giay-to-tuy-than", "cccd", false},
		{"IdentityCardInBusinessDossier", "CĂN CƯỚC CÔNG DÂN\nCitizen Identity Card\nSố / No.: 001090012345\nHọ và tên / Full name:\nNGUYỄN VĂN AN\nNgày sinh / Date of birth: 10/05/1990\nQuê quán / Place of origin: Hà Nội\nNơi thường trú / Place of residence: Hà Nội\nCó giá trị đến: 10/05/2030\n", 1, 0.5, "ban-sao-the-can-cuoc", "cccd", false},
		{"BusinessFormInBirthDossierIsOther", "GIẤY ĐỀ NGHỊ\nĐĂNG KÝ HỘ KINH DOANH\nTôi là (ghi họ tên bằng chữ in hoa): NGUYỄN VĂN AN\nĐăng ký hộ kinh doanh do tôi là chủ hộ với các nội dung sau:\n1. Tên hộ kinh doanh: HỘ KINH DOANH PHỞ AN\n3. Ngành, nghề kinh doanh: Dịch vụ ăn uống\n4. Vốn kinh doanh: 100.000.000 đồng\n", 0, 0.5, "other", "giay_de_nghi_dang_ky_ho_kinh_doanh", false},
		{"EmptyIsUnknown", "  \f ", 0, 0.5, dossier.TypeUnknown, dossier.TypeUnknown, true},
		{"BelowThresholdNeedsReview", "Tôi đồng ý.\nKý tên\n", 0, 0.99, dossier.TypeUnknown, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			reqs := ks
			if c.reqs == 1 {
				reqs = hkd
			}
			r := m.Classify(classifier.Input{Text: c.text}, reqs, c.threshold)
			if r.Requirement != c.wantReq || (c.wantType != "" && r.DocType != c.wantType) || r.NeedsReview != c.review {
				t.Fatalf("got %s/%s review=%v conf=%.2f evidence=%q alts=%+v", r.Requirement, r.DocType, r.NeedsReview, r.Confidence, r.Evidence, r.Alternatives)
			}
			if r.Method != classifier.Method || !strings.HasPrefix(r.Model, "tfidf-logreg-v1@") {
				t.Errorf("method %q model %q", r.Method, r.Model)
			}
			if r.Requirement != dossier.TypeUnknown && r.Requirement != dossier.TypeOther && r.RequirementName == "" {
				t.Errorf("no requirement name")
			}
			if c.review && c.wantReq == dossier.TypeUnknown && c.text != "  \f " && len(r.Alternatives) == 0 {
				t.Errorf("needs_review result without best guesses")
			}
		})
	}
}

// Two ủy quyền requirements in hộ kinh doanh: the document's own words pick one.
func TestAuthorisationRequirementChoice(t *testing.T) {
	t.Parallel()
	m := classifier.Default()
	hkd := docgen.Requirements(docgen.ProcHoKinhDoanh)
	member := "VĂN BẢN ỦY QUYỀN\nCác thành viên hộ gia đình thống nhất ủy quyền cho ông Nguyễn Văn An làm chủ hộ kinh doanh, đại diện hộ gia đình đăng ký thành lập hộ kinh doanh.\nI. Người ủy quyền:\nHọ và tên: Nguyễn Thị Bích\nII. Người được ủy quyền:\nHọ và tên: Nguyễn Văn An\n"
	agent := "GIẤY ỦY QUYỀN\nI. Người ủy quyền:\nHọ và tên: Nguyễn Thị Bích\nII. Người được ủy quyền:\nHọ và tên: Trần Văn Cường\nIII. Nội dung ủy quyền: Bên A ủy quyền cho Bên B thay mặt Bên A nộp hồ sơ, thực hiện thủ tục đăng ký hộ kinh doanh và nhận kết quả.\n"
	if r := m.Classify(classifier.Input{Text: member}, hkd, 0); r.Requirement != "van-ban-uy-quyen-thanh-vien-ho-gia-dinh" {
		t.Errorf("member authorisation → %s (%s)", r.Requirement, r.DocType)
	}
	if r := m.Classify(classifier.Input{Text: agent}, hkd, 0); r.Requirement != "van-ban-uy-quyen-ca-nhan" {
		t.Errorf("agent authorisation → %s (%s)", r.Requirement, r.DocType)
	}
}

func TestTitleLine(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTỜ KHAI ĐĂNG KÝ KHAI SINH\nKính gửi: UBND": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY ĐỀ NGHỊ\nĐĂNG KÝ HỘ KINH DOANH\nKính gửi":                          "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH",
		"Mẫu CT01 ban hành kèm theo Thông tư\nTỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ":                                     "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",
		"Đơn xin cấp phép xây dựng nhà ở\nKính gửi: UBND":                                                            "Đơn xin cấp phép xây dựng nhà ở",
	}
	for in, want := range cases {
		if got := classifier.TitleLine(in); got != want {
			t.Errorf("TitleLine = %q, want %q", got, want)
		}
	}
}

// Every type the generator produces is in the taxonomy, and every taxonomy
// type except "other" names at least one alias.
func TestTaxonomy(t *testing.T) {
	t.Parallel()
	for _, ty := range docgen.Types() {
		if _, ok := classifier.TypeInfo(ty); !ok {
			t.Errorf("type %s not in taxonomy", ty)
		}
	}
	for _, i := range classifier.Taxonomy {
		if i.Type != "other" && len(i.Aliases) == 0 {
			t.Errorf("type %s has no aliases", i.Type)
		}
	}
}

// A paper the taxonomy has no type for is still mapped when its title is
// the name of one of the procedure's requirements (same kind of paper, most
// of the title's words); otherwise, or when two requirements match equally,
// it goes to review ("unknown"): in a procedure whose papers the model
// mostly does not know, it cannot say with confidence that it is "other".
func TestTitleMatchesRequirement(t *testing.T) {
	t.Parallel()
	m := classifier.Default()
	reqs := []catalog.Requirement{
		{Key: "to-khai-dang-ky-khai-tu-theo-mau", Name: "Tờ khai đăng ký khai tử theo mẫu"},
		{Key: "giay-bao-tu", Name: "Giấy báo tử hoặc giấy tờ thay thế giấy báo tử",
			Alternatives: []string{"Văn bản xác nhận của người làm chứng về việc chết"}},
		{Key: "to-khai-tham-gia-bao-hiem-y-te", Name: "Tờ khai tham gia bảo hiểm y tế, Danh sách đề nghị cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi (theo mẫu quy định)"},
		{Key: "don-a", Name: "Đơn đề nghị cấp giấy phép kinh doanh"},
		{Key: "ban-khai-tk1", Name: "Bản khai thông tin người lao động", Form: ptr("Mẫu TK1-TS")},
		{Key: "don-b", Name: "Đơn đề nghị cấp giấy phép kinh doanh (bản sao)"},
	}
	body := "\nHọ, chữ đệm, tên người yêu cầu: Trần Văn Bình\nNơi cư trú: phường Hai Bà Trưng, Hà Nội\nQuan hệ với người đã chết: con\nĐề nghị cơ quan đăng ký cho người dưới đây:\nNgày, tháng, năm chết: 02/02/2026\nTôi cam đoan nội dung trên đây là đúng sự thật.\n"
	for _, tc := range []struct {
		name, title, want string
	}{
		{"TitleIsTheRequirement", "TỜ KHAI ĐĂNG KÝ KHAI TỬ", "to-khai-dang-ky-khai-tu-theo-mau"},
		{"TitleIsAnAlternative", "VĂN BẢN XÁC NHẬN CỦA NGƯỜI LÀM CHỨNG", "giay-bao-tu"},
		{"FirstPaperListedIsInTheTitle", "TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM XÃ HỘI, BẢO HIỂM Y TẾ", "to-khai-tham-gia-bao-hiem-y-te"},
		{"TitleWrappedByThePage", "TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM XÃ HỘI, BẢO\nHIỂM Y TẾ", "to-khai-tham-gia-bao-hiem-y-te"},
		{"OtherKindOfPaper", "BIÊN BẢN ĐĂNG KÝ KHAI TỬ", dossier.TypeUnknown},
		{"TwoRequirementsMatchEqually", "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP KINH DOANH", dossier.TypeUnknown},
		{"FormCode", "TỜ KHAI\nMẫu TK1-TS", "ban-khai-tk1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := m.Classify(classifier.Input{Text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" + tc.title + body}, reqs, 0.55)
			if r.Requirement != tc.want {
				t.Fatalf("%q → %s (%s, %.2f) %q", tc.title, r.Requirement, r.DocType, r.Confidence, r.Evidence)
			}
			if tc.want == dossier.TypeUnknown && !r.NeedsReview {
				t.Fatalf("unknown without review")
			}
			if tc.want != dossier.TypeUnknown && (r.Confidence < 0.55 || r.RequirementName == "") {
				t.Fatalf("matched with confidence %.2f, name %q", r.Confidence, r.RequirementName)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// A lease proves a lawful dwelling (Nghị định 154/2024/NĐ-CP Điều 5): in
// 1.004194 đăng ký tạm trú, whose requirement asks for that proof without
// naming the papers, a rental contract meets it; in 1.004222, which lists
// the lease as a paper of its own, the lease's own row still wins.
func TestLeaseProvesLawfulDwelling(t *testing.T) {
	t.Parallel()
	m := classifier.Default()
	lease := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHỢP ĐỒNG THUÊ NHÀ Ở\nBên cho thuê (Bên A): Ông Nguyễn Văn An\nBên thuê (Bên B): Bà Trần Thị Bình\nĐiều 1. Bên A đồng ý cho Bên B thuê căn nhà tại số 12 phố Huế, phường Hai Bà Trưng, Hà Nội để ở.\nĐiều 2. Thời hạn thuê: 24 tháng. Giá thuê: 5.000.000 đồng/tháng.\nBên A đồng ý cho Bên B đăng ký cư trú tại chỗ ở này.\n"
	proof := catalog.Requirement{Key: "thong-tin-chung-minh-ve-cho-o-hop-phap-duoc-khai",
		Name: "Thông tin chứng minh về chỗ ở hợp pháp được khai thác trong căn cước điện tử, tài khoản định danh điện tử trên hệ thống định danh và xác thực điện tử qua Ứng dụng định danh quốc gia hoặc trong Cơ sở dữ liệu quốc gia về dân cư"}
	ct01 := catalog.Requirement{Key: "to-khai-thay-doi-thong-tin-cu-tru-mau-ct01-ban", Name: "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)"}
	if r := m.Classify(classifier.Input{Text: lease}, []catalog.Requirement{proof, ct01}, 0.55); r.Requirement != proof.Key {
		t.Errorf("1.004194: lease → %s (%s, %.2f)", r.Requirement, r.DocType, r.Confidence)
	}
	own := catalog.Requirement{Key: "hop-dong-van-ban-ve-viec-cho-thue-cho-muon-cho-o",
		Name: "Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ được công chứng hoặc chứng thực theo quy định của pháp luật"}
	if r := m.Classify(classifier.Input{Text: lease}, []catalog.Requirement{proof, ct01, own}, 0.55); r.Requirement != own.Key {
		t.Errorf("1.004222: lease → %s (%s, %.2f)", r.Requirement, r.DocType, r.Confidence)
	}
}

// A marriage certificate uploaded to a marriage registration (1.000894) is
// not its declaration "Tờ khai đăng ký kết hôn": "kết hôn" names the
// marriage, not the certificate. Where a requirement names the certificate
// it is still that requirement.
func TestMarriageCertificateIsNotTheMarriageForm(t *testing.T) {
	t.Parallel()
	m := classifier.Default()
	cert := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nGIẤY CHỨNG NHẬN KẾT HÔN\nSố: 168\nHọ, chữ đệm, tên vợ: Vũ Kim Thảo\nHọ, chữ đệm, tên chồng: Nguyễn Xuân Thắng\nNgày đăng ký: 02/03/2012\nNơi đăng ký: Ủy ban nhân dân phường Ninh Kiều\n"
	form := catalog.Requirement{Key: "to-khai-dang-ky-ket-hon-theo-mau-co-du-thong-tin", Name: "Tờ khai đăng ký kết hôn theo mẫu, có đủ thông tin của hai bên nam, nữ"}
	id := catalog.Requirement{Key: "ho-chieu-the-can-cuoc", Name: "Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử", Kind: catalog.KindPresent}
	if r := m.Classify(classifier.Input{Text: cert}, []catalog.Requirement{form, id}, 0.55); r.Requirement == form.Key {
		t.Errorf("1.000894: marriage certificate → the declaration form (%s, %.2f)", r.DocType, r.Confidence)
	}
	named := catalog.Requirement{Key: "ban-sao-giay-chung-nhan-ket-hon-duoc-cap-truoc", Name: "Bản sao Giấy chứng nhận kết hôn được cấp trước đây"}
	relisted := catalog.Requirement{Key: "to-khai-dang-ky-lai-ket-hon-theo-mau", Name: "Tờ khai đăng ký lại kết hôn theo mẫu"}
	if r := m.Classify(classifier.Input{Text: cert}, []catalog.Requirement{relisted, named}, 0.55); r.Requirement != named.Key {
		t.Errorf("2.000513: marriage certificate → %s (%s, %.2f)", r.Requirement, r.DocType, r.Confidence)
	}
}
