package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/replay"
	"github.com/hoso-vn/hoso/app/shadow"
	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
)

// operatorID runs the service; it belongs to agency B but the operator
// pages are the whole service's, so it sees agency A's dead letters too.
const operatorID = "lan.vo"

func addOperator(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	users := auth.NewStore(pool)
	users.Cost = bcrypt.MinCost
	if _, err := users.AddUser(context.Background(), auth.User{ID: operatorID, Name: "Võ Thị Lan", Agency: agencyB, Roles: []string{auth.RoleOperator}}, password); err != nil {
		t.Fatal(err)
	}
}

// newServer serves c for the test and returns its base URL.
func newServer(t *testing.T, c *web.Console) string {
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

func auditCount(t *testing.T, pool *pgxpool.Pool, action, entityID, actor string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1 AND entity_id = $2 AND actor = $3`,
		action, entityID, actor).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantIn(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func TestOperatorPagesNeedOperatorRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	addOperator(t, e.pool)
	reviewer, admin, op := e.browser(t), e.browser(t), e.browser(t)
	reviewer.signIn("cuong.le")
	admin.signIn("an.nguyen") // reviewer, approver and admin
	op.signIn(operatorID)
	token := reviewer.csrf("/console/queue")
	for _, tc := range []struct{ method, path string }{
		{"GET", "/console/ops"},
		{"GET", "/console/dlq"},
		{"GET", "/console/dlq/1"},
		{"POST", "/console/dlq/1/retry"},
		{"POST", "/console/dlq/1/discard"},
		{"GET", "/console/pipelines"},
		{"GET", "/console/pipelines/x"},
		{"POST", "/console/pipelines/x/activate"},
		{"GET", "/console/shadow"},
		{"POST", "/console/shadow/start"},
		{"POST", "/console/shadow/stop"},
	} {
		t.Run("Reviewer"+tc.method+strings.ReplaceAll(tc.path, "/", "_"), func(t *testing.T) {
			var code int
			var body string
			if tc.method == "GET" {
				code, body = reviewer.get(tc.path)
			} else {
				code, body = reviewer.post(tc.path, url.Values{"csrf": {token}, "reason": {"x"}, "label": {"x"}})
			}
			if code != http.StatusForbidden || !strings.Contains(body, "không có quyền") {
				t.Fatalf("%s %s by a reviewer: %d, want 403 with the role message", tc.method, tc.path, code)
			}
		})
	}
	t.Run("AdminAllowed", func(t *testing.T) {
		for _, p := range []string{"/console/ops", "/console/dlq", "/console/pipelines", "/console/shadow"} {
			if code, _ := admin.get(p); code != http.StatusOK {
				t.Errorf("%s by an admin: %d", p, code)
			}
		}
	})
	t.Run("NavLink", func(t *testing.T) {
		if _, body := reviewer.get("/console/queue"); strings.Contains(body, `href="/console/ops"`) {
			t.Error("a reviewer is shown the operations link")
		}
		if _, body := admin.get("/console/queue"); !strings.Contains(body, `id="nav-ops"`) || !strings.Contains(body, "Vận hành") {
			t.Error("an admin is not shown the operations link")
		}
		_, body := op.get("/console/ops")
		wantIn(t, "operator's page", body, `id="nav-ops"`, `href="/console/dlq"`, `href="/console/pipelines"`, `href="/console/shadow"`)
	})
	t.Run("OperatorLandsOnOps", func(t *testing.T) {
		resp, err := op.c.Get(op.base + "/console/queue")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/console/ops" {
			t.Fatalf("an operator's queue: %d → %q, want 303 → /console/ops", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("English", func(t *testing.T) {
		b := e.browser(t)
		b.signIn(operatorID)
		b.get("/console/lang/en?next=/console/ops")
		_, body := b.get("/console/ops")
		wantIn(t, "English stages page", body, "Operations: pipeline stages", `lang="en"`, "Dead letters")
	})
}

// seedLetters adds a dead letter of agency A's dossier in the check stage
// (the dossier failed) and an undecodable one that names no dossier.
func seedLetters(t *testing.T, pool *pgxpool.Pool) (withDossier, undecodable int64) {
	t.Helper()
	ctx := context.Background()
	exec(t, pool, `UPDATE dossiers SET status = 'failed', stage = 'check' WHERE id = $1`, dossierA2)
	err := pool.QueryRow(ctx, `INSERT INTO dead_letters (subject, stream_seq, consumer, dossier_id, stage, reason, payload, headers, deliveries)
		VALUES ('HOSO.dossier.check', 41, 'HOSO_check', $1, 'check', 'check: regulation index unavailable: chỉ mục văn bản chưa sẵn sàng',
			$2, '{"Nats-Msg-Id":["check-41"],"Hoso-Attempt":["0"]}', 6) RETURNING id`,
		dossierA2, []byte(`{"dossier_id":"`+dossierA2+`","stage":"check","attempt":0}`)).Scan(&withDossier)
	if err != nil {
		t.Fatal(err)
	}
	err = pool.QueryRow(ctx, `INSERT INTO dead_letters (subject, stream_seq, consumer, stage, reason, payload, deliveries)
		VALUES ('HOSO.dossier.extract', 7, 'HOSO_extract', 'extract', 'decode job: unexpected EOF', '{"dossier_id": 42', 1) RETURNING id`).Scan(&undecodable)
	if err != nil {
		t.Fatal(err)
	}
	return withDossier, undecodable
}

func TestDeadLetterPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	addOperator(t, e.pool)
	ctx := context.Background()
	id1, id2 := seedLetters(t, e.pool)
	s1, s2 := strconv.FormatInt(id1, 10), strconv.FormatInt(id2, 10)
	op := e.browser(t)
	op.signIn(operatorID)
	status := func(id int64) string {
		var s string
		if err := e.pool.QueryRow(ctx, `SELECT status FROM dead_letters WHERE id = $1`, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	t.Run("ListShowsEveryAgency", func(t *testing.T) {
		code, body := op.get("/console/dlq")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		wantIn(t, "dead letters", body, `href="/console/dlq/`+s1+`"`, `href="/console/dlq/`+s2+`"`, dossierA2,
			"regulation index unavailable", "decode job: unexpected EOF", "Đang mở")
	})
	t.Run("Filters", func(t *testing.T) {
		_, body := op.get("/console/dlq?stage=extract")
		if !strings.Contains(body, "#"+s2) || strings.Contains(body, "#"+s1+"<") {
			t.Error("the stage filter does not keep only the extract letter")
		}
		code, body := op.get("/console/dlq?status=gone")
		if code != http.StatusBadRequest || !strings.Contains(body, `Trạng thái &#34;gone&#34; không hợp lệ`) || !strings.Contains(body, "#"+s1) {
			t.Errorf("a bad status filter: %d; want 400 with the message and the open letters", code)
		}
	})
	t.Run("Show", func(t *testing.T) {
		code, body := op.get("/console/dlq/" + s1)
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		wantIn(t, "dead letter page", body, `id="letter-dossier">`+dossierA2, "HOSO.dossier.check", "HOSO_check",
			"chỉ mục văn bản chưa sẵn sàng", `&#34;dossier_id&#34;: &#34;`+dossierA2, "Nats-Msg-Id", "check-41", `id="retry"`, `id="discard"`)
		_, body = op.get("/console/dlq/" + s2)
		wantIn(t, "undecodable letter page", body, "không gắn với hồ sơ nào", `{&#34;dossier_id&#34;: 42`)
		if strings.Contains(body, `id="retry"`) {
			t.Error("a letter without dossier offers a retry")
		}
	})
	t.Run("Missing", func(t *testing.T) {
		for _, p := range []string{"/console/dlq/99999", "/console/dlq/abc", "/console/dlq/0"} {
			if code, _ := op.get(p); code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, code)
			}
		}
	})
	t.Run("NeedsCSRF", func(t *testing.T) {
		if code, _ := op.post("/console/dlq/"+s1+"/retry", nil); code != http.StatusForbidden {
			t.Fatalf("retry without CSRF token: %d", code)
		}
		if status(id1) != "open" {
			t.Fatal("a refused POST retried the letter")
		}
	})
	t.Run("Retry", func(t *testing.T) {
		tok := op.csrf("/console/dlq/" + s1)
		code, _ := op.post("/console/dlq/"+s1+"/retry", url.Values{"csrf": {tok}, "reason": {"đã dựng lại chỉ mục"}})
		if code != http.StatusSeeOther {
			t.Fatalf("retry: %d", code)
		}
		if got := status(id1); got != "retried" {
			t.Fatalf("letter status %q after retry", got)
		}
		// Without a publisher the dossier is re-armed for the reconciler:
		// back in its stage, processing, due at once.
		var st, stage string
		var since time.Time
		var attempts int
		if err := e.pool.QueryRow(ctx, `SELECT status, stage, stage_since, attempts FROM dossiers WHERE id = $1`, dossierA2).Scan(&st, &stage, &since, &attempts); err != nil {
			t.Fatal(err)
		}
		if st != "processing" || stage != "check" || since.Year() > 1970 || attempts != 1 {
			t.Fatalf("dossier after retry: %s/%s since %v attempts %d, want processing/check re-armed", st, stage, since, attempts)
		}
		_, body := op.get("/console/dlq/" + s1 + "?done=dlq_retry")
		wantIn(t, "letter after retry", body, "Đã thử lại", "Đã thử lại: hồ sơ được đưa trở lại")
		if strings.Contains(body, `id="retry"`) {
			t.Error("a retried letter still offers a retry")
		}
	})
	t.Run("RetryTwiceConflicts", func(t *testing.T) {
		code, body := op.post("/console/dlq/"+s1+"/retry", url.Values{"csrf": {op.csrf("/console/dlq")}})
		if code != http.StatusConflict || !strings.Contains(body, "đã được xử lý") {
			t.Fatalf("second retry: %d, want 409 with the message", code)
		}
	})
	t.Run("DiscardNeedsReason", func(t *testing.T) {
		tok := op.csrf("/console/dlq/" + s2)
		code, body := op.post("/console/dlq/"+s2+"/discard", url.Values{"csrf": {tok}, "reason": {"  "}})
		if code != http.StatusBadRequest || !strings.Contains(body, `id="letter-error">Cần nêu lý do loại bỏ thư chết.`) {
			t.Fatalf("discard without reason: %d, want 400 with the message on the page", code)
		}
		if got := status(id2); got != "open" {
			t.Fatalf("letter status %q after a refused discard", got)
		}
	})
	t.Run("Discard", func(t *testing.T) {
		tok := op.csrf("/console/dlq/" + s2)
		code, _ := op.post("/console/dlq/"+s2+"/discard", url.Values{"csrf": {tok}, "reason": {"thông điệp hỏng từ hệ thống cũ"}})
		if code != http.StatusSeeOther {
			t.Fatalf("discard: %d", code)
		}
		if got := status(id2); got != "discarded" {
			t.Fatalf("letter status %q after discard", got)
		}
		_, body := op.get("/console/dlq")
		if !strings.Contains(body, "Không có thư chết nào khớp bộ lọc") {
			t.Error("resolved letters are still listed as open")
		}
		_, body = op.get("/console/dlq?status=all")
		wantIn(t, "all letters", body, "Đã thử lại", "Đã loại bỏ")
	})
	t.Run("Audited", func(t *testing.T) {
		if n := auditCount(t, e.pool, "dead_letter.retry", s1, operatorID); n != 1 {
			t.Errorf("retry audit rows = %d, want 1", n)
		}
		if n := auditCount(t, e.pool, "dead_letter.discard", s2, operatorID); n != 1 {
			t.Errorf("discard audit rows = %d, want 1", n)
		}
		var reason string
		_ = e.pool.QueryRow(ctx, `SELECT reason FROM audit_log WHERE action = 'dead_letter.discard'`).Scan(&reason)
		if reason != "thông điệp hỏng từ hệ thống cũ" {
			t.Errorf("discard reason in the audit log: %q", reason)
		}
		if _, problems, err := audit.Verify(ctx, e.pool); err != nil || len(problems) > 0 {
			t.Fatalf("audit chain: %v %v", problems, err)
		}
	})
}

