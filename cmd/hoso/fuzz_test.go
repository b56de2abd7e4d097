package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/auth"
)

// fuzzSeeds are requests that answered 500 in the security review (#16.8):
// NUL and invalid UTF-8 in query parameters, path values and form fields,
// numbers out of range.
var fuzzSeeds = [][4]string{
	{"GET", "/api/v1/procedures", "level=%00", ""},
	{"GET", "/api/v1/procedures", "field=%ff%fe", ""},
	{"GET", "/api/v1/procedures", "q=%00", ""},
	{"GET", "/api/v1/procedures", "limit=99999999999999999999", ""},
	{"GET", "/api/v1/procedures/1.001193", "at=99999-01-01", ""},
	{"GET", "/api/v1/procedures/%00", "", ""},
	{"GET", "/api/v1/dossiers", "status=%00&limit=-1&min_confidence=1e400", ""},
	{"GET", "/api/v1/dossiers", "applicant=%c3%28&offset=99999999999999999999", ""},
	{"GET", "/api/v1/dossiers/\x00", "", ""},
	{"GET", "/api/v1/dossiers/HS1/explanation", "", ""},
	{"GET", "/api/v1/regulations/search", "q=%00&k=99999999999999999999", ""},
	{"GET", "/api/v1/regulations/search", "q=a&in_force_on=0000-00-00", ""},
	{"GET", "/api/v1/citizens/%ff/vault", "", ""},
	{"GET", "/api/v1/citizens/001195012345/inbox", "", ""},
	{"GET", "/api/v1/dlq", "status=%00&limit=99999999999999999999", ""},
	{"GET", "/api/v1/dlq/99999999999999999999", "", ""},
	{"GET", "/api/v1/stages", "sla=9999999999999h&limit=-5", ""},
	{"POST", "/api/v1/suggestions/x%00/approve", "", `{"reason":"\u0000"}`},
	{"POST", "/api/v1/dossiers/x/accept", "", `{"note":"\u0000"}`},
	{"POST", "/api/v1/registry/records", "", `{"owner_id":"001195012345","type":"cccd","title":"\u0000"}`},
	{"POST", "/api/v1/events", "", `{"type":"birth","subject":"\u0000"}`},
	{"GET", "/console/audit", "before=99999999999999999999999", ""},
	{"GET", "/console/audit", "before=-1&actor=%00&entity=%ff", ""},
	{"GET", "/console/queue", "procedure=%00&page=99999999999999999999", ""},
	{"GET", "/console/queue", "status=%ff&sort=%00", ""},
	{"GET", "/console/dossiers/%00", "", ""},
	{"GET", "/console/documents/x/pages/99999999999999999999", "", ""},
	{"GET", "/console/regulations/%00/99999999999999999999", "q=%00", ""},
	{"GET", "/console/ops", "sla=%00", ""},
	{"GET", "/console/dlq", "status=%00", ""},
	{"GET", "/console/dlq/99999999999999999999", "", ""},
	{"GET", "/console/pipelines/%00", "", ""},
	{"GET", "/console/lang/%00", "next=%00", ""},
	{"GET", "/console/login", "next=%ff", ""},
	{"POST", "/console/suggestions/x/approve", "", "reason=%00&text=%ff"},
	{"POST", "/console/users", "", "id=%00&name=a&password=b&roles=reviewer"},
	{"POST", "/console/dossiers/x/audit-sample", "", "outcome=%00&note=%00"},
}

type fuzzServer struct {
	h      http.Handler
	users  *auth.Store
	cookie *http.Cookie
	csrf   string
	token  string
}

// FuzzHTTPHandlers sends any path, query and body to the API and the
// console as an admin and operator (bearer token, session) and anonymously,
// and asserts that no request answers 5xx: bad input is the caller's 400,
// never hoso's 500. Crashers found by `go test -fuzz` are kept in
// testdata/fuzz.
func FuzzHTTPHandlers(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	srv := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, method, path, query, body string) {
		if method != http.MethodPost {
			method = http.MethodGet
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		for _, as := range []string{"token", "session", "anonymous"} {
			r := httptest.NewRequest(method, "/", strings.NewReader(body))
			r.URL.Path, r.URL.RawPath, r.URL.RawQuery = path, "", query
			r.RequestURI = ""
			if method == http.MethodPost {
				ct := "application/x-www-form-urlencoded"
				if strings.HasPrefix(body, "{") {
					ct = "application/json"
				}
				r.Header.Set("Content-Type", ct)
			}
			switch as {
			case "token":
				r.Header.Set("Authorization", "Bearer "+srv.token)
			case "session":
				r.AddCookie(srv.cookie)
				r.Header.Set(web.CSRFHeader, srv.csrf)
			}
			w := httptest.NewRecorder()
			srv.h.ServeHTTP(w, r)
			if w.Code >= 500 {
				t.Fatalf("%s %q ?%q body %q (%s) = %d\n%s", method, path, query, body, as, w.Code, w.Body.String()[:min(w.Body.Len(), 600)])
			}
		}
	})
}

// newFuzzServer starts hoso's whole HTTP handler (API and console) on a
// fresh system, with an admin and operator's session and API token.
func newFuzzServer(tb testing.TB) *fuzzServer {
	tb.Helper()
	sys := systemtest.New(tb)
	svc := sys.Start(service.Options{NoWorkers: true})
	ctx := context.Background()
	getenv := systemEnv(sys, "")
	e := newEnv(getenv, strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	tb.Cleanup(e.close)
	h, _, err := httpHandler(ctx, e, svc, listen{})
	if err != nil {
		tb.Fatal(err)
	}
	users := auth.NewStore(svc.Pool)
	users.Cost = 4
	if _, err := users.AddUser(ctx, auth.User{ID: "fuzz.admin", Name: "Fuzz", Agency: "ubnd-phuong-ba-dinh",
		Roles: []string{auth.RoleAdmin, auth.RoleOperator, auth.RoleReviewer, auth.RoleApprover}}, "mat-khau-fuzz-1"); err != nil {
		tb.Fatal(err)
	}
	sess, err := users.CreateSession(ctx, "fuzz.admin", "go-fuzz", "127.0.0.1")
	if err != nil {
		tb.Fatal(err)
	}
	secret, _, err := users.CreateToken(ctx, "fuzz.admin", "fuzz", 0)
	if err != nil {
		tb.Fatal(err)
	}
	return &fuzzServer{h: h, users: users, cookie: &http.Cookie{Name: "hoso_session", Value: sess.ID}, csrf: sess.CSRF, token: secret}
}
