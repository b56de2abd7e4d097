package prompts_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/prompts"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

type candidate struct{ Key, Name string }

// goldenInputs are realistic inputs for every released prompt.
var goldenInputs = map[string]any{
	"classify_v1": map[string]any{
		"Candidates": []candidate{
			{"to_khai_khai_sinh", "Tờ khai đăng ký khai sinh"},
			{"giay_chung_sinh", "Giấy chứng sinh"},
			{"giay_uy_quyen", "Văn bản ủy quyền"},
		},
		"Text": "GIẤY CHỨNG SINH\nHọ và tên mẹ: [HỌ_TÊN_1]\nSinh con lúc 08 giờ 30 ngày 12/03/2026 tại Bệnh viện Phụ sản Hà Nội",
	},
	"extract_fields_v1": map[string]any{
		"DocType": "Tờ khai đăng ký khai sinh",
		"Text":    "Họ, chữ đệm, tên người yêu cầu: [HỌ_TÊN_1]\nSố định danh cá nhân: [CCCD_1]\nNơi cư trú: số 5 ngõ 12 phố Huế, phường Hai Bà Trưng, Hà Nội",
	},
	"suggest_wording_v1": map[string]any{
		"Facts": []string{"Thiếu: Giấy chứng sinh (1 bản chính)", "Căn cứ: Điều 16 Luật Hộ tịch 60/2014/QH13"},
		"Draft": "Hồ sơ còn thiếu Giấy chứng sinh (1 bản chính). Đề nghị bổ sung.",
	},
	"catalog_parse_v1": map[string]any{
		"ProcedureName": "Đăng ký khai sinh",
		"Text":          "Tên giấy tờMẫu đơn, tờ khaiSố lượng- Tờ khai đăng ký khai sinh theo mẫuTờ khai đăng ký khai sinh.docBản chính: 1Bản sao: 0- Giấy chứng sinhBản chính: 1Bản sao: 0",
	},
	"catalog_parse_v2": map[string]any{
		"ProcedureName": "Cấp lại giấy phép, năng định nhân viên bảo đảm hoạt động bay",
		"Text":          "Trường hợp giấy phép hết hạn hiệu lực, hồ sơ bao gồm:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Văn bản đề nghị cấp lại giấy phép nhân viên (kèm theo danh sách) và đơn đề nghị cấp lại giấy phép1 bản chính,1 bản sao- 02 ảnh cỡ 3x4 cm1 bản chínhTrường hợp giấy phép bị mất hoặc bị hỏng, hồ sơ bao gồm:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Bản gốc hoặc bản sao giấy phép nhân viên (nếu có).1 bản chính",
	},
	"repair_v1": map[string]any{"Error": "at '/confidence': maximum: got 1.5, want 1"},
}

func TestGolden(t *testing.T) {
	names := prompts.Names()
	if len(names) != len(goldenInputs) {
		t.Fatalf("prompts %v, golden inputs for %d: add an input for every new prompt", names, len(goldenInputs))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, ok := goldenInputs[name]
			if !ok {
				t.Fatalf("no golden input for %s", name)
			}
			text, hash, err := prompts.Render(name, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(hash) != 64 {
				t.Errorf("hash %q is not a sha256 hex", hash)
			}
			if !norm.NFC.IsNormalString(text) {
				t.Error("rendered text is not NFC")
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./prompts -update)", err)
			}
			if text != string(want) {
				t.Errorf("render %s differs from %s (run go test ./prompts -update after a deliberate change, and bump the version)\ngot:\n%s", name, path, text)
			}
		})
	}
}

func TestDocumentIsDelimited(t *testing.T) {
	for _, name := range []string{"classify_v1", "extract_fields_v1", "catalog_parse_v1", "catalog_parse_v2"} {
		text, _, err := prompts.Render(name, goldenInputs[name])
		if err != nil {
			t.Fatal(err)
		}
		doc := goldenInputs[name].(map[string]any)["Text"].(string)
		if !strings.Contains(text, "<document>\n"+doc+"\n</document>") {
			t.Errorf("%s: document text must be delimited by <document>…</document>", name)
		}
	}
}

// TestSchemasCannotAct guards the rule that no model output can approve or
// send anything: no schema may name such a property, and every object must
// forbid extra properties.
func TestSchemasCannotAct(t *testing.T) {
	forbidden := []string{"approve", "approved", "send", "sent", "status", "decision", "decided", "tool", "action"}
	for _, name := range prompts.Names() {
		p, err := prompts.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Schema) == 0 {
			continue
		}
		var doc any
		if err := json.Unmarshal(p.Schema, &doc); err != nil {
			t.Fatal(err)
		}
		var walk func(v any, at string)
		walk = func(v any, at string) {
			m, ok := v.(map[string]any)
			if !ok {
				return
			}
			if m["type"] == "object" && m["additionalProperties"] != false {
				t.Errorf("%s%s: object must set additionalProperties false", name, at)
			}
			if props, ok := m["properties"].(map[string]any); ok {
				for k, sub := range props {
					for _, f := range forbidden {
						if strings.Contains(strings.ToLower(k), f) {
							t.Errorf("%s%s: property %q could let the model act", name, at, k)
						}
					}
					walk(sub, at+"/"+k)
				}
			}
			if items, ok := m["items"]; ok {
				walk(items, at+"/items")
			}
		}
		walk(doc, "")
	}
}

func TestHashChangesWithTemplate(t *testing.T) {
	a, _ := prompts.Get("classify_v1")
	b, _ := prompts.Get("extract_fields_v1")
	if a.Hash == b.Hash {
		t.Fatal("two prompts share a hash")
	}
	if _, _, err := prompts.Render("nope_v1", nil); err == nil {
		t.Fatal("unknown prompt rendered")
	}
}
