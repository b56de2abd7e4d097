package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/citizen"
)

// digitalIdentity is a mockoidc user as a VNeID-style provider would send
// it: the personal ID number in the national_id claim, no agency.
type digitalIdentity struct{ sub, nationalID string }

func (d *digitalIdentity) ID() string { return d.sub }

func (d *digitalIdentity) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": d.sub})
}

type identityClaims struct {
	*mockoidc.IDTokenClaims
	NationalID string `json:"national_id,omitempty"`
}

func (d *digitalIdentity) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &identityClaims{IDTokenClaims: c, NationalID: d.nationalID}, nil
}

// TestCitizenOIDC signs a citizen in on /citizen with a fake OpenID Connect
// provider: a valid personal ID number gives the same session a code does
// (audited, method oidc); a missing or malformed one, or a forged state, is
// refused without a session and audited; unconfigured, there is no button
// and no route.
func TestCitizenOIDC(t *testing.T) {
	t.Parallel()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg := m.Config()
	o, err := auth.NewOIDC(context.Background(), auth.OIDCConfig{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURL: base + "/citizen/oidc/callback", Require: []string{auth.DefaultCitizenIDClaim}})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(_ *web.Config, d *web.Deps) {
		d.Citizens = &citizen.Service{Pool: d.Pool}
		d.CitizenOIDC = o
	})
	const pid = "079200001234"
	exec(t, e.pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage) VALUES
		('hs-01JDEMO000000000000OIDC01', '1.001193', $1, $2, '2026-02-23 02:00:00+00', 'accepted', 'done')`, pid, agencyA)
	srv := httptest.NewUnstartedServer(e.console.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	signIn := func(t *testing.T, u *digitalIdentity) (int, string, *http.Client) {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		m.QueueUser(u)
		resp, err := c.Get(base + "/citizen/oidc/login")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), c
	}
	count := func(t *testing.T, sql string, args ...any) int {
		t.Helper()
		var n int
		if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("Button", func(t *testing.T) {
		resp, err := http.Get(base + "/citizen/login")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), "Đăng nhập bằng tài khoản định danh") || !strings.Contains(string(b), `href="/citizen/oidc/login"`) {
			t.Fatal("no digital-identity button on the citizen sign-in page")
		}
	})
	t.Run("SignIn", func(t *testing.T) {
		code, body, _ := signIn(t, &digitalIdentity{sub: "vneid-001", nationalID: pid})
		if code != http.StatusOK || !strings.Contains(body, "Xin chào, công dân "+pid) || !strings.Contains(body, "hs-01JDEMO000000000000OIDC01") {
			t.Fatalf("after sign-in: %d\n%s", code, body)
		}
		if n := count(t, `SELECT count(*) FROM citizen_sessions WHERE citizen_id = $1 AND method = 'oidc'`, pid); n != 1 {
			t.Fatalf("%d oidc sessions, want 1", n)
		}
		if n := count(t, `SELECT count(*) FROM audit_log WHERE action = 'citizen.sign_in' AND entity_id = $1 AND after->>'method' = 'oidc'`, pid); n != 1 {
			t.Fatalf("%d sign-in audit rows, want 1", n)
		}
	})
	for _, tc := range []struct{ name, nationalID string }{{"NoIDClaim", ""}, {"InvalidID", "999200001234"}, {"NotDigits", "07920000123X"}} {
		t.Run(tc.name, func(t *testing.T) {
			before := count(t, `SELECT count(*) FROM audit_log WHERE action = 'citizen.sign_in_failed' AND after->>'method' = 'oidc' AND after->>'why' = 'id'`)
			sessions := count(t, `SELECT count(*) FROM citizen_sessions`)
			code, body, _ := signIn(t, &digitalIdentity{sub: "vneid-" + tc.name, nationalID: tc.nationalID})
			if code != http.StatusForbidden || !strings.Contains(body, "số định danh cá nhân hợp lệ") {
				t.Fatalf("sign-in with national_id %q: %d, want 403\n%s", tc.nationalID, code, body)
			}
			if n := count(t, `SELECT count(*) FROM citizen_sessions`); n != sessions {
				t.Fatalf("a refused sign-in made a session (%d → %d)", sessions, n)
			}
			if n := count(t, `SELECT count(*) FROM audit_log WHERE action = 'citizen.sign_in_failed' AND after->>'method' = 'oidc' AND after->>'why' = 'id'`); n != before+1 {
				t.Fatalf("refusal not audited: %d → %d", before, n)
			}
		})
	}
	t.Run("StateMismatch", func(t *testing.T) {
		sessions := count(t, `SELECT count(*) FROM citizen_sessions`)
		resp, err := http.Get(base + "/citizen/oidc/callback?code=x&state=forged")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("forged callback: %d", resp.StatusCode)
		}
		if n := count(t, `SELECT count(*) FROM citizen_sessions`); n != sessions {
			t.Fatal("a forged callback made a session")
		}
		if n := count(t, `SELECT count(*) FROM audit_log WHERE action = 'citizen.sign_in_failed' AND after->>'why' = 'state'`); n != 1 {
			t.Fatalf("%d state refusals audited, want 1", n)
		}
	})
}

// TestCitizenOIDCNotConfigured: without a provider the citizen page offers
// codes only and the OIDC routes do not exist.
func TestCitizenOIDCNotConfigured(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(_ *web.Config, d *web.Deps) { d.Citizens = &citizen.Service{Pool: d.Pool} })
	resp, err := http.Get(e.srv.URL + "/citizen/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(b), "/citizen/oidc/login") || strings.Contains(string(b), "tài khoản định danh") {
		t.Fatal("digital-identity button shown without a provider")
	}
	for _, p := range []string{"/citizen/oidc/login", "/citizen/oidc/callback?code=x&state=y"} {
		resp, err := http.Get(e.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("GET %s without a provider: %d, want 404", p, resp.StatusCode)
		}
	}
}
