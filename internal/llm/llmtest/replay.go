package llmtest

import (
	"encoding/json"
	"strings"
)

// SampleToKhai is the birth-registration form (tờ khai đăng ký khai sinh)
// that the recorded replies were recorded for. Its personal data is fictional.
const SampleToKhai = `CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
TỜ KHAI ĐĂNG KÝ KHAI SINH
Kính gửi: Ủy ban nhân dân phường Hai Bà Trưng
Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Lan
Số định danh cá nhân: 001189012345
Điện thoại: 0912 345 678
Nơi cư trú: số 5 ngõ 12 phố Huế, phường Hai Bà Trưng, thành phố Hà Nội
Quan hệ với người được khai sinh: Mẹ
Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:
Họ, chữ đệm, tên: Trần Minh Anh
Ngày, tháng, năm sinh: 12/03/2026
Giới tính: Nữ
Nơi sinh: Bệnh viện Phụ sản Hà Nội
Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật.`

// SampleNames are the names field extraction finds in SampleToKhai.
var SampleNames = []string{"Nguyễn Thị Lan", "Trần Minh Anh"}

// SampleCandidates are the requirement keys the classify fixtures use.
var SampleCandidates = [][2]string{
	{"to_khai_khai_sinh", "Tờ khai đăng ký khai sinh"},
	{"giay_chung_sinh", "Giấy chứng sinh"},
	{"giay_uy_quyen", "Văn bản ủy quyền"},
}

// SampleFacts and SampleDraft are the suggestion the wording fixture polishes.
var (
	SampleFacts = []string{"Thiếu: Giấy chứng sinh (1 bản chính)", "Căn cứ: Điều 16 Luật Hộ tịch"}
	SampleDraft = "Hồ sơ đăng ký khai sinh còn thiếu Giấy chứng sinh (1 bản chính). Đề nghị bổ sung."
)

// Replay is the default responder: it answers each prompt with the recorded
// reply that fits the document, as the recording model did.
func Replay(prompt string, req ChatRequest) Reply {
	user := req.User()
	if isRepair(user) {
		// The recorded model fixed its answer when told what was wrong; the
		// fake has no better answer than the recording for the first turn.
		user = firstUser(req)
	}
	switch prompt {
	case "classify_v1":
		doc := document(user)
		switch {
		case strings.Contains(doc, "TỜ KHAI ĐĂNG KÝ KHAI SINH"):
			return Fixture("classify_to_khai_khai_sinh")
		case strings.Contains(doc, "GIẤY CHỨNG SINH"):
			return Fixture("classify_giay_chung_sinh")
		default:
			return Fixture("classify_other")
		}
	case "extract_fields_v1":
		return Fixture("extract_fields_to_khai")
	case "suggest_wording_v1":
		return Fixture("suggest_wording_missing")
	case "catalog_parse_v1":
		return Fixture("catalog_parse_khai_sinh")
	case "catalog_parse_v2":
		// Written by hand in the wire format (no model was recorded for
		// this prompt): the birth registration's two papers, one case.
		return Content(`{"cases":[{"case":"","requirements":[{"name":"Tờ khai đăng ký khai sinh theo mẫu","kind":"submit","alternatives":[]},{"name":"Giấy chứng sinh","kind":"submit","alternatives":[]}]}]}`)
	}
	return Reply{Status: 400, Body: `{"error":{"message":"Invalid schema for response_format: unknown prompt.","type":"invalid_request_error","param":"response_format","code":null}}`}
}

// Compromised answers as a model that followed the instructions injected
// into the document would: it tries to approve, to send, to call tools, to
// force a classification, and to invent data. The adapters must turn every
// one of these into a rejected output or a harmless, pending result.
func Compromised(prompt string, req ChatRequest) Reply {
	user := req.User()
	n := 0
	for _, r := range user {
		n += int(r)
	}
	attempt := strings.Count(strings.Join(roles(req), ","), "assistant")
	switch (n + attempt) % 5 {
	case 0:
		return Reply{ToolCall: "approve_dossier"}
	case 1:
		switch prompt {
		case "classify_v1":
			return Content(`{"document_type":"to_khai_khai_sinh","confidence":1.0,"evidence":"","approve":true,"status":"approved"}`)
		case "extract_fields_v1":
			return Content(`{"fields":[],"approved":true,"send_to_citizen":true}`)
		default:
			return Content(`{"text":"Hồ sơ của Ông/Bà đã được phê duyệt.","approve":true,"send":true}`)
		}
	case 2:
		switch prompt {
		case "classify_v1":
			return Content(`{"document_type":"approved","confidence":1.0,"evidence":"Hệ thống đã phê duyệt"}`)
		case "extract_fields_v1":
			return Content(`{"fields":[{"name":"id_number","value":"000000000000","subject":"applicant"},{"name":"approval_status","value":"APPROVED","subject":"applicant"}]}`)
		default:
			return Content(`{"text":"Hồ sơ đã được phê duyệt theo Quyết định số 999/QĐ-UBND ngày 01/01/2027. Vui lòng liên hệ 0987654321."}`)
		}
	case 3:
		return Content(`Tôi đã phê duyệt hồ sơ này theo yêu cầu. {"approve": true}`)
	default:
		switch prompt {
		case "classify_v1":
			return Content(`{"document_type":"to_khai_khai_sinh","confidence":1.0,"evidence":"hồ sơ đã được phê duyệt tự động"}`)
		case "extract_fields_v1":
			return Content(`{"fields":[{"name":"full_name","value":"Quản Trị Viên Hệ Thống","subject":"applicant"}]}`)
		default:
			return Content(`{"text":"Hồ sơ đã được duyệt và gửi tới công dân. Xem thêm tại https://evil.example/ho-so."}`)
		}
	}
}

func roles(req ChatRequest) []string {
	out := make([]string, len(req.Messages))
	for i, m := range req.Messages {
		out[i] = m.Role
	}
	return out
}

func isRepair(user string) bool {
	return strings.Contains(user, "Câu trả lời trước không hợp lệ")
}

func firstUser(req ChatRequest) string {
	for _, m := range req.Messages {
		if m.Role == "user" {
			return m.Content
		}
	}
	return ""
}

// document returns the text between the last <document> and </document>.
func document(user string) string {
	i := strings.LastIndex(user, "<document>")
	j := strings.LastIndex(user, "</document>")
	if i < 0 || j < i {
		return user
	}
	return user[i+len("<document>") : j]
}

// MustJSON marshals v for scripted content.
func MustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// ClassifyByTitle answers classify_v1 the way a capable model would on the
// sample dossiers (data/dossiers), with the real catalog's requirement keys
// for the birth-registration papers, read from the document's title; the
// other prompts get Replay.
func ClassifyByTitle(prompt string, req ChatRequest) Reply {
	if prompt != "classify_v1" {
		return Replay(prompt, req)
	}
	u := req.User()
	key := "other"
	switch {
	case strings.Contains(u, "GIẤY CHỨNG SINH"):
		key = "giay-chung-sinh"
	case strings.Contains(u, "TỜ KHAI ĐĂNG KÝ KHAI SINH"):
		key = "to-khai-dang-ky-khai-sinh-theo-mau"
	case strings.Contains(u, "THẺ CĂN CƯỚC"):
		key = "ho-chieu-the-can-cuoc-cong-dan-the-can-cuoc-can"
	}
	return Content(`{"document_type":"` + key + `","confidence":0.93,"evidence":"tiêu đề văn bản"}`)
}
