package catalog

import (
	"os"
	"strings"
	"testing"
)

func TestParseLegalBasis(t *testing.T) {
	t.Parallel()
	in := "Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí85/2019/TT-BTCNghị định số 123/2015/NĐ-CP ngày 15/11/2015 quy định chi tiết Luật Hộ tịch123/2015/NĐ-CPLuật 60/2014/QH1360/2014/QH13Nghị quyết số 66.7/2025/NQ-CP: cắt giảm66.7/2025/NQ-CP"
	got := ParseLegalBasis(in)
	want := []string{"85/2019/TT-BTC", "123/2015/NĐ-CP", "60/2014/QH13", "66.7/2025/NQ-CP"}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, w := range want {
		if got[i].Number != w {
			t.Errorf("%d: %q, want %q", i, got[i].Number, w)
		}
	}
	if got[1].Title == "" || got[0].Title != "Thông tư Hướng dẫn về phí" {
		t.Errorf("titles: %+v", got)
	}
}

func TestParseComponents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		text  string
		check func(t *testing.T, rs []Requirement)
	}{
		{"QuantityAndFormFile", "--" + tableHeader + "- Đơn đề nghị cấp lại theo Mẫu số 14.QLT Phụ lục IA;Mẫu số 14.docx1 bản chính,1 bản sao- Tài liệu liên quan.0 bản chính,2 bản sao",
			func(t *testing.T, rs []Requirement) {
				if len(rs) != 2 || rs[0].Originals != 1 || rs[0].Copies != 1 || rs[1].Originals != 0 || rs[1].Copies != 2 {
					t.Fatalf("%+v", rs)
				}
				if rs[0].Form == nil || *rs[0].Form != "Mẫu số 14.QLT" || len(rs[0].FormFiles) != 1 {
					t.Errorf("form %v files %v", rs[0].Form, rs[0].FormFiles)
				}
			}},
		{"SubmitAndPresentSections", "* Giấy tờ phải nộp:" + tableHeader + "Tờ khai theo mẫu1 bản chính* Giấy tờ phải xuất trình:" + tableHeader + "Hộ chiếu còn giá trị sử dụng1 bản chính",
			func(t *testing.T, rs []Requirement) {
				if len(rs) != 2 || rs[0].Kind != KindSubmit || rs[1].Kind != KindPresent {
					t.Fatalf("%+v", rs)
				}
			}},
		{"ConditionMakesOptional", "--" + tableHeader + "- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi.1 bản chính",
			func(t *testing.T, rs []Requirement) {
				if len(rs) != 1 || rs[0].Condition == nil || !rs[0].Optional || rs[0].Name != "Biên bản về việc trẻ bị bỏ rơi" {
					t.Fatalf("%+v", rs)
				}
			}},
		{"OnceOnlyClauseIsAnAttribute", "--" + tableHeader + "Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh thì không phải nộp bản giấy.0 bản chính- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng.1 bản chính",
			func(t *testing.T, rs []Requirement) {
				if len(rs) != 1 || rs[0].ElectronicSubstitute == nil || len(rs[0].Alternatives) != 1 || rs[0].Key != "giay-chung-sinh" {
					t.Fatalf("%+v", rs)
				}
			}},
		{"QuantityInsideName", "--" + tableHeader + "- Tờ khai hải quan: 02 bản chính. Tại ô chứng từ ghi rõ.1 bản chính",
			func(t *testing.T, rs []Requirement) {
				if len(rs) != 1 || rs[0].Originals != 1 {
					t.Fatalf("%+v", rs)
				}
			}},
		{"NoteRowsAreNotRequirements", "--" + tableHeader + "Người tiếp nhận có trách nhiệm kiểm tra.0 bản chính- Giấy đề nghị1 bản chính",
			func(t *testing.T, rs []Requirement) {
				if len(rs) != 1 || rs[0].Name != "Giấy đề nghị" {
					t.Fatalf("%+v", rs)
				}
			}},
		{"NeverEmpty", "Nộp đơn theo quy định",
			func(t *testing.T, rs []Requirement) {
				if len(rs) != 1 || rs[0].Confidence >= ReviewThreshold {
					t.Fatalf("%+v", rs)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rs, _ := ParseComponents(tt.text)
			tt.check(t, rs)
		})
	}
}

func TestValidateOverride(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct{ yaml, field string }{
		"MissingDate":  {"code: \"1.001193\"\n", "effective_from"},
		"BadKind":      {"code: \"1.001193\"\neffective_from: \"2025-07-01\"\nrequirements:\n  - name: A\n    kind: give\n", "requirements[0].kind"},
		"NegativeCopy": {"code: \"1.001193\"\neffective_from: \"2025-07-01\"\nadd_requirements:\n  - name: A\n    copies: -1\n", "add_requirements[0].copies"},
		"UnknownField": {"code: \"1.001193\"\neffective_from: \"2025-07-01\"\nrequirments: []\n", "requirments"},
		"EmptyName":    {"code: \"1.001193\"\neffective_from: \"2025-07-01\"\nrequirements:\n  - kind: submit\n", "requirements[0].name"},
	} {
		t.Run(name, func(t *testing.T) {
			err := ValidateOverride([]byte(tt.yaml))
			if err == nil || !contains(err.Error(), tt.field) {
				t.Fatalf("err = %v, want it to name %q", err, tt.field)
			}
		})
	}
	if err := ValidateOverride(mustRead(t, "../../pipelines/catalog/1.001193.yaml")); err != nil {
		t.Fatalf("shipped example: %v", err)
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNameDefect(t *testing.T) {
	long := strings.Repeat("Giấy tờ ", 40)
	for _, c := range []struct {
		name string
		bad  bool
	}{
		{"Đơn đề nghị cấp giấy phép", false},
		{"Bản sao Giấy chứng nhận (nếu có)", false},
		{"Báo cáo kết quả thực hiện năm tiếp theo", false},
		{"Thông tin về cổ đông hoặc thành viên góp vốnmẫu số 2 nđ 88.docx", true},
		{"Tờ khai tTokhaixoadangky (1).docx", true},
		{"A", true},
		{"1a", true},
		{"Các tài liệu liên quan khác kèm theo", false},
		{"Văn bản đề nghị cấp giấy phép theo", true},
		{"Bản sao giấy tờ của", true},
		{"Đối với", true},
		{"Giấy chứng nhận (nếu có).0 bản chính,1 bản sao) Bản sao", true},
		{"Giấy chứng nhận kết quả kiểm định)", true},
		{long, true},
	} {
		if got := nameDefect(c.name) != ""; got != c.bad {
			t.Errorf("nameDefect(%.60q) = %v, want %v", c.name, got, c.bad)
		}
	}
	for _, c := range [][2]string{{".Tên, địa điểm", "Tên, địa điểm"}, {"); nộp hồ sơ cho cơ quan BHXH", "Nộp hồ sơ cho cơ quan BHXH"}, {")", ")"}, {"Tờ khai (mẫu 01)", "Tờ khai (mẫu 01)"}} {
		if got := trimLead(c[0]); got != c[1] {
			t.Errorf("trimLead(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}
