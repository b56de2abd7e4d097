package catalog

import (
	"github.com/hoso-vn/hoso/internal/vntext"
	"strings"
	"testing"
)

// renderStructure writes a parsed procedure's requirements as
// "[case] name {alt | alt}", one per line, for the case and alternative
// table tests.
func renderStructure(p Procedure) string {
	var b strings.Builder
	for _, r := range p.Requirements {
		if r.Case != "" {
			b.WriteString("[" + p.CaseName(r.Case) + "] ")
		}
		b.WriteString(r.Name)
		if len(r.Alternatives) > 0 {
			b.WriteString(" {" + strings.Join(r.Alternatives, " | ") + "}")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// renderCase is a synthetic component text and its requirements as
// renderStructure writes them, in order.
type renderCase struct {
	name, text string
	want       []string
}

// checkRendered parses each case's text and compares its rendering.
func checkRendered(t *testing.T, cases []renderCase) {
	t.Helper()
	for _, c := range cases {
		got := strings.Split(strings.TrimSuffix(renderStructure(parseText(t, c.text)), "\n"), "\n")
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got  %q\n want %q", c.name, got, c.want)
		}
	}
}

// TestCasesAndAlternatives: rules for cases (README rule 1) and
// alternative groups (rule 4), each on a short synthetic text in the
// portal's glued format.
func TestCasesAndAlternatives(t *testing.T) {
	t.Parallel()
	checkRendered(t, []renderCase{
		// The paper depends on the applicant's kind, each part says which
		// kind gives it: one group, the brackets kept, the shared purpose
		// on the first member.
		{"TypeDependentList", "--" + tableHeader + "- Nghị quyết của Đại hội đồng cổ đông (đối với công ty cổ phần); quyết định của Hội đồng thành viên (đối với công ty hai thành viên); ý kiến chấp thuận của chủ sở hữu (đối với công ty một thành viên) thông qua việc thành lập chi nhánh.1 bản chính" +
			"Văn bản đề nghị; Báo cáo tài chính (đối với công ty cổ phần)1 bản chính",
			[]string{"Nghị quyết của Đại hội đồng cổ đông (đối với công ty cổ phần) thông qua việc thành lập chi nhánh {Quyết định của Hội đồng thành viên (đối với công ty hai thành viên) | Ý kiến chấp thuận của chủ sở hữu (đối với công ty một thành viên)}",
				"Văn bản đề nghị", "Báo cáo tài chính"}},
		// A fallback for a missing means of filing (a digital signature) is
		// no stand-in for the paper; one for a missing paper is.
		{"FallbackForAMeansIsNoAlternative", "--" + tableHeader + "Tệp tin chứa phiếu yêu cầu cung cấp thông tin và ký bằng chữ ký số. Trường hợp không có chữ ký số thì xuất trình Chứng minh nhân dân khi làm thủ tục mở tài khoản giao dịch trực tuyến.1 bản chính" +
			"Giấy chứng nhận quyền sử dụng đất. Trường hợp không có giấy chứng nhận thì nộp văn bản xác nhận của Ủy ban nhân dân cấp xã.1 bản chính",
			[]string{"Tệp tin chứa phiếu yêu cầu cung cấp thông tin và ký bằng chữ ký số",
				"Giấy chứng nhận quyền sử dụng đất {Văn bản xác nhận của Ủy ban nhân dân cấp xã}"}},
		// An option's closing reference to the law in general is cut.
		{"OptionWithoutLawReference", "--" + tableHeader + "Giấy tờ hợp pháp về đất đai chứng minh sự phù hợp mục đích sử dụng đất hoặc văn bản về chủ trương đầu tư, xây dựng công trình theo quy định pháp luật về đầu tư, pháp luật về đầu tư công.1 bản chính",
			[]string{"Giấy tờ hợp pháp về đất đai chứng minh sự phù hợp mục đích sử dụng đất {Văn bản về chủ trương đầu tư, xây dựng công trình}"}},
		// … but not when the issuer, the case or the period follows it.
		{"OptionKeepsWhatFollowsTheLaw", "--" + tableHeader + "Giấy chứng nhận quyền sở hữu nhà ở hoặc giấy chứng nhận quyền sở hữu công trình đã được cấp theo quy định của pháp luật về nhà ở qua các thời kỳ.1 bản chính",
			[]string{"Giấy chứng nhận quyền sở hữu nhà ở {Giấy chứng nhận quyền sở hữu công trình đã được cấp theo quy định của pháp luật về nhà ở qua các thời kỳ}"}},
		// "chấp thuận …" (an approval) is a paper of its own after "hoặc";
		// short options with no owner share the last one's "của …".
		{"ApprovalOptionsShareTheOwner", "--" + tableHeader + "Quyết định chủ trương đầu tư hoặc chấp thuận chủ trương đầu tư hoặc chấp thuận đầu tư của dự án của cơ quan nhà nước có thẩm quyền.1 bản chính" +
			"Giấy phép khai thác hoặc văn bản chấp thuận của Bộ Công Thương.1 bản chính",
			[]string{"Quyết định chủ trương đầu tư của dự án của cơ quan nhà nước có thẩm quyền {Chấp thuận chủ trương đầu tư | Chấp thuận đầu tư}",
				"Giấy phép khai thác {Văn bản chấp thuận của Bộ Công Thương}"}},
		// "… một trong các bản sao tài liệu sau: A, B hoặc nộp thêm một
		// trong các bản chính tài liệu sau: C, D" is one group of four; a
		// second group under the same label with other members is kept.
		{"SecondOneOfListJoinsTheGroup", "--" + tableHeader + "c) Trường hợp nhập khẩu mẫu vật để trưng bày: ngoài thành phần hồ sơ quy định tại điểm a, nộp thêm một trong các bản sao tài liệu sau: giấy mời tham gia triển lãm; văn bản xác nhận quà tặng ngoại giao;0 bản chính,1 bản sao" +
			"d) Trường hợp nhập khẩu động vật sống để nuôi: ngoài thành phần hồ sơ quy định tại điểm a, nộp thêm một trong các bản sao tài liệu sau: mã số cơ sở nuôi, giấy chứng nhận cơ sở bảo tồn đa dạng sinh học hoặc nộp thêm một trong các bản chính tài liệu sau: Phương án nuôi theo Mẫu số 22, Phương án trồng theo Mẫu số 310 bản chính,1 bản sao",
			[]string{"Một trong các bản sao tài liệu {Giấy mời tham gia triển lãm | Văn bản xác nhận quà tặng ngoại giao}",
				"Một trong các bản sao tài liệu {Mã số cơ sở nuôi | Giấy chứng nhận cơ sở bảo tồn đa dạng sinh học | Phương án nuôi theo Mẫu số 22 | Phương án trồng theo Mẫu số 31}"}},
		// Rule 1: a case heading ended with a full stop, as a table's
		// header or as a row with no quantity, is still a heading.
		{"HeaderEndedWithAFullStop", "a) Trường hợp cấp mới." + tableHeader + "Đơn đề nghị cấp mới1 bản chính" + "b) Trường hợp cấp lại." + tableHeader + "Đơn đề nghị cấp lại1 bản chínhGiấy phép đã cấp1 bản chính",
			[]string{"[a) Trường hợp cấp mới] Đơn đề nghị cấp mới", "[b) Trường hợp cấp lại] Đơn đề nghị cấp lại", "[b) Trường hợp cấp lại] Giấy phép đã cấp"}},
		{"ZeroRowHeadingWithoutColon", "--" + tableHeader + "a) Trường hợp cấp mới.0 bản chínhĐơn đề nghị cấp mới1 bản chính+ Đối với trường hợp cấp lại0 bản chínhĐơn đề nghị cấp lại1 bản chính" +
			"Trường hợp nộp hồ sơ trực tuyến thì các giấy tờ phải được ký số0 bản chính",
			[]string{"[Trường hợp cấp mới] Đơn đề nghị cấp mới", "[Đối với trường hợp cấp lại] Đơn đề nghị cấp lại"}},
		// Rule 1: papers added on top of any case (post, a representative,
		// a fee exemption) are not a case of their own.
		{"AddOnHeadingsAreNotCases", "Trường hợp cấp mới:" + tableHeader + "Đơn đề nghị cấp mới1 bản chính" + "Trường hợp cấp lại:" + tableHeader + "Đơn đề nghị cấp lại1 bản chính" +
			"Trường hợp nộp hồ sơ qua bưu chính:" + tableHeader + "Phong bì có dán tem ghi rõ địa chỉ1 bản chính" +
			"Trường hợp thực hiện thông qua người đại diện:" + tableHeader + "Văn bản có nội dung về đại diện1 bản chính" +
			"Trường hợp được miễn nghĩa vụ nộp phí:" + tableHeader + "Văn bản chứng minh thuộc diện được miễn phí1 bản chính",
			[]string{"[Trường hợp cấp mới] Đơn đề nghị cấp mới", "[Trường hợp cấp lại] Đơn đề nghị cấp lại", "Phong bì có dán tem ghi rõ địa chỉ", "Văn bản có nội dung về đại diện", "Văn bản chứng minh thuộc diện được miễn phí"}},
		// "A, B hoặc C" where A is asked for by itself: the application
		// form, or a paper about something else than what B and C share;
		// not when A is about it too (rule 4, the dev3 ĐTM call).
		{"FirstPaperApartFromTheOrList", "--" + tableHeader + "Đơn đề nghị cấp giấy phép, giấy chứng nhận đăng ký doanh nghiệp hoặc giấy chứng nhận đăng ký đầu tư1 bản chính" +
			"Báo cáo tài chính năm trước, quyết định giao đất hoặc hợp đồng thuê đất1 bản chính" +
			"Bản sao quyết định phê duyệt báo cáo đánh giá tác động môi trường, giấy phép môi trường hoặc đăng ký môi trường1 bản chính",
			[]string{"Đơn đề nghị cấp giấy phép", "Giấy chứng nhận đăng ký doanh nghiệp {Giấy chứng nhận đăng ký đầu tư}",
				"Báo cáo tài chính năm trước", "Quyết định giao đất {Hợp đồng thuê đất}",
				"Bản sao quyết định phê duyệt báo cáo đánh giá tác động môi trường {Giấy phép môi trường | Đăng ký môi trường}"}},
		// A row that only announces the papers after it is a heading even
		// with a quantity; parties of one dossier are no cases (dev5 call).
		{"ListHeadingRowIsNoPaper", "(1) Các giấy tờ của bên chuyển nhượng gồm:" + tableHeader + "Văn bản đề nghị cho phép chuyển nhượng1 bản chính(2) Các giấy tờ của bên nhận chuyển nhượng gồm1 bản chính,1 bản saoGiấy chứng nhận đăng ký doanh nghiệp1 bản chính",
			[]string{"Văn bản đề nghị cho phép chuyển nhượng", "Giấy chứng nhận đăng ký doanh nghiệp"}},
		// "A hoặc B hoặc C và D": D goes with B and C, one way to meet
		// the group; A alone is the other.
		{"PaperJoinedToTheLastOptions", "--" + tableHeader + "Chứng chỉ đào tạo pháp luật về giống cây trồng hoặc Quyết định tuyển dụng hoặc hợp đồng lao động và tài liệu khác chứng minh thực tế hoạt động chuyên môn0 bản chính,1 bản sao",
			[]string{"Chứng chỉ đào tạo pháp luật về giống cây trồng {Quyết định tuyển dụng hoặc hợp đồng lao động và tài liệu khác chứng minh thực tế hoạt động chuyên môn}"}},
		// "X sau: (1) Trường hợp A thì phải có P; (2) Trường hợp B thì phải
		// có Q": one group of the case papers, each with its case; a
		// definition bracket and a bare law reference leave the names.
		{"CasePapersAfterAnIntro", "--" + tableHeader + "Bản sao giấy tờ chứng minh thuộc đối tượng được miễn, giảm tiền thuê nhà ở sau: (1) Trường hợp là người có công với cách mạng thì phải có giấy tờ chứng minh theo quy định của pháp luật về ưu đãi người có công với cách mạng; (2) Trường hợp là hộ nghèo thì phải có giấy xác nhận của Ủy ban nhân dân xã, phường (sau đây gọi chung là Ủy ban nhân dân cấp xã) nơi cư trú.1 bản sao",
			[]string{"Bản sao giấy tờ chứng minh thuộc đối tượng được miễn, giảm tiền thuê nhà ở {Giấy tờ chứng minh (trường hợp là người có công với cách mạng) | Giấy xác nhận của Ủy ban nhân dân xã, phường nơi cư trú (trường hợp là hộ nghèo)}"}},
		// Rule 4: "A hoặc bản sao A" offers forms of one paper, not two.
		{"CopyOfTheSamePaperIsNoOption", "--" + tableHeader + "Giấy phép kinh doanh hoặc bản sao giấy phép kinh doanh1 bản chính" +
			"Hộ chiếu hoặc bản sao có chứng thực thẻ căn cước công dân1 bản chính",
			[]string{"Giấy phép kinh doanh hoặc bản sao giấy phép kinh doanh", "Hộ chiếu {Bản sao có chứng thực thẻ căn cước công dân}"}},
		// Cases that are different actions keep the form in the case that
		// lists it; one action in several situations shares it.
		{"FormStaysWithItsAction", "a) Đăng ký mới nhà tạo lập thị trường" + tableHeader + "Đơn đề nghị trở thành nhà tạo lập thị trường theo Mẫu số 011 bản chínhBáo cáo tài chính đã được kiểm toán1 bản sao" +
			"b) Duy trì nhà tạo lập thị trường" + tableHeader + "Báo cáo về kết quả tham gia thị trường theo Mẫu số 031 bản chính",
			[]string{"[a) Đăng ký mới nhà tạo lập thị trường] Đơn đề nghị trở thành nhà tạo lập thị trường theo Mẫu số 01",
				"[a) Đăng ký mới nhà tạo lập thị trường] Báo cáo tài chính đã được kiểm toán",
				"[b) Duy trì nhà tạo lập thị trường] Báo cáo về kết quả tham gia thị trường theo Mẫu số 03"}},
		{"FormSharedByOneActionInSituations", "Đăng ký thường trú vào chỗ ở thuộc quyền sở hữu của mình" + tableHeader + "Tờ khai thay đổi thông tin cư trú1 bản chínhGiấy tờ chứng minh chỗ ở hợp pháp1 bản sao" +
			"Đăng ký thường trú vào chỗ ở do thuê, mượn, ở nhờ" + tableHeader + "Hợp đồng cho thuê, cho mượn, cho ở nhờ1 bản sao",
			[]string{"Tờ khai thay đổi thông tin cư trú",
				"[Đăng ký thường trú vào chỗ ở thuộc quyền sở hữu của mình] Giấy tờ chứng minh chỗ ở hợp pháp",
				"[Đăng ký thường trú vào chỗ ở do thuê, mượn, ở nhờ] Hợp đồng cho thuê, cho mượn, cho ở nhờ"}},
		// A "hoặc" inside the paper's condition clause ("… trong trường
		// hợp điều ước hoặc thỏa thuận … không quy định …") joins two
		// things of the condition, not two papers; one before it does. A
		// "khi" (when) clause is no such condition: the paper after its
		// "hoặc" is an option.
		{"OrInsideTheCondition", "--" + tableHeader + "Quyết định miễn thuế của Thủ tướng Chính phủ trong trường hợp điều ước quốc tế hoặc thỏa thuận với tổ chức phi chính phủ nước ngoài không quy định cụ thể chủng loại (đối với đối tượng quy định tại điểm c khoản 1 Điều 5)0 bản chính,1 bản sao" +
			"Giấy chứng nhận đầu tư hoặc văn bản chấp thuận khi có thay đổi vốn hoặc thay đổi địa điểm1 bản chính" +
			"Hộ chiếu khi nhập cảnh hoặc giấy tờ có giá trị thay thế hộ chiếu1 bản chính",
			[]string{"Quyết định miễn thuế của Thủ tướng Chính phủ trong trường hợp điều ước quốc tế hoặc thỏa thuận với tổ chức phi chính phủ nước ngoài không quy định cụ thể chủng loại",
				"Giấy chứng nhận đầu tư {Văn bản chấp thuận khi có thay đổi vốn hoặc thay đổi địa điểm}",
				"Hộ chiếu khi nhập cảnh {Giấy tờ có giá trị thay thế hộ chiếu}"}},
		// "… hoặc có tài liệu chứng minh …", "… hoặc tài liệu tương đương
		// với …": a paper named by what it proves or as the equivalent is
		// an option (rule 4, as "giấy tờ chứng minh" and dev4's "văn bản
		// có giá trị tương đương"); the verb "có" is no part of its name.
		{"DocumentThatProvesIsAnOption", "--" + tableHeader + "Văn bản đồng ý xóa đăng ký của những người có quyền lợi quốc tế có thứ tự ưu tiên cao hơn hoặc có tài liệu chứng minh các quyền lợi quốc tế có thứ tự ưu tiên cao hơn đã được thực hiện1 bản chính" +
			"Báo cáo nghiên cứu khả thi hoặc tài liệu tương đương với báo cáo nghiên cứu khả thi của dự án0 bản chính,1 bản sao",
			[]string{"Văn bản đồng ý xóa đăng ký của những người có quyền lợi quốc tế có thứ tự ưu tiên cao hơn {Tài liệu chứng minh các quyền lợi quốc tế có thứ tự ưu tiên cao hơn đã được thực hiện}",
				"Báo cáo nghiên cứu khả thi {Tài liệu tương đương với báo cáo nghiên cứu khả thi của dự án}"}},
		// "Văn bản hoặc biên bản X": a bare type before the "hoặc" shares
		// X, one paper; a later "hoặc" still offers another (rule 4).
		{"BareTypeSharesTheName", "--" + tableHeader + "Văn bản hoặc biên bản xác nhận tai nạn có xác nhận của cơ quan công an hoặc xác nhận mức độ thương tật của cơ quan y tế1 bản chính,1 bản sao" +
			"Quyết định hoặc văn bản chấp thuận chủ trương đầu tư1 bản chính",
			[]string{"Văn bản hoặc biên bản xác nhận tai nạn có xác nhận của cơ quan công an {Xác nhận mức độ thương tật của cơ quan y tế}",
				"Quyết định hoặc văn bản chấp thuận chủ trương đầu tư"}},
		// "X. Trường hợp … không quy định việc cấp loại giấy tờ này thì
		// phải có Y": the condition says X cannot be had, Y stands in.
		{"StandInWhenThisPaperCannotBeHad", "--" + tableHeader + "Giấy tờ do cơ quan có thẩm quyền của nước ngoài cấp về việc giữ quốc tịch nước ngoài. Trường hợp pháp luật nước ngoài không quy định việc cấp loại giấy tờ này thì phải có bản cam đoan về việc xin giữ quốc tịch nước ngoài là phù hợp với pháp luật của nước ngoài đó.1 bản chính" +
			"Giấy chứng nhận đăng ký. Trường hợp giấy tờ này bị mất thì phải có chữ ký của người đại diện.1 bản chính",
			[]string{"Giấy tờ do cơ quan có thẩm quyền của nước ngoài cấp về việc giữ quốc tịch nước ngoài {Bản cam đoan về việc xin giữ quốc tịch nước ngoài là phù hợp với pháp luật của nước ngoài đó}",
				"Giấy chứng nhận đăng ký"}},
		// "X gồm: A; B; hoặc C": a list closed by "hoặc" is one of its
		// papers, a group named by the intro (rule 4); without the
		// "hoặc" every item is a paper.
		{"ListClosedByOr", "--" + tableHeader + "Tài liệu về mức vốn điều lệ (bản sao) gồm: Văn bản chứng minh tương ứng với hình thức góp vốn: Xác nhận của ngân hàng về số dư tài khoản đối với tiền mặt; kết quả thẩm định giá đối với các tài sản góp vốn khác; hoặc báo cáo tài chính được kiểm toán tại thời điểm gần nhất;0 bản chính,1 bản sao" +
			"Hồ sơ gồm: Đơn đề nghị; Bản sao giấy phép; Báo cáo tài chính1 bản chính",
			[]string{"Tài liệu về mức vốn điều lệ: Văn bản chứng minh tương ứng với hình thức góp vốn {Xác nhận của ngân hàng về số dư tài khoản đối với tiền mặt | Kết quả thẩm định giá đối với các tài sản góp vốn khác | Báo cáo tài chính được kiểm toán tại thời điểm gần nhất}",
				"Đơn đề nghị", "Bản sao giấy phép", "Báo cáo tài chính"}},
		// Rule 6: a condition named only by the law's article ("đối với
		// đối tượng quy định tại điểm a …") leaves the name; one in words
		// stays.
		{"ConditionByArticleIsACitation", "--" + tableHeader + "Chứng minh thư do Bộ Ngoại giao cấp đối với đối tượng quy định tại điểm a, điểm b khoản 1 Điều 5 Nghị định số 134/2016/NĐ-CP0 bản chính,1 bản sao" +
			"Giấy phép lao động đối với đối tượng là người nước ngoài0 bản chính,1 bản sao",
			[]string{"Chứng minh thư do Bộ Ngoại giao cấp", "Giấy phép lao động đối với đối tượng là người nước ngoài"}},
		// The form two of four cases list is not hoisted when the other
		// cases name a form of their own (a "Thông báo thay đổi …"):
		// each case has its own, none is missing.
		{"EachCaseHasItsOwnForm", "- Trường hợp thay đổi ngành, nghề kinh doanh:" + tableHeader + "Nghị quyết về việc thay đổi ngành nghề0 bản chính,1 bản sao(i) Thông báo thay đổi nội dung đăng ký doanh nghiệp;1 bản chính" +
			"- Trường hợp thay đổi địa chỉ trụ sở chính:" + tableHeader + "Giấy đề nghị đăng ký thay đổi nội dung đăng ký doanh nghiệp1 bản chínhNghị quyết về việc thay đổi địa chỉ1 bản chính" +
			"- Trường hợp đổi tên doanh nghiệp:" + tableHeader + "Giấy đề nghị đăng ký thay đổi nội dung đăng ký doanh nghiệp1 bản chínhNghị quyết về việc đổi tên0 bản chính,1 bản sao" +
			"Trường hợp ủy quyền cho cá nhân thực hiện thủ tục:" + tableHeader + "Văn bản ủy quyền1 bản chính",
			[]string{"[Trường hợp thay đổi ngành, nghề kinh doanh] Nghị quyết về việc thay đổi ngành nghề",
				"[Trường hợp thay đổi ngành, nghề kinh doanh] Thông báo thay đổi nội dung đăng ký doanh nghiệp",
				"[Trường hợp thay đổi địa chỉ trụ sở chính] Giấy đề nghị đăng ký thay đổi nội dung đăng ký doanh nghiệp",
				"[Trường hợp thay đổi địa chỉ trụ sở chính] Nghị quyết về việc thay đổi địa chỉ",
				"[Trường hợp đổi tên doanh nghiệp] Giấy đề nghị đăng ký thay đổi nội dung đăng ký doanh nghiệp",
				"[Trường hợp đổi tên doanh nghiệp] Nghị quyết về việc đổi tên",
				"Văn bản ủy quyền"}},
		// A "Lưu ý" that asks for "một trong các giấy tờ sau đây: A, B, C"
		// names papers: a group on its condition, not a note (rule 4, the
		// dev5 call); a "Lưu ý" without such a list stays a note.
		{"NoteAskingForOneOfPapers", "--" + tableHeader + "Lưu ý: Trường hợp không khai thác được thông tin trên cơ sở dữ liệu quốc gia về dân cư thì cán bộ tiếp nhận yêu cầu cá nhân bổ sung một trong các giấy tờ sau đây: Thẻ căn cước công dân, Chứng minh nhân dân, Hộ chiếu;1 bản chính" +
			"Lưu ý: Hồ sơ nộp trực tuyến phải được ký số.1 bản chínhĐơn đề nghị1 bản chính",
			[]string{"Một trong các giấy tờ {Thẻ căn cước công dân | Chứng minh nhân dân | Hộ chiếu}", "Đơn đề nghị"}},
		// A note row whose later sentence asks for a paper on an add-on
		// condition gives that paper to the common case (rule 1); a note
		// without such a sentence gives none.
		{"AddOnPaperInANote", "Trường hợp đổi tên:" + tableHeader + "Giấy đề nghị đăng ký thay đổi1 bản chính" + "Trường hợp đổi địa chỉ:" + tableHeader + "Thông báo thay đổi1 bản chính" +
			"--" + tableHeader + "- Người ủy quyền và người được ủy quyền chịu trách nhiệm trước pháp luật về việc ủy quyền. Trường hợp chưa có tài khoản định danh điện tử để thực hiện xác thực điện tử thì hồ sơ đăng ký doanh nghiệp phải kèm theo bản sao thẻ Căn cước hoặc hộ chiếu của người uỷ quyền.0 bản chính" +
			"- Người nộp hồ sơ chịu trách nhiệm về tính trung thực. Trường hợp hồ sơ hợp lệ thì cơ quan đăng ký cấp giấy chứng nhận.0 bản chính",
			[]string{"[Trường hợp đổi tên] Giấy đề nghị đăng ký thay đổi", "[Trường hợp đổi địa chỉ] Thông báo thay đổi",
				"Bản sao thẻ Căn cước {Hộ chiếu của người uỷ quyền}"}},
	})
}

// TestCaseStructure: rules whose effect is on the cases themselves, each
// on a short synthetic text in the portal's glued format.
func TestCaseStructure(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, text string
		cases      int // named cases
		want       []string
	}{
		// A row whose bullet is glued to the form word ("*Đơn đề nghị …
		// Thông tư số 07/2026/TT-BNNMTMus03.docx") is a paper, not a file
		// name: the case it is the only paper of keeps its heading (rule 1).
		// A table heading that names one paper "theo một trong các trường
		// hợp sau" lists its forms, one per situation: one group, no
		// case; a lone "Đối với …:" row beside it is then no case either.
		{"OneOfTheCasesTable", "01 bản chính Báo cáo đề xuất cấp giấy phép môi trường theo một trong các trường hợp sau:" + tableHeader +
			"+ Trường hợp dự án đã có quyết định phê duyệt: mẫu quy định tại Mẫu số 22b Phụ lục kèm theo Thông tư số 09/2026/TT-BNNMT.1 bản chính+ Trường hợp cơ sở đang hoạt động: mẫu quy định tại Mẫu số 22d Phụ lục kèm theo Thông tư số 09/2026/TT-BNNMT.1 bản chính" +
			"--" + tableHeader + "Văn bản đề nghị cấp giấy phép môi trường1 bản chính- Đối với dự án không thuộc đối tượng phải đánh giá tác động môi trường: 01 bản sao Báo cáo nghiên cứu khả thi0 bản chính,1 bản sao",
			0, []string{"Báo cáo đề xuất cấp giấy phép môi trường theo một trong các trường hợp sau {Báo cáo đề xuất cấp giấy phép môi trường theo Mẫu số 22b (Trường hợp dự án đã có quyết định phê duyệt) | Báo cáo đề xuất cấp giấy phép môi trường theo Mẫu số 22d (Trường hợp cơ sở đang hoạt động)}",
				"Văn bản đề nghị cấp giấy phép môi trường", "Bản sao Báo cáo nghiên cứu khả thi"}},
		{"BulletBeforeFormWord", "Trường hợp nhập khẩu để khảo nghiệm" + tableHeader + "Phiếu an toàn hóa chất1 bản chínhĐơn đề nghị cấp Giấy phép nhập khẩu theo Mẫu số 03 ban hành kèm theo Thông tư số 07/2026/TT-BNNMTMus03-PhlcII.docx1 bản chính" +
			"Trường hợp nhập khẩu để làm chất chuẩn" + tableHeader + "*Đơn đề nghị cấp Giấy phép nhập khẩu theo Mẫu số 03 ban hành kèm theo Thông tư số 07/2026/TT-BNNMTMus03-PhlcII.docx1 bản chính",
			2, []string{"[Trường hợp nhập khẩu để khảo nghiệm] Phiếu an toàn hóa chất", "Đơn đề nghị cấp Giấy phép nhập khẩu theo Mẫu số 03"}},
	} {
		p := parseText(t, c.text)
		got := strings.Split(strings.TrimSuffix(renderStructure(p), "\n"), "\n")
		if len(p.Cases) != c.cases || strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: %d cases %+v\n got  %q\n want %q", c.name, len(p.Cases), p.Cases, got, c.want)
		}
	}
}

