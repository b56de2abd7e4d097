package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogValidateStructure: `hoso catalog validate` without files
// parses a procedure file and counts the procedures with cases and the
// uncertain ones, listing the latter with their reason. It needs no
// database.
func TestCatalogValidateStructure(t *testing.T) {
	t.Parallel()
	lines := []map[string]string{
		{"ma_thu_tuc": "9.000001", "ten_thu_tuc": "Có hai trường hợp", "thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐối với cơ quan bị mất con dấu: - Văn bản đề nghị; - Giấy chứng nhận đăng ký mẫu con dấu.1 bản chínhĐối với cơ quan đổi tên: - Văn bản đề nghị; - Quyết định đổi tên.1 bản chính"},
		{"ma_thu_tuc": "9.000002", "ten_thu_tuc": "Ô không tách được", "thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản đề nghị của doanh nghiệp; Báo cáo tình hình hoạt động; nội dung khác theo yêu cầu1 bản chính"},
		{"ma_thu_tuc": "9.000003", "ten_thu_tuc": "Đơn giản", "thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị theo mẫu1 bản chính"},
	}
	var b strings.Builder
	for _, l := range lines {
		j, _ := json.Marshal(l)
		b.Write(j)
		b.WriteByte('\n')
	}
	src := filepath.Join(t.TempDir(), "procedures.jsonl")
	if err := os.WriteFile(src, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(string) string { return "" }
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"catalog", "validate", "--procedures", src, "--json"}, getenv, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	var rep structureReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if rep.Total != 3 || rep.WithCases != 1 || rep.Uncertain != 1 || len(rep.Items) != 1 || rep.Items[0].Code != "9.000002" || len(rep.Items[0].Reasons) == 0 {
		t.Fatalf("%+v", rep)
	}
}