// waitingRow matches a waiting dossier's row and captures its class.
func waitingRow(id string) *regexp.Regexp {
	return regexp.MustCompile(`<tr class="([a-z-]+)">\s*<td>(?:<a [^>]*>|<span class="code">)` + regexp.QuoteMeta(id) + `<`)
}

func TestStagesPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *web.Config, _ *web.Deps) { c.StuckAfter = time.Hour })
	addOperator(t, e.pool)
	const stuck = "hs-01JDEMO0000000000000STUCK"
	exec(t, e.pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, status, stage, stage_since, pipeline_version)
		VALUES ($1, '1.001193', 'cd-079200009999', $2, 'processing', 'extract', now() - interval '2 hours', 'ho-tich@1#abcdef123456')`, stuck, agencyB)
	seedLetters(t, e.pool)
	op := e.browser(t)
	op.signIn(operatorID)

	t.Run("OverSLA", func(t *testing.T) {
		code, body := op.get("/console/ops")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		// dossierA2 was put back in check by seedLetters, but failed: it
		// does not wait. The stuck dossier waits 2h against the 1h SLA.
		wantIn(t, "stages page", body, "1 hồ sơ đang chờ, 1 quá SLA 1h00m", "ho-tich@1#abcdef123456", "trích xuất", "200%",
			"Có 2 thư chết đang mở", `href="/console/dlq"`)
		m := waitingRow(stuck).FindStringSubmatch(body)
		if m == nil || m[1] != "over-sla" {
			t.Fatalf("the stuck dossier is not listed as over the SLA: %v", m)
		}
	})
	t.Run("SLAOverride", func(t *testing.T) {
		exec(t, e.pool, `UPDATE dossiers SET status = 'processing', stage_since = now() WHERE id = $1`, dossierA2)
		_, body := op.get("/console/ops?sla=3h")
		wantIn(t, "stages page at 3h", body, "2 hồ sơ đang chờ, 0 quá SLA 3h00m")
		if m := waitingRow(stuck).FindStringSubmatch(body); m == nil || m[1] != "within-sla" {
			t.Fatalf("at a 3h SLA the stuck dossier is not within it: %v", m)
		}
		_, body = op.get("/console/ops?sla=1m&over=1")
		if m := waitingRow(dossierA2).FindStringSubmatch(body); m != nil {
			t.Error("over-only lists a dossier within the SLA")
		}
	})
	t.Run("BadSLA", func(t *testing.T) {
		for _, v := range []string{"soon", "-5m", "0"} {
			code, body := op.get("/console/ops?sla=" + url.QueryEscape(v))
			if code != http.StatusBadRequest || !strings.Contains(body, `id="ops-error"`) || !strings.Contains(body, "không hợp lệ") ||
				!strings.Contains(body, stuck) {
				t.Errorf("sla=%s: %d; want 400 with the message and the page at the default SLA", v, code)
			}
		}
	})
	t.Run("StageFilter", func(t *testing.T) {
		_, body := op.get("/console/ops?stage=extract")
		if !strings.Contains(body, stuck) || waitingRow(dossierA2).MatchString(body) {
			t.Error("the stage filter does not keep only the extract stage")
		}
		code, body := op.get("/console/ops?stage=nope")
		if code != http.StatusBadRequest || !strings.Contains(body, `Không có bước xử lý &#34;nope&#34;`) {
			t.Errorf("an unknown stage: %d", code)
		}
	})
}

