package web_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/app/web"
)

// dossierBusy is a building-permit-like dossier for the counter: a long
// procedure name, many not-applicable requirements, the same article cited
// from a clean and an OCR copy, fields with subjects, and status accepted.
const dossierBusy = "hs-01JDEMO0000000000000000D"

// longProcedure is long enough to have widened the queue to 2,392 px.
const longProcedure = "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II (công trình không theo tuyến, theo tuyến trong đô thị, tín ngưỡng, tôn giáo, tượng đài, tranh hoành tráng, quảng cáo, di dời) và nhà ở riêng lẻ"

func seedBusy(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	exec(t, pool, `WITH v AS (INSERT INTO procedure_versions (code, version, source, effective_from, content_hash, doc)
			VALUES ('1.013225', 1, 'import', '2025-07-01', '1.013225', jsonb_build_object('code', '1.013225', 'name', $1::text, 'processing_days', 15)) RETURNING id, doc)
		INSERT INTO procedures (code, version_id, name) SELECT '1.013225', id, doc->>'name' FROM v`, longProcedure)
	exec(t, pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
		VALUES ($1, '1.013225', 'cd-001195012345', $2, '2026-03-02 23:04:00+00', 'accepted', 'done')`, dossierBusy, agencyA)
	exec(t, pool, `INSERT INTO documents (id, dossier_id, ordinal, filename, content_type, size_bytes, sha256, object_key, pages,
		extraction_status, page_texts, doc_type, confidence, classification, fields) VALUES
		($1, $2, 1, 'don-de-nghi-cap-giay-phep-xay-dung-nha-o-rieng-le-tai-so-18-pho-phan-dinh-phung-phuong-ba-dinh.pdf', 'application/pdf', 1234, 'abc', 'k9', 1, 'ok',
		 '["ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG"]', 'don-de-nghi-cap-gpxd', 0.91, '{"method":"classical"}',
		 '[{"name":"year_of_birth","value":"1975","page":1,"start":0,"end":4,"subject":"applicant"},{"name":"construction_address","value":"Số 18 phố Phan Đình Phùng, phường Ba Đình, thành phố Hà Nội","page":1,"start":0,"end":4,"subject":"owner"}]')`,
		dossierBusy+"-d1", dossierBusy)
	clean := `{"document":"15/2021/NĐ-CP","title":"Nghị định quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng","article":95,"clause":1,"point":null,"text":"Hồ sơ đề nghị cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ gồm đơn đề nghị cấp giấy phép xây dựng.","score":0.4,"source":"corpus"}`
	ocr := `{"document":"15/2021/NĐ-CP","title":"Nghị định 15/2021 (bản quét)","article":95,"clause":null,"point":null,"text":"Hồ sơ đề ngh¡ cấp g¡ấy phép xây dựng mớ¡ ©ố¡ vớ¡ nhà ở r¡êng lẻ","score":0.6,"source":"corpus"}`
	exec(t, pool, `INSERT INTO findings (dossier_id, key, kind, requirement, status, evidence, citations) VALUES
		($1, 'req:a', 'completeness', 'Bản vẽ thiết kế xây dựng', 'missing', 'Chưa có giấy tờ: Bản vẽ thiết kế xây dựng', ('['||$2||','||$3||']')::jsonb),
		($1, 'req:don-de-nghi-cap-gpxd', 'completeness', 'Đơn đề nghị cấp giấy phép xây dựng', 'present', 'Đã nộp: don.pdf', '[]'),
		($1, 'req:c', 'completeness', 'Cam kết bảo đảm an toàn công trình liền kề', 'not_applicable', 'Chỉ yêu cầu khi: công trình có tầng hầm (conditional; the dossier is not in this case)', '[]'),
		($1, 'req:d', 'completeness', 'Giấy chứng nhận quyền sử dụng đất', 'needs_review', 'Giấy tờ phải xuất trình, không phải nộp; cán bộ kiểm tra khi tiếp nhận (to be shown, not submitted)', '[]'),
		($1, 'req:e', 'completeness', 'Báo cáo kết quả thẩm định thiết kế', 'not_applicable', 'Chỉ yêu cầu khi: công trình cấp đặc biệt (conditional; the dossier is not in this case)', '[]'),
		($1, 'req:f', 'completeness', 'Văn bản chấp thuận độ cao tĩnh không', 'not_applicable', 'Chỉ yêu cầu khi: gần sân bay (conditional; the dossier is not in this case)', '[]')`,
		dossierBusy, clean, ocr)
}

// TestAdminQueueSpansEveryAgency: quantri ("every agency") saw an empty
// queue (0/0) while the API returned 29 dossiers. An administrator's queue
// spans every agency, shows each dossier's agency by name and filters by
// agency; an official of one agency still sees only theirs.
func TestAdminQueueSpansEveryAgency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	admin, official := e.browser(t), e.browser(t)
	admin.signIn("an.nguyen")
	official.signIn("binh.tran")
	_, body := admin.get("/console/queue?status=all")
	for _, want := range []string{dossierA, dossierA2, dossierB, "UBND phường Đa Kao", "UBND phường Bến Nghé", `id="f-agency"`, "(3/3)"} {
		if !strings.Contains(body, want) {
			t.Errorf("admin queue lacks %q", want)
		}
	}
	_, body = admin.get("/console/queue?status=all&agency=" + agencyB)
	if !strings.Contains(body, dossierB) || strings.Contains(body, dossierA+`"`) || !strings.Contains(body, "(1/3)") {
		t.Errorf("agency filter: %s", excerptAround(body, "count"))
	}
	_, body = official.get("/console/queue?status=all")
	if strings.Contains(body, dossierB) || strings.Contains(body, `id="f-agency"`) {
		t.Error("an official of agency A sees agency B's dossiers or the agency filter")
	}
	// The header names the official's agency, not its code.
	if !strings.Contains(body, "Trần Văn Bình · UBND phường Bến Nghé") {
		t.Error("the header does not name the agency")
	}
}

