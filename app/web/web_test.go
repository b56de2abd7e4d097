package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)

	t.Run("RedirectsToSignIn", func(t *testing.T) {
		b := e.browser(t)
		code, _ := b.get("/console/queue")
		if code != http.StatusSeeOther {
			t.Fatalf("status %d, want 303 to the sign-in page", code)
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		b := e.browser(t)
		token := b.csrf("/console/login")
		code, body := b.post("/console/login", url.Values{"csrf": {token}, "username": {"an.nguyen"}, "password": {"wrong-password"}})
		if code != http.StatusUnauthorized || !strings.Contains(body, "không đúng") {
			t.Fatalf("status %d", code)
		}
		if b.cookie("hoso_session") != "" {
			t.Fatal("a failed sign-in set a session cookie")
		}
	})
	t.Run("SessionFixation", func(t *testing.T) {
		b := e.browser(t)
		b.signIn("an.nguyen")
		first := b.cookie("hoso_session")
		if first == "" {
			t.Fatal("no session cookie after sign-in")
		}
		// An attacker plants their own valid session id in the victim's
		// browser; the victim's sign-in must issue a new id and end the
		// planted one.
		victim := e.browser(t)
		u, _ := url.Parse(e.srv.URL)
		victim.c.Jar.SetCookies(u, []*http.Cookie{{Name: "hoso_session", Value: first, Path: "/"}})
		token := victim.csrfLogin()
		code, _ := victim.post("/console/login", url.Values{"csrf": {token}, "username": {"binh.tran"}, "password": {password}})
		if code != http.StatusSeeOther {
			t.Fatalf("sign in: %d", code)
		}
		second := victim.cookie("hoso_session")
		if second == "" || second == first {
			t.Fatalf("session id not rotated at sign-in: %q → %q", first, second)
		}
		if _, _, err := e.console.Users().Session(context.Background(), first); err == nil {
			t.Fatal("the planted session is still valid")
		}
		planted := e.browser(t)
		planted.c.Jar.SetCookies(u, []*http.Cookie{{Name: "hoso_session", Value: "attacker-chosen-id", Path: "/"}})
		planted.signIn("an.nguyen")
		if got := planted.cookie("hoso_session"); got == "attacker-chosen-id" || got == "" {
			t.Fatalf("planted session id kept: %q", got)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		b := e.browser(t)
		b.signIn("cuong.le")
		token := b.csrf("/console/queue")
		if code, _ := b.post("/console/logout", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("logout status %d", code)
		}
		if code, _ := b.get("/console/queue"); code != http.StatusSeeOther {
			t.Fatalf("still signed in after sign-out: %d", code)
		}
	})
	t.Run("OpenRedirectRefused", func(t *testing.T) {
		b := e.browser(t)
		token := b.csrf("/console/login")
		resp, err := b.c.PostForm(b.base+"/console/login", url.Values{"csrf": {token}, "username": {"an.nguyen"}, "password": {password}, "next": {"//evil.example/x"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); loc != "/console/queue" {
			t.Fatalf("redirect after sign-in to %q", loc)
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	b := e.browser(t)
	b.signIn("an.nguyen")
	token := b.csrf("/console/queue")
	for _, tc := range []struct {
		name, path string
		form       url.Values
	}{
		{"ApproveWithoutToken", "/console/suggestions/" + suggOK + "/approve", url.Values{"reason": {"ok"}}},
		{"ApproveWrongToken", "/console/suggestions/" + suggOK + "/approve", url.Values{"csrf": {token + "x"}}},
		{"RejectWithoutToken", "/console/suggestions/" + suggBad + "/reject", url.Values{"reason": {"no"}}},
		{"AddUserWithoutToken", "/console/users", url.Values{"id": {"x.y"}, "name": {"X"}}},
		{"SignOutWithoutToken", "/console/logout", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := b.post(tc.path, tc.form)
			if code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
				t.Fatalf("status %d, want 403 CSRF", code)
			}
		})
	}
	t.Run("SignInWithoutToken", func(t *testing.T) {
		b2 := e.browser(t)
		code, _ := b2.post("/console/login", url.Values{"username": {"an.nguyen"}, "password": {password}})
		if code != http.StatusForbidden {
			t.Fatalf("status %d, want 403", code)
		}
	})
	var status string
	if err := e.pool.QueryRow(context.Background(), `SELECT status FROM suggestions WHERE id = $1`, suggOK).Scan(&status); err != nil || status != "pending_review" {
		t.Fatalf("a refused POST changed the suggestion: %q %v", status, err)
	}
}

func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *web.Config, _ *web.Deps) { c.IdleTimeout = 30 * time.Minute })
	b := e.browser(t)
	b.signIn("cuong.le")
	e.clock.Add(29 * time.Minute)
	if code, _ := b.get("/console/queue"); code != http.StatusOK {
		t.Fatalf("active session refused: %d", code)
	}
	e.clock.Add(29 * time.Minute) // 58 min after sign-in, 29 after the last request
	if code, _ := b.get("/console/queue"); code != http.StatusOK {
		t.Fatalf("activity did not extend the session: %d", code)
	}
	e.clock.Add(31 * time.Minute)
	code, _ := b.get("/console/queue")
	if code != http.StatusSeeOther {
		t.Fatalf("idle session still valid: %d", code)
	}
}

func TestCrossAgency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	b := e.browser(t)
	b.signIn("dung.pham") // agency B
	token := b.csrf("/console/queue")
	for _, tc := range []struct {
		name, method, path string
	}{
		{"ViewDossier", "GET", "/console/dossiers/" + dossierA},
		{"ViewFile", "GET", "/console/documents/" + dossierA + "-d1/file"},
		{"Approve", "POST", "/console/suggestions/" + suggOK + "/approve"},
		{"Reject", "POST", "/console/suggestions/" + suggBad + "/reject"},
		{"Edit", "POST", "/console/suggestions/" + suggBad + "/edit"},
		{"AuditSample", "POST", "/console/dossiers/" + dossierA + "/audit-sample"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var code int
			if tc.method == "GET" {
				code, _ = b.get(tc.path)
			} else {
				code, _ = b.post(tc.path, url.Values{"csrf": {token}, "reason": {"x"}, "text": {"x"}, "outcome": {"agree"}})
			}
			if code != http.StatusForbidden {
				t.Fatalf("%s %s by agency B: status %d, want 403", tc.method, tc.path, code)
			}
		})
	}
	t.Run("QueueShowsOwnAgencyOnly", func(t *testing.T) {
		_, body := b.get("/console/queue?status=all")
		if strings.Contains(body, dossierA) || !strings.Contains(body, dossierB) {
			t.Fatal("queue of agency B shows agency A's dossier or misses its own")
		}
	})
	t.Run("OwnDossier", func(t *testing.T) {
		if code, _ := b.get("/console/dossiers/" + dossierB); code != http.StatusOK {
			t.Fatalf("own dossier: %d", code)
		}
	})
	var denied, status int
	ctx := context.Background()
	_ = e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE actor = 'dung.pham' AND action LIKE '%.denied'`).Scan(&denied)
	_ = e.pool.QueryRow(ctx, `SELECT count(*) FROM suggestions WHERE dossier_id = $1 AND status <> 'pending_review'`, dossierA).Scan(&status)
	if denied < 6 || status != 0 {
		t.Fatalf("denied attempts logged: %d (want ≥ 6); changed suggestions: %d", denied, status)
	}
}

func TestReview(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	an, binh, cuong := e.browser(t), e.browser(t), e.browser(t)
	an.signIn("an.nguyen")
	binh.signIn("binh.tran")
	cuong.signIn("cuong.le")
	page := "/console/dossiers/" + dossierA
	tok := func(b *browser) string { return b.csrf(page) }

	t.Run("DossierPage", func(t *testing.T) {
		code, body := an.get(page)
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		for _, want := range []string{"Giấy chứng sinh", "97%", "NGUYỄN MINH KHANG", "<mark>NGUYỄN MINH KHANG</mark>",
			"Người đi đăng ký khai sinh nộp tờ khai", "/console/regulations/123%2F2015%2FN%C4%90-CP/9",
			"/console/documents/" + dossierA + "-d1/file", "Rủi ro cao"} {
			if !strings.Contains(body, want) {
				t.Errorf("dossier page lacks %q", want)
			}
		}
	})
	t.Run("ReviewerCannotApprove", func(t *testing.T) {
		code, _ := cuong.post("/console/suggestions/"+suggOK+"/approve", url.Values{"csrf": {tok(cuong)}})
		if code != http.StatusForbidden {
			t.Fatalf("reviewer approved: %d", code)
		}
	})
	t.Run("Approve", func(t *testing.T) {
		code, _ := an.post("/console/suggestions/"+suggOK+"/approve", url.Values{"csrf": {tok(an)}, "reason": {"đủ căn cứ"}})
		if code != http.StatusSeeOther {
			t.Fatalf("approve: %d", code)
		}
		var n int
		_ = e.pool.QueryRow(ctx, `SELECT count(*) FROM citizen_inbox WHERE suggestion_id = $1`, suggOK).Scan(&n)
		if n != 1 {
			t.Fatalf("inbox rows = %d", n)
		}
		_, body := an.get(page)
		if !strings.Contains(body, "Đề nghị ông/bà bổ sung bản sao") || !strings.Contains(body, "Hộp thư công dân (1)") {
			t.Fatal("approved message not shown in the citizen inbox section")
		}
	})
	t.Run("RejectNeedsReason", func(t *testing.T) {
		code, _ := cuong.post("/console/suggestions/"+suggBad+"/reject", url.Values{"csrf": {tok(cuong)}})
		if code != http.StatusBadRequest {
			t.Fatalf("reject without reason: %d", code)
		}
	})
	t.Run("Edit", func(t *testing.T) {
		code, _ := cuong.post("/console/suggestions/"+suggBad+"/edit", url.Values{"csrf": {tok(cuong)}, "text": {"Họ tên trên tờ khai và giấy chứng sinh khác nhau."}})
		if code != http.StatusSeeOther {
			t.Fatalf("edit: %d", code)
		}
	})
	t.Run("Reject", func(t *testing.T) {
		code, _ := cuong.post("/console/suggestions/"+suggBad+"/reject", url.Values{"csrf": {tok(cuong)}, "reason": {"đã liên hệ trực tiếp"}})
		if code != http.StatusSeeOther {
			t.Fatalf("reject: %d", code)
		}
	})
	t.Run("FourEyes", func(t *testing.T) {
		if code, _ := an.post("/console/suggestions/"+suggHigh+"/approve", url.Values{"csrf": {tok(an)}}); code != http.StatusSeeOther {
			t.Fatalf("first approval: %d", code)
		}
		_, body := an.get(page)
		if !strings.Contains(body, "Đã duyệt 1/2") {
			t.Fatal("four-eyes state not shown")
		}
		if code, _ := an.post("/console/suggestions/"+suggHigh+"/approve", url.Values{"csrf": {tok(an)}}); code != http.StatusConflict {
			t.Fatalf("same approver twice: %d, want 409", code)
		}
		if code, _ := binh.post("/console/suggestions/"+suggHigh+"/approve", url.Values{"csrf": {tok(binh)}}); code != http.StatusSeeOther {
			t.Fatalf("second approval: %d", code)
		}
		var status string
		_ = e.pool.QueryRow(ctx, `SELECT status FROM suggestions WHERE id = $1`, suggHigh).Scan(&status)
		if status != "approved" {
			t.Fatalf("after two approvers: %s", status)
		}
	})
	t.Run("ViewsAreAudited", func(t *testing.T) {
		var n int
		_ = e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'dossier.view' AND entity_id = $1`, dossierA).Scan(&n)
		if n == 0 {
			t.Fatal("dossier views not in the audit log")
		}
		if _, problems, err := audit.Verify(ctx, e.pool); err != nil || len(problems) > 0 {
			t.Fatalf("audit chain: %v %v", problems, err)
		}
	})
	t.Run("RegulationPage", func(t *testing.T) {
		code, body := an.get("/console/regulations/123%2F2015%2FN%C4%90-CP/9")
		if code != http.StatusOK || !strings.Contains(body, "Trường hợp cha, mẹ của trẻ đã đăng ký kết hôn") {
			t.Fatalf("article page: %d", code)
		}
	})
	t.Run("File", func(t *testing.T) {
		resp, err := an.c.Get(an.base + "/console/documents/" + dossierA + "-d1/file")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") {
			t.Fatalf("file: %d %v", resp.StatusCode, resp.Header)
		}
	})
}

