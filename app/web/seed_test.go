package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
)

const password = "mat-khau-demo-1"

// Seeded ids.
const (
	agencyA   = "ubnd-phuong-ben-nghe" // UBND phường Bến Nghé
	agencyB   = "ubnd-phuong-da-kao"   // UBND phường Đa Kao
	dossierA  = "hs-01JDEMO0000000000000000A"
	dossierA2 = "hs-01JDEMO0000000000000000C"
	dossierB  = "hs-01JDEMO0000000000000000B"
	suggOK    = dossierA + "-s-missing"  // normal risk: approve
	suggBad   = dossierA + "-s-mismatch" // normal risk: reject
	suggHigh  = dossierA + "-s-linked"   // high risk: four-eyes
	suggB     = dossierB + "-s-x"
)

// clock is a movable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	pool    *pgxpool.Pool
	console *web.Console
	srv     *httptest.Server
	clock   *clock
}

// minimalPDF is a one-page PDF saying "Giay khai sinh".
var minimalPDF = func() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"", // stream
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	content := "BT /F1 18 Tf 30 120 Td (Giay khai sinh - ban sao) Tj ET"
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}()

type files struct{}

func (files) Open(ctx context.Context, dossierID, documentID string) (io.ReadCloser, string, error) {
	return io.NopCloser(bytes.NewReader(minimalPDF)), "application/pdf", nil
}

func newEnv(t *testing.T, mutate func(*web.Config, *web.Deps)) *env {
	t.Helper()
	pool, _ := postgrestest.New(t)
	seed(t, pool)
	clk := &clock{t: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)} // Tuesday 16:00 in Hà Nội
	cfg := web.Config{AuditSampleRate: 0.10, Now: clk.Now}
	deps := web.Deps{Pool: pool, Review: &review.Service{Pool: pool}, Files: files{}}
	if mutate != nil {
		mutate(&cfg, &deps)
	}
	c, err := web.New(deps, cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	return &env{pool: pool, console: c, srv: srv, clock: clk}
}

func exec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("seed: %v\n%s", err, sql)
	}
}