// TestUsersOfAnyAgency: the Users page managed only the admin's own agency
// and had no agency field. It lists every agency's officials, creates one
// in any active agency with roles, refuses an unknown agency, and disables
// an official of another agency.
func TestUsersOfAnyAgency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	an := e.browser(t)
	an.signIn("an.nguyen")
	_, body := an.get("/console/users")
	for _, want := range []string{"dung.pham", "UBND phường Đa Kao", `name="agency"`, `value="ubnd-phuong-ba-dinh"`} {
		if !strings.Contains(body, want) {
			t.Errorf("users page lacks %q", want)
		}
	}
	tok := an.csrf("/console/users")
	code, body := an.post("/console/users", url.Values{"csrf": {tok}, "id": {"hoa.le"}, "name": {"Lê Hoa"}, "agency": {agencyB},
		"roles": {"reviewer", "approver"}, "password": {"mat-khau-hoa-1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("add an official of agency B: %d\n%s", code, body)
	}
	if u, err := e.console.Users().User(context.Background(), "hoa.le"); err != nil || u.Agency != agencyB || strings.Join(u.Roles, ",") != "approver,reviewer" {
		t.Fatalf("hoa.le = %+v, %v", u, err)
	}
	code, body = an.post("/console/users", url.Values{"csrf": {tok}, "id": {"x.y"}, "name": {"X"}, "agency": {"ubnd-phuong-khong-co"}, "roles": {"reviewer"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "không tồn tại") {
		t.Fatalf("unknown agency: %d\n%s", code, excerptAround(body, "error"))
	}
	if code, _ := an.post("/console/users/dung.pham", url.Values{"csrf": {tok}, "roles": {"reviewer", "approver"}, "disabled": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("disable an official of agency B: %d", code)
	}
	if u, _ := e.console.Users().User(context.Background(), "dung.pham"); !u.Disabled {
		t.Fatal("dung.pham not disabled")
	}
}

// TestAgenciesEditedByAdmins: agencies are data an administrator adds,
// renames and deactivates in the console, each change audited; a bad code
// is a clear error; non-admins are refused.
func TestAgenciesEditedByAdmins(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	an, cuong := e.browser(t), e.browser(t)
	an.signIn("an.nguyen")
	cuong.signIn("cuong.le")
	if code, _ := cuong.get("/console/agencies"); code != http.StatusForbidden {
		t.Fatalf("a reviewer opened the agencies page: %d", code)
	}
	_, body := an.get("/console/agencies")
	for _, want := range []string{"ubnd-phuong-ba-dinh", "UBND phường Ba Đình", "Công an phường Cầu Giấy"} {
		if !strings.Contains(body, want) {
			t.Errorf("agencies page lacks %q (seeded by the migration)", want)
		}
	}
	tok := an.csrf("/console/agencies")
	post := func(v url.Values) (int, string) { v.Set("csrf", tok); return an.post("/console/agencies", v) }
	if code, body := post(url.Values{"code": {"ubnd-xa-tan-lap"}, "name": {"UBND xã Tân Lập"}, "province": {"Tỉnh Phú Thọ"}, "active": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", code, body)
	}
	if code, _ := post(url.Values{"code": {"ubnd-xa-tan-lap"}, "name": {"UBND xã Tân Lập (mới)"}, "province": {"Tỉnh Phú Thọ"}}); code != http.StatusSeeOther {
		t.Fatalf("rename and deactivate: %d", code)
	}
	var name string
	var active bool
	if err := e.pool.QueryRow(context.Background(), `SELECT name, active FROM agencies WHERE code = 'ubnd-xa-tan-lap'`).Scan(&name, &active); err != nil || name != "UBND xã Tân Lập (mới)" || active {
		t.Fatalf("stored %q active=%v (%v)", name, active, err)
	}
	var audited int
	_ = e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'agency.put' AND entity_id = 'ubnd-xa-tan-lap'`).Scan(&audited)
	if audited != 2 {
		t.Errorf("audited %d changes, want 2", audited)
	}
	if code, body := post(url.Values{"code": {"UBND Xã"}, "name": {"x"}}); code != http.StatusBadRequest || !strings.Contains(body, "agency-error") {
		t.Fatalf("bad code: %d", code)
	}
	// An inactive agency receives no new officials.
	utok := an.csrf("/console/users")
	if code, _ := an.post("/console/users", url.Values{"csrf": {utok}, "id": {"q.r"}, "name": {"Q"}, "agency": {"ubnd-xa-tan-lap"}, "roles": {"reviewer"}}); code != http.StatusBadRequest {
		t.Fatalf("official added to an inactive agency: %d", code)
	}
}

// TestDossierPageForTheCounter: the findings a counter acts on come first,
// not-applicable ones fold into one line with a count, an article is cited
// once with "also in", and the Vietnamese page has no English leftovers.
func TestDossierPageForTheCounter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	seedBusy(t, e.pool)
	b := e.browser(t)
	b.signIn("an.nguyen")
	code, page := b.get("/console/dossiers/" + dossierBusy)
	if code != http.StatusOK {
		t.Fatalf("dossier page: %d", code)
	}
	main := page[strings.Index(page, "<main"):]
	order := []string{"Bản vẽ thiết kế xây dựng", "Giấy chứng nhận quyền sử dụng đất", "Đơn đề nghị cấp giấy phép xây dựng</h3>", "3 yêu cầu không áp dụng"}
	last := -1
	for _, s := range order {
		i := strings.Index(main, s)
		if i < 0 || i < last {
			t.Errorf("%q at %d, after %d: want missing → needs review → present → not applicable", s, i, last)
		}
		last = i
	}
	if !regexp.MustCompile(`<details class="card na"[^>]*>\s*<summary>3 yêu cầu không áp dụng`).MatchString(main) {
		t.Error("not-applicable findings are not folded into one <details> line with their count")
	}
	if n := strings.Count(main, "Điều 95"); n != 1 {
		t.Errorf("article 95 cited %d times, want once", n)
	}
	if !strings.Contains(main, "Cũng có trong: Nghị định 15/2021 (bản quét)") || strings.Contains(main, "đề ngh¡") {
		t.Error("the OCR copy is shown instead of listed as 'also in'")
	}
	for _, english := range []string{"(applicant)", "year_of_birth", "construction_address", "classical", "(conditional;", "(to be shown", ">accepted<", "accepted ·", "don-de-nghi-cap-gpxd</strong>"} {
		if strings.Contains(main, english) {
			t.Errorf("Vietnamese page shows %q", english)
		}
	}
	for _, vi := range []string{"Năm sinh", "(người yêu cầu)", "Địa điểm xây dựng", "mô hình phân loại cục bộ", "Đã tiếp nhận", "06:04 03/03/2026 (giờ Việt Nam)",
		"Số 18 phố Phan Đình Phùng, phường Ba Đình, thành phố Hà Nội"} {
		if !strings.Contains(main, vi) {
			t.Errorf("Vietnamese page lacks %q", vi)
		}
	}
	// The English page keeps English labels.
	b.get("/console/lang/en?next=/")
	_, page = b.get("/console/dossiers/" + dossierBusy)
	for _, en := range []string{"Year of birth", "(applicant)", "local classifier", "Accepted", "(Vietnam time)", "3 requirements do not apply"} {
		if !strings.Contains(page, en) {
			t.Errorf("English page lacks %q", en)
		}
	}
}

// TestStyledErrorsAndGzip: an unknown URL answered a bare English "404
// page not found"; it gets the console's styled Vietnamese page. HTML is
// gzipped for clients that accept it.
func TestStyledErrorsAndGzip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, path := range []string{"/khong-co-trang-nay", "/console/khong-co", "/console/dossiers/x/y/z"} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "Không tìm thấy trang") ||
			!strings.Contains(string(body), "/static/console.css") || strings.Contains(string(body), "404 page not found") {
			t.Errorf("GET %s: %d\n%s", path, resp.StatusCode, body)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/console/login", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("login page Content-Encoding = %q, want gzip", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(zr)
	if !strings.Contains(string(html), "Đăng nhập") {
		t.Fatal("gzipped login page does not decode to the page")
	}
}

func excerptAround(s, near string) string {
	i := strings.Index(s, near)
	if i < 0 {
		return s[:min(len(s), 400)]
	}
	return s[max(0, i-200):min(len(s), i+400)]
}

// TestAuditLogPages: the audit page shows 100 rows a page, with links to
// older rows and back to the newest.
func TestAuditLogPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	exec(t, e.pool, `INSERT INTO agencies (code, name) SELECT 'ubnd-xa-' || g, 'UBND xã ' || g FROM generate_series(1, 130) g`)
	an := e.browser(t)
	an.signIn("an.nguyen")
	tok := an.csrf("/console/agencies")
	for i := range 130 {
		if code, _ := an.post("/console/agencies", url.Values{"csrf": {tok}, "code": {"ubnd-xa-" + strconv.Itoa(i+1)}, "name": {"UBND xã số " + strconv.Itoa(i+1)}}); code != http.StatusSeeOther {
			t.Fatalf("change %d: %d", i, code)
		}
	}
	_, body := an.get("/console/audit?entity=agency")
	if n := strings.Count(body, "<tr><td>"); n != 100 || !strings.Contains(body, `id="audit-older"`) || strings.Contains(body, `id="audit-newest"`) {
		t.Fatalf("first page: %d rows", n)
	}
	older := regexp.MustCompile(`id="audit-older" href="([^"]+)"|href="([^"]+)" id="audit-older"`).FindStringSubmatch(body)
	if older == nil {
		t.Fatal("no link to older rows")
	}
	_, body = an.get("/console/audit" + strings.ReplaceAll(older[1]+older[2], "&amp;", "&"))
	if n := strings.Count(body, "<tr><td>"); n != 30 || !strings.Contains(body, `id="audit-newest"`) || strings.Contains(body, `id="audit-older"`) {
		t.Fatalf("second page: %d rows", n)
	}
}

type panickyFiles struct{}

func (panickyFiles) Open(context.Context, string, string) (io.ReadCloser, string, error) {
	panic("object store exploded")
}

// TestStyledInternalError: hoso's own failure gets the styled Vietnamese
// 500 page, which does not blame the user, and the console keeps serving.
func TestStyledInternalError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(_ *web.Config, d *web.Deps) { d.Files = panickyFiles{} })
	b := e.browser(t)
	b.signIn("an.nguyen")
	code, body := b.get("/console/documents/" + dossierA + "-d1/file")
	if code != http.StatusInternalServerError || !strings.Contains(body, "Đây không phải lỗi của bạn") || !strings.Contains(body, "/static/console.css") ||
		strings.Contains(body, "exploded") {
		t.Fatalf("panic answered %d:\n%s", code, excerptAround(body, "<main"))
	}
	if code, _ := b.get("/console/queue"); code != http.StatusOK {
		t.Fatalf("after the panic the queue answers %d", code)
	}
}

// TestCompressTextNotFiles: HTML and JSON are gzipped; documents (PDF,
// images) are sent as they are.
func TestCompressTextNotFiles(t *testing.T) {
	t.Parallel()
	big := strings.Repeat(`{"text":"Đề nghị ông/bà bổ sung bản sao Giấy chứng nhận kết hôn."}`, 100)
	for _, tc := range []struct {
		ctype string
		gzip  bool
	}{{"application/json", true}, {"text/html; charset=utf-8", true}, {"application/pdf", false}, {"image/png", false}} {
		h := web.Compress(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", tc.ctype)
			_, _ = io.WriteString(w, big)
		}))
		srv := httptest.NewServer(h)
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tc.gzip {
			t.Errorf("%s: gzipped = %v, want %v", tc.ctype, got, tc.gzip)
		}
	}
}