// TestFourEyesTextRewrittenOnApproval: the second approver of a high-risk
// suggestion types a new text into the approval form. The first approver
// never saw it, so it is not sent; it needs a second approval of its own.
func TestFourEyesTextRewrittenOnApproval(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	an, binh := e.browser(t), e.browser(t)
	an.signIn("an.nguyen")
	binh.signIn("binh.tran")
	page := "/console/dossiers/" + dossierA
	if code, _ := an.post("/console/suggestions/"+suggHigh+"/approve", url.Values{"csrf": {an.csrf(page)}}); code != http.StatusSeeOther {
		t.Fatalf("first approval: %d", code)
	}
	rewritten := "Nội dung do người duyệt thứ hai viết lại."
	if code, _ := binh.post("/console/suggestions/"+suggHigh+"/approve", url.Values{"csrf": {binh.csrf(page)}, "text": {rewritten}}); code != http.StatusSeeOther {
		t.Fatalf("approval with a new text: %d", code)
	}
	state := func() (status, text string, inbox int) {
		_ = e.pool.QueryRow(ctx, `SELECT status, text, (SELECT count(*) FROM citizen_inbox WHERE suggestion_id = $1) FROM suggestions WHERE id = $1`,
			suggHigh).Scan(&status, &text, &inbox)
		return
	}
	if status, text, inbox := state(); status != "pending_review" || text != rewritten || inbox != 0 {
		t.Fatalf("a text one approver saw was sent: %s %q, %d inbox rows", status, text, inbox)
	}
	if code, _ := an.post("/console/suggestions/"+suggHigh+"/approve", url.Values{"csrf": {an.csrf(page)}}); code != http.StatusSeeOther {
		t.Fatalf("approval of the new text: %d", code)
	}
	if status, text, inbox := state(); status != "approved" || text != rewritten || inbox != 1 {
		t.Fatalf("after two approvals of the new text: %s %q, %d inbox rows", status, text, inbox)
	}
}

func TestQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *web.Config, _ *web.Deps) { c.AuditSampleRate = 1 })
	b := e.browser(t)
	b.signIn("binh.tran") // an approver of agency A (an administrator's queue spans every agency)
	for _, tc := range []struct {
		name, query string
		want, not   []string
	}{
		{"DefaultAwaitingReview", "", []string{dossierA, "Mẫu kiểm tra", "Đã tiền kiểm, chờ cán bộ (1)", "Đang tiền kiểm (1)"}, []string{dossierA2, dossierB}},
		{"AllStatuses", "?status=all", []string{dossierA, dossierA2}, []string{dossierB}},
		{"ByProcedure", "?status=all&procedure=2.000635", []string{"Không có hồ sơ"}, []string{dossierA + "\""}},
		{"HighConfidence", "?status=all&confidence=high", []string{dossierA}, []string{dossierA2}},
		{"NoDocuments", "?status=all&confidence=none", []string{dossierA2}, []string{">" + dossierA + "<"}},
		{"SampleOnly", "?status=all&sample=1", []string{dossierA}, []string{dossierA2}},
		{"OnTime", "?status=all&due=ok", []string{dossierA, dossierA2}, nil},
		{"Overdue", "?status=all&due=overdue", []string{"Không có hồ sơ"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := b.get("/console/queue" + tc.query)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("queue%s lacks %q", tc.query, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("queue%s shows %q", tc.query, n)
				}
			}
		})
	}
	t.Run("English", func(t *testing.T) {
		if code, _ := b.get("/console/lang/en?next=/console/queue"); code != http.StatusSeeOther {
			t.Fatal(code)
		}
		_, body := b.get("/console/queue")
		if !strings.Contains(body, "Dossiers awaiting review") || !strings.Contains(body, `lang="en"`) {
			t.Fatal("English switch did not apply")
		}
	})
}

