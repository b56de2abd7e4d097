package catalog

import "testing"

// TestSectionedTables: a text whose portal table comes several times, each
// after a heading of its own. Whether those headings are cases (rule 1)
// follows from what they say, not from the number of tables.
func TestSectionedTables(t *testing.T) {
	t.Parallel()
	checkRendered(t, []renderCase{
		// Tables that each open with "Hồ sơ <what> gồm:" are the dossiers
		// of different stages or benefits, one of which is handed in: each
		// is a case, named without its list phrase; a paper both list is
		// one requirement of both (rule 2).
		{"DossierHeadingsAreCases", "* Hồ sơ đề nghị hưởng trợ cấp tai nạn, gồm: " + tableHeader +
			"- Giấy ra viện.1 bản chính" + "Đơn đề nghị trợ cấp (Mẫu số 02).Mau02.docx1 bản chính" +
			"* Hồ sơ đề nghị hưởng trợ cấp tiền tuất, tiền mai táng phí, gồm: " + tableHeader +
			"- Bản sao giấy chứng tử.0 bản chính,1 bản sao" + "Đơn đề nghị trợ cấp (Mẫu số 02).Mau02.docx1 bản chính" +
			"Bao gồm" + tableHeader + "Khi các cơ quan hoàn thành việc kết nối, chia sẻ dữ liệu thì không được yêu cầu hồ sơ giấy.0 bản chính",
			[]string{"[Hồ sơ đề nghị hưởng trợ cấp tai nạn] Giấy ra viện",
				"Đơn đề nghị trợ cấp (Mẫu số 02)",
				"[Hồ sơ đề nghị hưởng trợ cấp tiền tuất, tiền mai táng phí] Bản sao giấy chứng tử"}},
		// The same with the longer list phrases and numbering.
		{"DossierHeadingsWithListPhrases", "a) Hồ sơ trình thẩm định quy hoạch gồm các tài liệu chủ yếu sau đây:" + tableHeader + "Tờ trình thẩm định quy hoạch1 bản chính" +
			"b) Hồ sơ trình phê duyệt quy hoạch bao gồm:" + tableHeader + "Tờ trình phê duyệt quy hoạch1 bản chínhBáo cáo kết quả thẩm định1 bản chính",
			[]string{"[a) Hồ sơ trình thẩm định quy hoạch] Tờ trình thẩm định quy hoạch",
				"[b) Hồ sơ trình phê duyệt quy hoạch] Tờ trình phê duyệt quy hoạch",
				"[b) Hồ sơ trình phê duyệt quy hoạch] Báo cáo kết quả thẩm định"}},
		// A dossier heading beside a "Trường hợp …" table is one case of
		// two.
		{"DossierHeadingBesideACase", "Hồ sơ đề nghị cấp giấy phép gồm:" + tableHeader + "Đơn đề nghị cấp giấy phép1 bản chính" +
			"Trường hợp cấp lại:" + tableHeader + "Đơn đề nghị cấp lại1 bản chính",
			[]string{"[Hồ sơ đề nghị cấp giấy phép] Đơn đề nghị cấp giấy phép", "[Trường hợp cấp lại] Đơn đề nghị cấp lại"}},
		// A lone dossier heading is the title of the only dossier; the
		// add-on table after it is no case either.
		{"LoneDossierHeadingIsNoCase", "Hồ sơ đề nghị cấp giấy phép gồm:" + tableHeader + "Đơn đề nghị cấp giấy phép1 bản chính" +
			"Trường hợp ủy quyền thực hiện thủ tục:" + tableHeader + "Văn bản ủy quyền1 bản chính",
			[]string{"Đơn đề nghị cấp giấy phép", "Văn bản ủy quyền"}},
		// "Hồ sơ của người nhận con nuôi" / "… của người được nhận làm con
		// nuôi": each party's share of one dossier, both handed in (the
		// dev7 call on 1.003005): no cases.
		{"PartyHeadingsAreParts", "Hồ sơ của người nhận con nuôi:" + tableHeader + "Đơn xin nhận con nuôi1 bản chínhBản sao Hộ chiếu0 bản chính,1 bản sao" +
			"Hồ sơ của người được nhận làm con nuôi:" + tableHeader + "Giấy khai sinh0 bản chính,1 bản sao" +
			"Lưu ý" + tableHeader + "Hồ sơ được lập thành 01 bộ.0 bản chính",
			[]string{"Đơn xin nhận con nuôi", "Bản sao Hộ chiếu", "Giấy khai sinh"}},
		// "Các giấy tờ phải nộp đối với tàu biển" names its case however
		// short; the papers a later "phải xuất trình" table lists under
		// "Đối với tàu biển:" are shown in that case (the dev6 1.005040
		// call).
		{"ShownPapersJoinTheirTableCase", "Các giấy tờ phải nộp đối với phương tiện thủy nội địa, tàu cá" + tableHeader + "Trình báo theo mẫu2 bản chínhBản sao Tự họa sơ đồ vị trí0 bản chính,2 bản sao" +
			"Các giấy tờ phải nộp đối với tàu biển" + tableHeader + "Bản trích sao Nhật ký hàng hải0 bản chính,2 bản saoTrình báo theo mẫu2 bản chính" +
			"Các giấy tờ phải xuất trình (bản chính):" + tableHeader + "Đối với tàu biển: Bản trích sao Nhật ký hàng hải;1 bản chính",
			[]string{"Trình báo theo mẫu",
				"[Các giấy tờ phải nộp đối với phương tiện thủy nội địa, tàu cá] Bản sao Tự họa sơ đồ vị trí",
				"[Các giấy tờ phải nộp đối với tàu biển] Bản trích sao Nhật ký hàng hải",
				"[Các giấy tờ phải nộp đối với tàu biển] Bản trích sao Nhật ký hàng hải"}},
		// A paper both dossiers ask for on different conditions is one
		// requirement in each case, each with its own condition, not one
		// shared requirement with the first case's condition.
		{"PaperOnOtherConditionsStaysInEachCase", "* Hồ sơ đề nghị hưởng trợ cấp tai nạn, gồm: " + tableHeader +
			"- Trường hợp bị tai nạn giao thông thì có thêm biên bản của cơ quan Công an.1 bản chính" + "Đơn đề nghị trợ cấp1 bản chính" +
			"* Hồ sơ đề nghị hưởng trợ cấp tiền tuất, gồm: " + tableHeader +
			"- Trường hợp bị tai nạn giao thông dẫn đến chết thì có thêm biên bản của cơ quan Công an.1 bản chính" + "Đơn đề nghị trợ cấp1 bản chính",
			[]string{"[Hồ sơ đề nghị hưởng trợ cấp tai nạn] Biên bản của cơ quan Công an",
				"Đơn đề nghị trợ cấp",
				"[Hồ sơ đề nghị hưởng trợ cấp tiền tuất] Biên bản của cơ quan Công an"}},
		// "Trường hợp A trừ trường hợp B" is not B's table.
		{"ExceptionIsNoAlias", "- Trường hợp chuyển đổi công ty trừ trường hợp chuyển đổi do chỉ có một thành viên:" + tableHeader + "Giấy đề nghị1 bản chínhĐiều lệ1 bản chính" +
			"- Trường hợp chuyển đổi do chỉ có một thành viên:" + tableHeader + "Giấy đề nghị1 bản chínhDanh sách thành viên1 bản chính",
			[]string{"Giấy đề nghị",
				"[Trường hợp chuyển đổi công ty trừ trường hợp chuyển đổi do chỉ có một thành viên] Điều lệ",
				"[Trường hợp chuyển đổi do chỉ có một thành viên] Danh sách thành viên"}},
	})
}