// putVersions stores the default definition (active) and a candidate with a
// stricter classification threshold.
func putVersions(t *testing.T, pool *pgxpool.Pool) (prod, cand pipelinestore.Version) {
	t.Helper()
	ctx := context.Background()
	ps := pipelinestore.New(pool)
	prod, err := ps.Seed(ctx, pipelinedef.DefaultYAML())
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(pipelinedef.DefaultYAML()), "classify_min_confidence: 0.55", "classify_min_confidence: 0.7", 1)
	cand, _, err = ps.Put(ctx, []byte(src), "minh.do", "ngưỡng phân loại chặt hơn")
	if err != nil {
		t.Fatal(err)
	}
	return prod, cand
}

func TestPipelinePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	addOperator(t, e.pool)
	ctx := context.Background()
	prod, cand := putVersions(t, e.pool)
	ps := pipelinestore.New(e.pool)
	op := e.browser(t)
	op.signIn(operatorID)
	page := "/console/pipelines/" + url.PathEscape(cand.Label)
	active := func() string {
		v, err := ps.Active(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v.Label
	}

	t.Run("List", func(t *testing.T) {
		code, body := op.get("/console/pipelines")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		wantIn(t, "versions page", body, prod.Label, cand.Label, "minh.do", "ngưỡng phân loại chặt hơn", cand.Hash[:16],
			`href="`+page+`"`, "kích hoạt lần đầu")
		if !regexp.MustCompile(`id="active-version">[^<]*<a [^>]*>` + regexp.QuoteMeta(prod.Label)).MatchString(body) {
			t.Error("the active version is not marked")
		}
	})
	t.Run("Show", func(t *testing.T) {
		code, body := op.get(page)
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		wantIn(t, "version page", body, "classify_min_confidence: 0.7", "thresholds.classify_min_confidence",
			`<td class="code from">0.55</td>`, `<td class="code to">0.7</td>`, `id="activate"`)
		_, body = op.get("/console/pipelines/" + url.PathEscape(prod.Label))
		wantIn(t, "active version page", body, "Đây là phiên bản đang kích hoạt")
		if code, _ := op.get("/console/pipelines/khong-co@1"); code != http.StatusNotFound {
			t.Errorf("unknown version: %d", code)
		}
	})
	t.Run("ActivateNeedsReason", func(t *testing.T) {
		code, body := op.post(page+"/activate", url.Values{"csrf": {op.csrf(page)}, "reason": {""}})
		if code != http.StatusBadRequest || !strings.Contains(body, `id="pipeline-error">Cần nêu lý do kích hoạt`) {
			t.Fatalf("activate without reason: %d, want 400 with the message", code)
		}
		if got := active(); got != prod.Label {
			t.Fatalf("active %s after a refused activation", got)
		}
	})
	t.Run("Activate", func(t *testing.T) {
		code, _ := op.post(page+"/activate", url.Values{"csrf": {op.csrf(page)}, "reason": {"thử ngưỡng mới sau chạy bóng"}})
		if code != http.StatusSeeOther {
			t.Fatalf("activate: %d", code)
		}
		if got := active(); got != cand.Label {
			t.Fatalf("active %s, want %s", got, cand.Label)
		}
		if n := auditCount(t, e.pool, "pipeline.activate", cand.Label, operatorID); n != 1 {
			t.Fatalf("activation audit rows = %d", n)
		}
		_, body := op.get("/console/pipelines?done=pipeline_activate")
		wantIn(t, "versions after activation", body, "Đã kích hoạt phiên bản quy trình", "thử ngưỡng mới sau chạy bóng", `id="previous-version"`)
		code, _ = op.post(page+"/activate", url.Values{"csrf": {op.csrf(page)}, "reason": {"lần nữa"}})
		if code != http.StatusSeeOther || auditCount(t, e.pool, "pipeline.activate", cand.Label, operatorID) != 1 {
			t.Fatal("re-activating the active version changed something")
		}
	})
	t.Run("Rollback", func(t *testing.T) {
		prev := "/console/pipelines/" + url.PathEscape(prod.Label)
		code, _ := op.post(prev+"/activate", url.Values{"csrf": {op.csrf(prev)}, "reason": {"quay lại: tỷ lệ cần xem lại tăng"}})
		if code != http.StatusSeeOther || active() != prod.Label {
			t.Fatalf("rollback: %d, active %s", code, active())
		}
		if _, problems, err := audit.Verify(ctx, e.pool); err != nil || len(problems) > 0 {
			t.Fatalf("audit chain: %v %v", problems, err)
		}
	})
}

func TestShadowPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var svc *shadow.Service
	e := newEnv(t, func(_ *web.Config, d *web.Deps) {
		reg, err := pipelinestore.NewRegistry(ctx, pipelinestore.New(d.Pool), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		svc = &shadow.Service{Pool: d.Pool, Engine: &replay.Engine{Source: store.New(d.Pool)}, Registry: reg}
		d.Shadow = svc
	})
	addOperator(t, e.pool)
	_, cand := putVersions(t, e.pool)
	op := e.browser(t)
	op.signIn(operatorID)

	t.Run("NotConfigured", func(t *testing.T) {
		c, err := web.New(web.Deps{Pool: e.pool}, web.Config{Now: e.clock.Now}) // one clock: a sign-in purges the user's sessions expired by it
		if err != nil {
			t.Fatal(err)
		}
		other := newServer(t, c)
		b := e.browser(t)
		b.base = other
		b.signIn(operatorID)
		code, body := b.get("/console/shadow")
		if code != http.StatusOK || !strings.Contains(body, `id="shadow-not-configured"`) {
			t.Fatalf("shadow page without a service: %d", code)
		}
		if code, _ := b.post("/console/shadow/stop", url.Values{"csrf": {b.csrf("/console/shadow")}}); code != http.StatusServiceUnavailable {
			t.Fatalf("stop without a service: %d, want 503", code)
		}
	})
	t.Run("NoCandidate", func(t *testing.T) {
		code, body := op.get("/console/shadow")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		wantIn(t, "idle shadow page", body, `id="shadow-idle"`, `id="shadow-no-report"`, `<option value="`+cand.Label+`">`)
	})
	t.Run("StartNeedsVersion", func(t *testing.T) {
		code, body := op.post("/console/shadow/start", url.Values{"csrf": {op.csrf("/console/shadow")}})
		if code != http.StatusBadRequest || !strings.Contains(body, "Hãy chọn phiên bản để chạy bóng") {
			t.Fatalf("start without a version: %d", code)
		}
		code, body = op.post("/console/shadow/start", url.Values{"csrf": {op.csrf("/console/shadow")}, "label": {"khong-co@1#000000000000"}})
		if code != http.StatusNotFound || !strings.Contains(body, "không có phiên bản quy trình") {
			t.Fatalf("start of an unknown version: %d", code)
		}
	})
	t.Run("Running", func(t *testing.T) {
		code, _ := op.post("/console/shadow/start", url.Values{"csrf": {op.csrf("/console/shadow")}, "label": {cand.Label}})
		if code != http.StatusSeeOther {
			t.Fatalf("start: %d", code)
		}
		if c, ok, err := svc.Running(ctx); err != nil || !ok || c.Label != cand.Label {
			t.Fatalf("running = %+v %v %v", c, ok, err)
		}
		// The candidate's run on dossier A: it finds the marriage
		// certificate production reports missing.
		exec(t, e.pool, `INSERT INTO shadow_runs (candidate, dossier_id, production, findings) VALUES ($1, $2, 'ho-tich@1#abcdef123456',
			'[{"key":"marriage","kind":"completeness","status":"present"},{"key":"birth-cert","kind":"completeness","status":"present"}]')`,
			cand.Label, dossierA)
		code, body := op.get("/console/shadow")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		// No official has decided on a suggestion yet: the gate (at least
		// one decision) fails.
		wantIn(t, "shadow report", body, `id="shadow-running"`, cand.Label, "ho-tich@1#abcdef123456", `id="shadow-agreement">50%`,
			`id="shadow-diffs"`, "marriage", "Thiếu", "Có", `id="shadow-fail"`, "chỉ có 0 quyết định của cán bộ, cần 1", "dung sai 2%")
		if auditCount(t, e.pool, "shadow.start", cand.Label, operatorID) != 1 {
			t.Error("start not audited")
		}
	})
	t.Run("Stop", func(t *testing.T) {
		code, _ := op.post("/console/shadow/stop", url.Values{"csrf": {op.csrf("/console/shadow")}})
		if code != http.StatusSeeOther {
			t.Fatalf("stop: %d", code)
		}
		_, body := op.get("/console/shadow?done=shadow_stop")
		wantIn(t, "stopped shadow page", body, "Đã dừng chạy bóng", `id="shadow-idle"`, "(đã dừng)", `id="shadow-agreement">50%`)
		code, body = op.post("/console/shadow/stop", url.Values{"csrf": {op.csrf("/console/shadow")}})
		if code != http.StatusNotFound || !strings.Contains(body, "không có bản chạy bóng nào đang chạy") {
			t.Fatalf("stop with nothing running: %d", code)
		}
		if auditCount(t, e.pool, "shadow.stop", cand.Label, operatorID) != 1 {
			t.Error("stop not audited")
		}
	})
}