func TestSampled(t *testing.T) {
	t.Parallel()
	n := 0
	for i := range 20000 {
		id := fmt.Sprintf("hs-%06d", i)
		if web.Sampled(id, 0.10) {
			n++
		}
		if web.Sampled(id, 0.10) != web.Sampled(id, 0.10) {
			t.Fatal("not deterministic")
		}
		if web.Sampled(id, 0) || !web.Sampled(id, 1) {
			t.Fatal("rates 0 and 1 are not none and all")
		}
	}
	if n < 1800 || n > 2200 {
		t.Fatalf("sampled %d of 20000 at 10%%", n)
	}
}

func TestAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	an, cuong := e.browser(t), e.browser(t)
	an.signIn("an.nguyen")
	cuong.signIn("cuong.le")
	t.Run("NonAdminRefused", func(t *testing.T) {
		for _, p := range []string{"/console/audit", "/console/users"} {
			if code, _ := cuong.get(p); code != http.StatusForbidden {
				t.Fatalf("%s by a reviewer: %d", p, code)
			}
		}
	})
	t.Run("AddUser", func(t *testing.T) {
		tok := an.csrf("/console/users")
		code, body := an.post("/console/users", url.Values{"csrf": {tok}, "id": {"giang.vo"}, "name": {"Võ Giang"}, "roles": {"reviewer", "approver"}, "password": {"mat-khau-giang"}})
		if code != http.StatusSeeOther {
			t.Fatalf("add user: %d\n%s", code, body)
		}
		u, err := e.console.Users().User(context.Background(), "giang.vo")
		if err != nil || u.Agency != agencyA || len(u.Roles) != 2 {
			t.Fatalf("added user = %+v, %v", u, err)
		}
	})
	t.Run("IssueToken", func(t *testing.T) {
		tok := an.csrf("/console/users")
		code, body := an.post("/console/users/cuong.le", url.Values{"csrf": {tok}, "op": {"token"}, "token_name": {"test"}})
		if code != http.StatusOK || !regexp.MustCompile(`id="new-token">hoso_`).MatchString(body) {
			t.Fatalf("token: %d", code)
		}
	})
	t.Run("OtherAgencyUser", func(t *testing.T) {
		// An administrator manages officials of every agency (issue 21).
		tok := an.csrf("/console/users")
		if code, body := an.post("/console/users/dung.pham", url.Values{"csrf": {tok}, "roles": {"reviewer"}}); code != http.StatusSeeOther {
			t.Fatalf("admin could not change another agency's user: %d\n%s", code, body)
		}
		if u, err := e.console.Users().User(context.Background(), "dung.pham"); err != nil || strings.Join(u.Roles, ",") != "reviewer" || u.Agency != agencyB {
			t.Fatalf("dung.pham = %+v, %v", u, err)
		}
	})
	t.Run("Disable", func(t *testing.T) {
		tok := an.csrf("/console/users")
		if code, _ := an.post("/console/users/cuong.le", url.Values{"csrf": {tok}, "roles": {"reviewer"}, "disabled": {"1"}}); code != http.StatusSeeOther {
			t.Fatalf("disable: %d", code)
		}
		if code, _ := cuong.get("/console/queue"); code != http.StatusSeeOther {
			t.Fatalf("disabled user still signed in: %d", code)
		}
	})
	t.Run("AuditLogShowsTampering", func(t *testing.T) {
		_, body := an.get("/console/audit")
		if !strings.Contains(body, `id="chain-ok"`) {
			t.Fatal("intact chain not reported")
		}
		if _, err := e.pool.Exec(context.Background(), `UPDATE audit_log SET reason = 'sửa lén' WHERE seq = (SELECT min(seq) FROM audit_log)`); err != nil {
			t.Fatal(err)
		}
		_, body = an.get("/console/audit")
		if !strings.Contains(body, `id="chain-broken"`) {
			t.Fatal("edited row not reported")
		}
	})
}

func TestAPIAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	h := e.console.RequireAPIAuth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := web.ActorFrom(r.Context())
		if !ok {
			t.Error("no actor in context")
		}
		fmt.Fprint(w, a.ID+"|"+a.Agency)
	}))
	secret, _, err := e.console.Users().CreateToken(ctx, "dung.pham", "portal", 0)
	if err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	b.signIn("an.nguyen")
	session := b.cookie("hoso_session")
	csrf := b.csrf("/console/queue")
	for _, tc := range []struct {
		name, method, authz, cookie, csrf string
		want                              int
		who                               string
	}{
		{"NoCredentials", "GET", "", "", "", 401, ""},
		{"BadToken", "GET", "Bearer hoso_x_y", "", "", 401, ""},
		{"BasicAuth", "GET", "Basic eDp5", "", "", 401, ""},
		{"Token", "POST", "Bearer " + secret, "", "", 200, "dung.pham|" + agencyB},
		{"SessionGet", "GET", "", session, "", 200, "an.nguyen|" + agencyA},
		{"SessionPostWithoutCSRF", "POST", "", session, "", 403, ""},
		{"SessionPostWithCSRF", "POST", "", session, csrf, 200, "an.nguyen|" + agencyA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequest(tc.method, "/api/v1/x", nil)
			if tc.authz != "" {
				r.Header.Set("Authorization", tc.authz)
			}
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: "hoso_session", Value: tc.cookie})
			}
			if tc.csrf != "" {
				r.Header.Set(web.CSRFHeader, tc.csrf)
			}
			w := newRecorder()
			h.ServeHTTP(w, r)
			if w.code != tc.want || (tc.who != "" && w.body.String() != tc.who) {
				t.Fatalf("status %d body %q, want %d %q", w.code, w.body.String(), tc.want, tc.who)
			}
			a, ok := e.console.APIActor(r)
			if ok != (tc.want == 200) || (ok && a.ID+"|"+a.Agency != tc.who) {
				t.Fatalf("APIActor = %+v, %v", a, ok)
			}
		})
	}
}

