package web

import (
	"regexp"
	"strings"
)

// consoleMessages are the labels of agencies, the arranged dossier page and
// the error pages (issue 21, items 1–3), merged into messages at start. Kept
// apart from i18n.go so that pages added alongside do not collide.
var consoleMessages = map[string][2]string{
	"nav.agencies":         {"Cơ quan", "Agencies"},
	"agency.title":         {"Cơ quan tiếp nhận", "Receiving agencies"},
	"agency.code":          {"Mã", "Code"},
	"agency.name":          {"Tên", "Name"},
	"agency.province":      {"Tỉnh/thành phố", "Province"},
	"agency.active":        {"Đang hoạt động", "Active"},
	"agency.inactive":      {"Ngừng hoạt động", "Inactive"},
	"agency.state":         {"Trạng thái", "State"},
	"agency.save":          {"Lưu", "Save"},
	"agency.add":           {"Thêm hoặc sửa cơ quan (theo mã)", "Add or change an agency (by code)"},
	"agency.all":           {"Mọi cơ quan", "Every agency"},
	"agency.filter":        {"Cơ quan", "Agency"},
	"agency.code.hint":     {"chữ thường không dấu, số và gạch ngang, ví dụ ubnd-phuong-ba-dinh", "lower-case letters, digits and hyphens, e.g. ubnd-phuong-ba-dinh"},
	"done.agency_save":     {"Đã lưu cơ quan.", "Agency saved."},
	"action.agency.put":    {"Sửa danh mục cơ quan", "Changed an agency"},
	"action.agency.import": {"Nạp danh mục cơ quan", "Imported agencies"},
	"users.agency":         {"Cơ quan", "Agency"},
	"users.state":          {"Trạng thái", "State"},
	"users.active":         {"Hoạt động", "Active"},
	"list.more":            {"Xem thêm", "Show more"},
	"list.page":            {"Trang %d/%d", "Page %d of %d"},
	"audit.newest":         {"Mới nhất", "Newest"},

	"zone":                   {"giờ Việt Nam", "Vietnam time"},
	"zone.note":              {"Các thời điểm trong bảng theo giờ Việt Nam.", "Times in the table are Vietnam time."},
	"findings.na":            {"%d yêu cầu không áp dụng cho hồ sơ này", "%d requirements do not apply to this dossier"},
	"cite.also":              {"Cũng có trong", "Also in"},
	"err.404.title":          {"Không tìm thấy trang", "Page not found"},
	"err.404.text":           {"Địa chỉ này không có trong hệ thống. Hãy kiểm tra lại đường dẫn hoặc quay về hàng đợi hồ sơ.", "There is no page at this address. Check the link or go back to the queue."},
	"err.500.text":           {"Hệ thống gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại. Vui lòng thử lại sau ít phút. Đây không phải lỗi của bạn.", "The system failed while handling the request; the error is logged. Please try again in a few minutes. It is not your fault."},
	"status.accepted":        {"Đã tiếp nhận", "Accepted"},
	"status.draft":           {"Bản nháp", "Draft"},
	"status.proactive":       {"Đề xuất chủ động", "Proactive"},
	"method.classical":       {"mô hình phân loại cục bộ", "local classifier"},
	"method.llm":             {"mô hình ngôn ngữ (AI)", "language model (AI)"},
	"method.none":            {"không phân loại được", "not classified"},
	"method.rules":           {"quy tắc", "rules"},
	"subject.applicant":      {"người yêu cầu", "applicant"},
	"subject.authorised":     {"người được ủy quyền", "authorised person"},
	"subject.authoriser":     {"người ủy quyền", "authoriser"},
	"subject.child":          {"con", "child"},
	"subject.father":         {"cha", "father"},
	"subject.mother":         {"mẹ", "mother"},
	"subject.holder":         {"chủ giấy tờ", "holder"},
	"subject.household_head": {"chủ hộ", "head of household"},
	"subject.husband":        {"chồng", "husband"},
	"subject.wife":           {"vợ", "wife"},
	"subject.owner":          {"chủ sở hữu", "owner"},
	"subject.tenant":         {"người thuê", "tenant"},

	"fieldname.year_of_birth":        {"Năm sinh", "Year of birth"},
	"fieldname.business_name":        {"Tên hộ kinh doanh", "Business name"},
	"fieldname.construction_address": {"Địa điểm xây dựng", "Construction site"},
	"fieldname.household_head":       {"Chủ hộ", "Head of household"},
	"fieldname.birth_year_from_id":   {"Năm sinh theo số định danh", "Birth year from the ID number"},
	"fieldname.gender":               {"Giới tính", "Sex"},
	"fieldname.nationality":          {"Quốc tịch", "Nationality"},
	"fieldname.place_of_birth":       {"Nơi sinh", "Place of birth"},
	"fieldname.ethnicity":            {"Dân tộc", "Ethnicity"},
	"fieldname.relationship":         {"Quan hệ", "Relationship"},
	"fieldname.phone":                {"Số điện thoại", "Phone"},
	"fieldname.email":                {"Thư điện tử", "Email"},
	"fieldname.tax_code":             {"Mã số thuế", "Tax code"},
	"fieldname.land_certificate":     {"Số giấy chứng nhận quyền sử dụng đất", "Land-use certificate number"},
}

func init() {
	for k, v := range consoleMessages {
		if _, ok := messages[k]; !ok {
			messages[k] = v
		}
	}
}

// englishAside matches a parenthetical English gloss that hoso's own text
// appends to Vietnamese ("(to be shown, not submitted)"): ASCII only, with
// at least one lower-case word of two letters or more, so that
// abbreviations ("(CCCD)") and unaccented proper names stay.
var englishAside = regexp.MustCompile(`\s*\(([A-Za-z0-9][A-Za-z0-9 ,;:'’/.-]*)\)`)

var lowerWord = regexp.MustCompile(`(^|[^A-Za-z])[a-z]{2,}`)

// localText shows hoso-written text in lang: Vietnamese pages drop the
// English glosses, English pages keep them.
func localText(lang, s string) string {
	if lang == "en" || !strings.Contains(s, "(") {
		return s
	}
	// "(… ; cán bộ xác nhận — case inferred from the other documents)"
	s = strings.ReplaceAll(s, " — case inferred from the other documents)", ")")
	return englishAside.ReplaceAllStringFunc(s, func(m string) string {
		inner := englishAside.FindStringSubmatch(m)[1]
		if lowerWord.MatchString(inner) {
			return ""
		}
		return m
	})
}
