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
)

// official is a mockoidc user whose ID token carries hoso's agency and roles
// claims, as a province's identity provider would be configured to send.
type official struct {
	sub, username, name, agency string
	roles                       []string
}

func (o *official) ID() string { return o.sub }

func (o *official) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": o.sub, "name": o.name, "preferred_username": o.username})
}

type officialClaims struct {
	*mockoidc.IDTokenClaims
	Name              string   `json:"name,omitempty"`
	PreferredUsername string   `json:"preferred_username,omitempty"`
	Agency            string   `json:"agency,omitempty"`
	Roles             []string `json:"roles,omitempty"`
}

func (o *official) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &officialClaims{IDTokenClaims: c, Name: o.name, PreferredUsername: o.username, Agency: o.agency, Roles: o.roles}, nil
}

func TestOIDC(t *testing.T) {
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
		RedirectURL: base + "/console/oidc/callback", RolePrefix: "hoso:"})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(_ *web.Config, d *web.Deps) { d.OIDC = o })
	srv := httptest.NewUnstartedServer(e.console.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	signIn := func(t *testing.T, u *official) (int, string, *http.Client) {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		m.QueueUser(u)
		resp, err := c.Get(base + "/console/oidc/login?next=/console/queue")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), c
	}

	t.Run("SSOButton", func(t *testing.T) {
		resp, err := http.Get(base + "/console/login")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), "Đăng nhập bằng SSO") {
			t.Fatal("no SSO button on the sign-in page")
		}
	})
	t.Run("SignIn", func(t *testing.T) {
		code, body, _ := signIn(t, &official{sub: "sub-001", username: "hoa.dang", name: "Đặng Thị Hoa", agency: agencyA,
			roles: []string{"hoso:reviewer", "hoso:approver", "unrelated-group"}})
		if code != http.StatusOK || !strings.Contains(body, dossierA) || !strings.Contains(body, "Đặng Thị Hoa") {
			t.Fatalf("after SSO: %d\n%s", code, body)
		}
		u, err := e.console.Users().User(context.Background(), "hoa.dang")
		if err != nil || u.Source != "oidc" || u.Agency != agencyA || strings.Join(u.Roles, ",") != "approver,reviewer" {
			t.Fatalf("SSO account = %+v, %v", u, err)
		}
	})
	t.Run("ClaimsRefreshed", func(t *testing.T) {
		code, body, _ := signIn(t, &official{sub: "sub-001", username: "hoa.dang", name: "Đặng Thị Hoa", agency: agencyB, roles: []string{"hoso:reviewer"}})
		if code != http.StatusOK || strings.Contains(body, dossierA) || !strings.Contains(body, dossierB) {
			t.Fatalf("after moving agency: %d", code)
		}
	})
	t.Run("NoAgencyClaim", func(t *testing.T) {
		code, _, _ := signIn(t, &official{sub: "sub-002", username: "khong.coquan", name: "X", roles: []string{"hoso:reviewer"}})
		if code != http.StatusForbidden {
			t.Fatalf("sign-in without agency: %d, want 403", code)
		}
	})
	t.Run("LocalAccountNotTakenOver", func(t *testing.T) {
		// The provider says preferred_username an.nguyen, a local admin:
		// the SSO identity gets its own account instead.
		code, _, _ := signIn(t, &official{sub: "sub-003", username: "an.nguyen", name: "Kẻ mạo danh", agency: agencyA, roles: []string{"hoso:reviewer"}})
		if code != http.StatusOK {
			t.Fatalf("sign-in: %d", code)
		}
		u, _ := e.console.Users().User(context.Background(), "an.nguyen")
		if u.Source != "local" || u.Name != "Nguyễn Thị An" {
			t.Fatalf("local account overwritten: %+v", u)
		}
	})
	t.Run("StateMismatch", func(t *testing.T) {
		resp, err := http.Get(base + "/console/oidc/callback?code=x&state=forged")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("forged callback: %d", resp.StatusCode)
		}
	})
}