// TestTemplatesTranslated checks that every key the templates use has both
// a Vietnamese and an English text.
func TestTemplatesTranslated(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`\{\{-?\s*(?:t|tf)\s+"([a-z_.\-]+)"`)
	keys := web.MessageKeys()
	err := fs.WalkDir(os.DirFS("templates"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile("templates/" + p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if v, ok := keys[m[1]]; !ok || v[0] == "" || v[1] == "" {
				t.Errorf("%s: key %q has no vi/en text", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type procedures map[string]catalog.Procedure

func (p procedures) Get(_ context.Context, code string, _ time.Time) (*catalog.Procedure, error) {
	if pr, ok := p[code]; ok {
		return &pr, nil
	}
	return nil, dossier.Errorf(dossier.CodeNotFound, "no procedure %s", code)
}

type objects map[string][]byte

func (o objects) Get(_ context.Context, key string) ([]byte, error) {
	if b, ok := o[key]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("no object %s", key)
}

// TestCatalogAndObjectStore wires the console to a catalog (processing time
// → statutory deadline on the working-day calendar) and to the object store
// through ObjectFiles.
func TestCatalogAndObjectStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(_ *web.Config, d *web.Deps) {
		d.Procedures = procedures{"2.000635": {Code: "2.000635", Name: "Cấp bản sao trích lục hộ tịch", ProcessingDays: 5}}
		d.Files = web.ObjectFiles{Pool: d.Pool, Store: objects{"k3": minimalPDF}}
	})
	b := e.browser(t)
	b.signIn("dung.pham")
	_, body := b.get("/console/dossiers/" + dossierB)
	// Received Monday 2/3 at 10:00 (UTC+7): five working days → Monday 9/3, 17:00.
	if !strings.Contains(body, "17:00 09/03/2026") {
		t.Fatal("processing deadline from the catalog not shown")
	}
	resp, err := b.c.Get(b.base + "/console/documents/" + dossierB + "-d1/file")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(got, minimalPDF) {
		t.Fatalf("file from the object store: %d, %d bytes", resp.StatusCode, len(got))
	}
}

func TestRenderedPages(t *testing.T) {
	t.Parallel()
	if _, ok := web.NewPdftoppm(); !ok {
		t.Skip("pdftoppm not installed (scripts/install-deps.sh installs poppler-utils)")
	}
	e := newEnv(t, nil)
	b := e.browser(t)
	b.signIn("an.nguyen")
	_, body := b.get("/console/dossiers/" + dossierA)
	if !strings.Contains(body, "/console/documents/"+dossierA+"-d1/pages/1") {
		t.Fatal("dossier page does not show rendered pages")
	}
	resp, err := b.c.Get(b.base + "/console/documents/" + dossierA + "-d1/pages/1")
	if err != nil {
		t.Fatal(err)
	}
	png, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("page image: %d %q", resp.StatusCode, png[:min(len(png), 40)])
	}
	for _, p := range []string{"2", "0", "x"} {
		if code, _ := b.get("/console/documents/" + dossierA + "-d1/pages/" + p); code != http.StatusNotFound {
			t.Errorf("page %s: %d, want 404", p, code)
		}
	}
	other := e.browser(t)
	other.signIn("dung.pham")
	if code, _ := other.get("/console/documents/" + dossierA + "-d1/pages/1"); code != http.StatusForbidden {
		t.Fatalf("other agency's page: %d, want 403", code)
	}
}

// The random audit follows the pipeline version a dossier ran under: its
// audit_rate and high_confidence, not the console's configuration.
func TestAuditRateFollowsPipelineVersion(t *testing.T) {
	t.Parallel()
	version := func(t *testing.T, rate string) pipelinedef.Registry {
		src := strings.Replace(string(pipelinedef.DefaultYAML()), "audit_rate: 0.10", "audit_rate: "+rate, 1)
		def, err := pipelinedef.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return pipelinedef.Static{Def: def}
	}
	for _, tc := range []struct {
		name, rate string
		console    float64
		sampled    bool
	}{
		{"VersionSamplesAll", "1.0", 0, true},
		{"VersionSamplesNone", "0", 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(c *web.Config, d *web.Deps) { c.AuditSampleRate, d.Registry = tc.console, version(t, tc.rate) })
			b := e.browser(t)
			b.signIn("an.nguyen")
			_, body := b.get("/console/queue?status=all&sample=1")
			if got := strings.Contains(body, dossierA); got != tc.sampled {
				t.Fatalf("audit_rate %s (console %.0f): %s sampled = %v, want %v", tc.rate, tc.console, dossierA, got, tc.sampled)
			}
		})
	}
}
