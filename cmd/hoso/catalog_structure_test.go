package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
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

// TestCatalogRead: `hoso catalog read` reads a procedure's components with
// the configured model (over the OpenAI wire) and prints its cases, papers
// and groups, keeping the rule parse's keys where the papers agree; with
// catalog_parse served locally it refuses with the reason.
func TestCatalogRead(t *testing.T) {
	t.Parallel()
	line, _ := json.Marshal(map[string]string{"ma_thu_tuc": "9.000001", "ten_thu_tuc": "Cấp lại giấy phép",
		"thanh_phan_ho_so": "Trường hợp giấy phép hết hạn, hồ sơ gồm:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai đề nghị cấp lại giấy phép theo Mẫu số 021 bản chínhTrường hợp giấy phép bị mất, hồ sơ gồm:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai đề nghị cấp lại giấy phép theo Mẫu số 021 bản chínhĐơn trình báo mất hoặc xác nhận của công an1 bản chính"})
	src := filepath.Join(t.TempDir(), "procedures.jsonl")
	if err := os.WriteFile(src, append(line, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"catalog", "read", "9.000001", "--procedures", src}, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "catalog_parse") {
		t.Fatalf("without an endpoint: %v", err)
	}
	srv := llmtest.NewServer()
	defer srv.Close()
	srv.Script("catalog_parse_v2", llmtest.Content(`{"cases":[
		{"case":"Trường hợp giấy phép hết hạn","requirements":[{"name":"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02","kind":"submit","alternatives":[]}]},
		{"case":"Trường hợp giấy phép bị mất","requirements":[{"name":"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02","kind":"submit","alternatives":[]},
			{"name":"Đơn trình báo mất","kind":"submit","alternatives":["Xác nhận của công an"]}]}]}`))
	env := map[string]string{"OPENAI_BASE_URL": srv.BaseURL(), "OPENAI_API_KEY": "sk-test", "OPENAI_MODEL": "fake"}
	// The default definition keeps catalog_parse local; an operator's
	// definition sends it to the endpoint.
	def := strings.Replace(string(pipelinedef.DefaultYAML()), "catalog_parse: {provider: local}", "catalog_parse: {provider: openai}", 1)
	pipe := filepath.Join(t.TempDir(), "pipeline.yaml")
	if err := os.WriteFile(pipe, []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"catalog", "read", "9.000001", "--procedures", src, "--pipeline", pipe, "--json"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	var p struct {
		Requirements []struct{ Key, Name, Method, Case string }
		Cases        []struct{ Key, Name string }
		Groups       []struct{ Requirement string }
	}
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(p.Requirements) != 2 || len(p.Cases) != 2 || len(p.Groups) != 1 || p.Requirements[0].Method != "llm" || p.Requirements[0].Case != "" ||
		p.Requirements[1].Case != p.Cases[1].Key || p.Groups[0].Requirement != p.Requirements[1].Key {
		t.Fatalf("%s", out.String())
	}
	// --override drafts the override that adopts the reading: a valid file
	// that puts each paper in its case by heading.
	srv.Script("catalog_parse_v2", llmtest.Content(`{"cases":[
		{"case":"Trường hợp giấy phép hết hạn","requirements":[{"name":"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02","kind":"submit","alternatives":[]}]},
		{"case":"Trường hợp giấy phép bị mất","requirements":[{"name":"Tờ khai đề nghị cấp lại giấy phép theo Mẫu số 02","kind":"submit","alternatives":[]},
			{"name":"Đơn trình báo mất","kind":"submit","alternatives":["Xác nhận của công an"]}]}]}`))
	out.Reset()
	if err := run(context.Background(), []string{"catalog", "read", "9.000001", "--procedures", src, "--pipeline", pipe, "--override"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	draft := out.String()
	if err := catalog.ValidateOverride([]byte(draft)); err != nil || !strings.Contains(draft, "case: Trường hợp giấy phép bị mất") || !strings.Contains(draft, "alternatives:") {
		t.Fatalf("draft %v:\n%s", err, draft)
	}
}