// A row that repeats a one-of group's option with its legal basis cut is
// still that option (1.013225's land certificates, once the row's closing
// "theo quy định của pháp luật …" went to its note).
func TestNamesOption(t *testing.T) {
	t.Parallel()
	opt := vntext.FoldedTokens("Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất được cấp theo quy định của pháp luật về đất đai qua các thời kỳ")
	for _, c := range []struct {
		row  string
		want bool
	}{
		{"Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất được cấp", true},
		{"Giấy chứng nhận quyền sử dụng đất", false},           // too short to name this option
		{"Giấy chứng nhận quyền sở hữu nhà ở được cấp", false}, // another paper
	} {
		if got := namesOption(vntext.FoldedTokens(c.row), opt); got != c.want {
			t.Errorf("%q: %v", c.row, got)
		}
	}
}

// A name that is nothing but a legal instrument's number is the law a
// paper cites (2.002832 gave "Nghị quyết số 05/2025/NQ-CP" as a paper).
func TestLawRefOnly(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"Nghị quyết số 05/2025/NQ-CP":                    true,
		"Nghị Quyết 05/2025/NQ-CP":                       true,
		"Thông tư 62/2024/TT-NHNN.":                      true,
		"Quyết định số 12/2023/QĐ-UBND":                  true,
		"Quyết định số 12/2023/QĐ-UBND về việc giao đất": false,
		"Quyết định cho thuê đất":                        false,
	} {
		if got := lawRefOnly.MatchString(name); got != want {
			t.Errorf("%q: %v", name, got)
		}
	}
}
