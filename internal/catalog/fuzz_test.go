package catalog

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzParseNational: any component text — glued tables, stray brackets,
// odd bytes — parses without a panic into a procedure whose cases name
// only its own requirements and whose names are valid NFC text.
func FuzzParseNational(f *testing.F) {
	for _, s := range []string{
		"--" + tableHeader + "Tờ khai (Mẫu CT01).CT01.docx1 bản chính",
		"* Hồ sơ cấp giấy phép gồm:" + tableHeader + "- Đơn đề nghị; + Bản sao A hoặc B (hoặc C; D).1 bản chính,1 bản sao" +
			"Trường hợp cấp lại:" + tableHeader + "Một trong các giấy tờ sau: Hộ chiếu; Thẻ căn cước.0 bản chính",
		"((((" + tableHeader + "))); ;;; + + - a) b) (i)(ii) \xff\xfe Ć\u0301",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		line, err := json.Marshal(map[string]string{"ma_thu_tuc": "9.000001", "ten_thu_tuc": "x", "thanh_phan_ho_so": text})
		if err != nil {
			return
		}
		p, err := ParseNational(line)
		if err != nil {
			return // a clear error is an answer
		}
		keys := map[string]bool{}
		for _, r := range p.Requirements {
			if keys[r.Key] {
				t.Fatalf("key %q twice", r.Key)
			}
			keys[r.Key] = true
			if !utf8.ValidString(r.Name) || !norm.NFC.IsNormalString(r.Name) {
				t.Fatalf("name not valid NFC: %q", r.Name)
			}
		}
		for _, c := range p.Cases {
			for _, k := range c.Requirements {
				if !keys[k] {
					t.Fatalf("case %s lists unknown requirement %q", c.Key, k)
				}
			}
		}
	})
}