// seed inserts two agencies' dossiers with documents, findings (with
// citations), suggestions, a regulation article and the officials.
func seed(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	exec(t, pool, `INSERT INTO agencies (code, name, province) VALUES ($1, 'UBND phường Bến Nghé', 'Thành phố Hồ Chí Minh'),
		($2, 'UBND phường Đa Kao', 'Thành phố Hồ Chí Minh')`, agencyA, agencyB)
	users := auth.NewStore(pool)
	users.Cost = bcrypt.MinCost
	for _, u := range []auth.User{
		{ID: "an.nguyen", Name: "Nguyễn Thị An", Agency: agencyA, Roles: []string{"reviewer", "approver", "admin"}},
		{ID: "binh.tran", Name: "Trần Văn Bình", Agency: agencyA, Roles: []string{"approver"}},
		{ID: "cuong.le", Name: "Lê Quốc Cường", Agency: agencyA, Roles: []string{"reviewer"}},
		{ID: "dung.pham", Name: "Phạm Dũng", Agency: agencyB, Roles: []string{"reviewer", "approver"}},
	} {
		if _, err := users.AddUser(ctx, u, password); err != nil {
			t.Fatal(err)
		}
	}
	// Names and processing times come from the catalog only.
	for _, p := range []struct{ code, doc string }{
		{"1.001193", `{"code":"1.001193","name":"Đăng ký khai sinh","processing_days":3}`},
		{"2.000635", `{"code":"2.000635","name":"Cấp bản sao trích lục hộ tịch"}`},
	} {
		exec(t, pool, `WITH v AS (INSERT INTO procedure_versions (code, version, source, effective_from, content_hash, doc)
				VALUES ($1, 1, 'import', '2025-07-01', $1, $2) RETURNING id, doc)
			INSERT INTO procedures (code, version_id, name) SELECT $1, id, doc->>'name' FROM v`, p.code, p.doc)
	}
	exec(t, pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage) VALUES
		($1, '1.001193', 'cd-079200001234', $4, '2026-03-02 02:00:00+00', 'prechecked', 'done'),
		($2, '1.001193', 'cd-079200005678', $4, '2026-03-03 01:00:00+00', 'processing', 'check'),
		($3, '2.000635', 'cd-001300009999', $5, '2026-03-02 03:00:00+00', 'prechecked', 'done')`,
		dossierA, dossierA2, dossierB, agencyA, agencyB)
	page := "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY KHAI SINH\nHọ, chữ đệm, tên: NGUYỄN MINH KHANG\nNgày, tháng, năm sinh: 12/01/2026"
	nameAt := strings.Index(page, "NGUYỄN MINH KHANG")
	exec(t, pool, `INSERT INTO documents (id, dossier_id, ordinal, filename, content_type, size_bytes, sha256, object_key, pages,
		extraction_status, page_texts, doc_type, confidence, classification, fields) VALUES
		($1, $2, 1, 'giay-chung-sinh.pdf', 'application/pdf', 1234, 'abc', 'k1', 1, 'ok', $3, 'Giấy chứng sinh', 0.97,
		 '{"method":"rule"}', $4),
		($5, $2, 2, 'to-khai.pdf', 'application/pdf', 999, 'def', 'k2', 1, 'ok', '["TỜ KHAI ĐĂNG KÝ KHAI SINH"]', 'Tờ khai đăng ký khai sinh', 0.93, '{"method":"llm"}', '[]'),
		($6, $7, 1, 'trich-luc.pdf', 'application/pdf', 100, 'ghi', 'k3', 1, 'ok', '[]', 'other', 0.5, '{}', '[]')`,
		dossierA+"-d1", dossierA, `["`+strings.ReplaceAll(page, "\n", `\n`)+`"]`,
		fmt.Sprintf(`[{"name":"full_name","value":"NGUYỄN MINH KHANG","page":1,"start":%d,"end":%d,"confidence":0.95,"subject":"child"}]`, nameAt, nameAt+len("NGUYỄN MINH KHANG")),
		dossierA+"-d2", dossierB+"-d1", dossierB)
	exec(t, pool, `INSERT INTO findings (dossier_id, key, kind, requirement, status, evidence, citations) VALUES
		($1, 'marriage', 'completeness', 'Giấy chứng nhận kết hôn của cha mẹ', 'missing', 'Không có tài liệu nào được phân loại là giấy chứng nhận kết hôn.',
		 '[{"document":"123/2015/NĐ-CP","title":"Nghị định quy định chi tiết Luật Hộ tịch","article":9,"clause":1,"point":null,"text":"Người đi đăng ký khai sinh nộp tờ khai theo mẫu quy định và Giấy chứng sinh cho cơ quan đăng ký hộ tịch.","score":0.91,"source":"legal_basis"}]'),
		($1, 'birth-cert', 'completeness', 'Giấy chứng sinh', 'present', 'giay-chung-sinh.pdf (97%)', '[]')`, dossierA)
	exec(t, pool, `INSERT INTO suggestions (id, dossier_id, key, citizen_id, kind, text, rationale, risk) VALUES
		($1, $4, 'missing', 'cd-079200001234', 'request_missing', 'Đề nghị ông/bà bổ sung bản sao Giấy chứng nhận kết hôn của cha mẹ.', 'Thiếu thành phần hồ sơ theo Điều 9 Nghị định 123/2015/NĐ-CP.', 'normal'),
		($2, $4, 'mismatch', 'cd-079200001234', 'fix_inconsistency', 'Họ tên trên tờ khai không khớp với giấy chứng sinh.', 'So khớp họ tên.', 'normal'),
		($3, $4, 'linked', 'cd-079200001234', 'linked_procedure', 'Ông/bà có thể đăng ký thường trú cho trẻ cùng lúc.', 'Thủ tục liên thông.', 'high'),
		($5, $6, 'x', 'cd-001300009999', 'request_missing', 'Văn bản của cơ quan B.', '', 'normal')`,
		suggOK, suggBad, suggHigh, dossierA, suggB, dossierB)
	var docID int64
	err := pool.QueryRow(ctx, `INSERT INTO regulation_documents (number, title, source_kind, source_path, source_sha256)
		VALUES ('123/2015/NĐ-CP', 'Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch', 'original', 'x.txt', 'x') RETURNING id`).Scan(&docID)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, pool, `INSERT INTO regulation_chunks (document_id, number, article, article_label, article_title, clause, text, lex_nfc, lex_fold) VALUES
		($1, '123/2015/NĐ-CP', 9, '9', 'Giấy tờ nộp và xuất trình', 1, '1. Người đi đăng ký khai sinh nộp tờ khai theo mẫu quy định và Giấy chứng sinh cho cơ quan đăng ký hộ tịch.', 'x', 'x'),
		($1, '123/2015/NĐ-CP', 9, '9', 'Giấy tờ nộp và xuất trình', 2, '2. Trường hợp cha, mẹ của trẻ đã đăng ký kết hôn thì xuất trình giấy chứng nhận kết hôn.', 'x', 'x')`, docID)
}

// browser is a cookie-keeping HTTP client that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// csrf fetches a page and returns the CSRF token in its forms.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	code, body := b.get(path)
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s (status %d)", path, code)
	}
	return m[1]
}

// csrfLogin reads the sign-in form's token even when the browser carries a
// session (the page would redirect): it posts to the form directly.
func (b *browser) csrfLogin() string {
	b.t.Helper()
	resp, err := b.c.Get(b.base + "/console/login")
	if err != nil {
		b.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := csrfRe.FindStringSubmatch(string(body)); m != nil {
		return m[1]
	}
	// Signed in already: the form's token is the hoso_login cookie, which a
	// redirect does not set; fetch it without the session cookie.
	jarless := &http.Client{}
	resp, err = jarless.Get(b.base + "/console/login")
	if err != nil {
		b.t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	u, _ := url.Parse(b.base)
	b.c.Jar.SetCookies(u, resp.Cookies())
	return csrfRe.FindStringSubmatch(string(body))[1]
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func (b *browser) signIn(user string) {
	b.t.Helper()
	token := b.csrf("/console/login")
	code, body := b.post("/console/login", url.Values{"csrf": {token}, "username": {user}, "password": {password}})
	if code != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d\n%s", user, code, body)
	}
}

type recorder struct {
	h    http.Header
	code int
	body bytes.Buffer
}

func newRecorder() *recorder                    { return &recorder{h: http.Header{}, code: 200} }
func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int)        { r.code = code }
