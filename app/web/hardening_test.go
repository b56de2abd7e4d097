package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/config"
)

// TestConsoleSignInLockout is the regression test for the review's finding
// that 200 wrong passwords were all answered 401 and the right password
// worked right after. The fifth failure locks the account: 429 with
// Retry-After and a Vietnamese message saying when (Asia/Ho_Chi_Minh), the
// right password is refused until then, and an account that does not exist
// gets exactly the same pages.
func TestConsoleSignInLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	type page struct {
		code       int
		retryAfter string
		body       string
	}
	tokenRe := regexp.MustCompile(`name="csrf" value="[^"]+"`)
	try := func(user, pw string) page {
		b := e.browser(t)
		token := b.csrf("/console/login")
		resp, err := b.c.PostForm(b.base+"/console/login", url.Values{"csrf": {token}, "username": {user}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		// The page echoes the name typed and carries a fresh form token;
		// everything else must be the same for every name.
		norm := strings.ReplaceAll(tokenRe.ReplaceAllString(string(body), ""), user, "NAME")
		return page{resp.StatusCode, resp.Header.Get("Retry-After"), norm}
	}
	var known, unknown []page
	for i := 0; i < 6; i++ {
		known = append(known, try("an.nguyen", "sai-mat-khau"))
		unknown = append(unknown, try("khong.ton.tai", "sai-mat-khau"))
	}
	for i := range known {
		if known[i] != unknown[i] {
			t.Fatalf("attempt %d differs for an unknown account:\nknown   %d %q\n%s\nunknown %d %q\n%s", i+1,
				known[i].code, known[i].retryAfter, known[i].body, unknown[i].code, unknown[i].retryAfter, unknown[i].body)
		}
	}
	for i, p := range known[:4] {
		if p.code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, p.code)
		}
	}
	if p := known[4]; p.code != http.StatusTooManyRequests || p.retryAfter != "60" ||
		!strings.Contains(p.body, "tạm khoá đến 16:01:00 03/03/2026") || !strings.Contains(p.body, "try again after") {
		t.Fatalf("fifth failure: %d Retry-After %q\n%s", p.code, p.retryAfter, p.body)
	}
	if p := try("an.nguyen", password); p.code != http.StatusTooManyRequests {
		t.Fatalf("right password during the lock: %d, want 429", p.code)
	}
	e.clock.Add(61 * time.Second)
	b := e.browser(t)
	b.signIn("an.nguyen") // the lock has ended
	ctx := context.Background()
	var failed, lockouts int
	_ = e.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'auth.sign_in_failed' AND entity_id = 'an.nguyen'),
		count(*) FILTER (WHERE action = 'auth.lockout') FROM audit_log`).Scan(&failed, &lockouts)
	if failed != 5 || lockouts != 2 {
		t.Fatalf("audited %d failed sign-ins of an.nguyen and %d lockouts, want 5 and 2 (one per account)", failed, lockouts)
	}
	if _, problems, err := audit.Verify(ctx, e.pool); err != nil || len(problems) > 0 {
		t.Fatalf("audit chain: %v %v", problems, err)
	}
}

// TestAPITokenLockout: bad bearer tokens lock the client address; the API
// then answers 429 too_many_requests with Retry-After, even to a good token.
func TestAPITokenLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.console.Users().Throttle = auth.Throttle{AddrLimit: 3}
	srv := e.mountAPI(t)
	good, _, err := e.console.Users().CreateToken(context.Background(), "an.nguyen", "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	call := func(token string) (int, string, string) {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/dossiers", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct{ Error, Message string }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), body.Error
	}
	var got []string
	for i := 0; i < 3; i++ {
		code, ra, ec := call("hoso_abc123_doan-bua")
		got = append(got, strings.Join([]string{http.StatusText(code), ra, ec}, "|"))
	}
	want := "Unauthorized||unauthenticated Unauthorized||unauthenticated Too Many Requests|60|too_many_requests"
	if strings.Join(got, " ") != want {
		t.Fatalf("bad tokens: %v\nwant %s", got, want)
	}
	if code, _, _ := call(good); code != http.StatusTooManyRequests {
		t.Fatalf("good token from the locked address: %d, want 429", code)
	}
	e.clock.Add(time.Minute)
	if code, _, _ := call(good); code != http.StatusOK {
		t.Fatalf("good token after the lock: %d, want 200", code)
	}
}

// TestAPIHardening is the regression test for item 9 of the review: /api/*
// responses carry the console's security headers and no-store (they hold
// personal data), the 401 body says "unauthenticated" as docs/openapi.yaml
// does, and refused cross-agency API requests are audited as the console's
// are.
func TestAPIHardening(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	srv := e.mountAPI(t)
	ctx := context.Background()
	tokenB, _, err := e.console.Users().CreateToken(ctx, "dung.pham", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, token, body string) (*http.Response, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	// The console's own headers, for comparison.
	lr, _ := http.Get(e.srv.URL + "/console/login")
	lr.Body.Close()
	headers := []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Cache-Control"}
	for _, tc := range []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"Unauthenticated", "GET", "/api/v1/dossiers", "", "", 401},
		{"OwnAgencyList", "GET", "/api/v1/dossiers", tokenB, "", 200},
		{"OtherAgencyList", "GET", "/api/v1/dossiers?agency=" + url.QueryEscape(agencyA), tokenB, "", 403},
		{"OtherAgencyApprove", "POST", "/api/v1/suggestions/" + suggOK + "/approve", tokenB, `{"reason":"x"}`, 403},
		{"OtherAgencyReject", "POST", "/api/v1/suggestions/" + suggBad + "/reject", tokenB, `{"reason":"x"}`, 403},
		{"OtherAgencyEdit", "POST", "/api/v1/suggestions/" + suggBad + "/edit", tokenB, `{"text":"x"}`, 403},
	} {
		resp, body := call(tc.method, tc.path, tc.token, tc.body)
		if resp.StatusCode != tc.want {
			t.Fatalf("%s: %d %s, want %d", tc.name, resp.StatusCode, body, tc.want)
		}
		for _, h := range headers {
			if got, want := resp.Header.Get(h), lr.Header.Get(h); got == "" || got != want {
				t.Errorf("%s: %s = %q, want the console's %q", tc.name, h, got, want)
			}
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control = %q, want no-store", tc.name, resp.Header.Get("Cache-Control"))
		}
		if tc.want == 401 && !strings.Contains(body, `"error": "unauthenticated"`) && !strings.Contains(body, `"error":"unauthenticated"`) {
			t.Errorf("401 body %s, want error unauthenticated (docs/openapi.yaml)", body)
		}
	}
	rows, err := e.pool.Query(ctx, `SELECT action, entity_id FROM audit_log WHERE actor = 'dung.pham' AND action LIKE '%.denied' ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var denied []string
	for rows.Next() {
		var a, id string
		_ = rows.Scan(&a, &id)
		denied = append(denied, a+" "+id)
	}
	want := []string{"dossier.list.denied " + agencyA, "suggestion.approve.denied " + suggOK, "suggestion.reject.denied " + suggBad, "suggestion.edit.denied " + suggBad}
	if strings.Join(denied, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audited refusals:\n%s\nwant:\n%s", strings.Join(denied, "\n"), strings.Join(want, "\n"))
	}
}

// TestTrustedProxyClientAddress: behind a trusted reverse proxy
// (HOSO_TRUSTED_PROXIES) the sign-in throttle counts the client named in
// X-Forwarded-For, so one client's failures do not lock out everyone behind
// the proxy; from anywhere else X-Forwarded-For is ignored, so a client
// cannot escape its lock by forging it.
func TestTrustedProxyClientAddress(t *testing.T) {
	t.Parallel()
	loaded, err := config.Load(func(k string) string {
		return map[string]string{"HOSO_TRUSTED_PROXIES": "127.0.0.1, ::1/128"}[k]
	})
	cfg := web.ConfigFrom(loaded)
	if err != nil || len(cfg.TrustedProxies) != 2 {
		t.Fatalf("ConfigFrom: %v %v", cfg.TrustedProxies, err)
	}
	if _, err := config.Load(func(k string) string {
		return map[string]string{"HOSO_TRUSTED_PROXIES": "proxy.local"}[k]
	}); err == nil || !strings.Contains(err.Error(), "HOSO_TRUSTED_PROXIES") {
		t.Fatalf("bad HOSO_TRUSTED_PROXIES: %v", err)
	}
	try := func(e *env, user, pw, xff string) int {
		b := e.browser(t)
		token := b.csrf("/console/login")
		req, _ := http.NewRequest("POST", b.base+"/console/login", strings.NewReader(url.Values{"csrf": {token}, "username": {user}, "password": {pw}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", xff)
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name    string
		trusted bool
		// statuses of: 3 failures from client X, then the right password
		// from client Y, then from X again with a forged entry in front
		want []int
	}{
		{"BehindTrustedProxy", true, []int{401, 401, 429, 303, 429}},
		{"UntrustedForwardedFor", false, []int{401, 401, 429, 429, 429}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *web.Config, _ *web.Deps) {
				if tc.trusted {
					c.TrustedProxies = cfg.TrustedProxies
				}
			})
			e.console.Users().Throttle = auth.Throttle{AccountLimit: 100, AddrLimit: 3}
			var got []int
			for i := 0; i < 3; i++ {
				got = append(got, try(e, "ten-"+string(rune('a'+i)), "sai", "198.51.100.1"))
			}
			got = append(got, try(e, "an.nguyen", password, "198.51.100.2"))
			got = append(got, try(e, "binh.tran", password, "203.0.113.9, 198.51.100.1"))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("statuses %v, want %v", got, tc.want)
			}
		})
	}
}
