package drills_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/api"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
)

// TestDrillAuthorizationMatrix calls every API route as every agency-scoped
// role of agency B against agency A's dossier, suggestions, citizen and
// inbox, and counts the successes: there must be none. Every route in
// app/api/routes.go must appear in the matrix or in the list of routes
// that carry no agency data, so a new route cannot skip the drill.
func TestDrillAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	sd := systemtest.Samples(t)["khai-sinh-thieu-giay-chung-sinh"] // agency ubnd-phuong-ba-dinh
	res, err := svc.SubmitSample(ctx, sd, "authz-")
	if err != nil {
		t.Fatal(err)
	}
	rep := systemtest.Wait(t, svc, res.DossierID)[0]
	if len(rep.Suggestions) < 1 {
		t.Fatal("the sample should draft suggestions")
	}
	agencyA, citizenA := sd.Agency, sd.Applicant
	// One suggestion approved by agency A, so the citizen's inbox has an item.
	approverA := review.Actor{ID: "a.approver", Agency: agencyA, Roles: []string{review.RoleApprover}}
	if _, err := auth.NewStore(sys.Pool).AddUser(ctx, auth.User{ID: approverA.ID, Name: approverA.ID, Agency: agencyA, Roles: approverA.Roles}, ""); err != nil {
		t.Fatal(err) // review decides only for accounts
	}
	var suggID, otherSugg string
	for _, s := range rep.Suggestions {
		if s.Risk != "high" && suggID == "" {
			suggID = s.ID
		} else {
			otherSugg = s.ID
		}
	}
	if _, err := svc.Review.Approve(ctx, suggID, approverA, "ok", nil); err != nil {
		t.Fatal(err)
	}
	if otherSugg == "" {
		otherSugg = suggID
	}
	var itemID int64
	if err := sys.Pool.QueryRow(ctx, `SELECT id FROM citizen_inbox WHERE suggestion_id = $1`, suggID).Scan(&itemID); err != nil {
		t.Fatal(err)
	}

	// The HTTP edge as hoso serve assembles it: the API authenticated by the
	// console (bearer tokens here).
	c, err := web.New(web.Deps{Pool: sys.Pool, Review: svc.Review, Procedures: svc.Catalog}, web.Config{IdleTimeout: time.Hour, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	a := &api.Server{Pool: sys.Pool, Deps: api.Deps{Catalog: svc.Catalog, Regulations: svc.Regulations,
		Submission: svc.Submission, Review: svc.Review, DeadLetters: svc.DeadLetters, StuckAfter: time.Minute, Actor: c.APIActor,
		Corrections: svc.Corrections}}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)

	users := auth.NewStore(sys.Pool)
	roles := map[string][]string{ // agency B's officials, one per agency-scoped role
		"reviewer": {"reviewer"}, "approver": {"approver"}, "operator": {"operator"}, "reviewer+approver": {"reviewer", "approver"},
	}
	tokens := map[string]string{}
	for name, rs := range roles {
		id := "b." + strings.ReplaceAll(name, "+", "-")
		if _, err := users.AddUser(ctx, auth.User{ID: id, Name: id, Agency: "ubnd-phuong-khac", Roles: rs}, "mat-khau-dai-du-12"); err != nil {
			t.Fatal(err)
		}
		secret, _, err := users.CreateToken(ctx, id, "drill", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tokens[name] = secret
	}
	pdf, _ := os.ReadFile(filepath.Join(systemtest.Root(), "data", "dossiers", "giay-chung-sinh.pdf"))
	submitBody := func() (string, []byte) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mf, _ := mw.CreateFormField("metadata")
		fmt.Fprintf(mf, `{"procedure_code":"1.001193","applicant":"%s","agency":"%s"}`, citizenA, agencyA)
		ff, _ := mw.CreateFormFile("files", "giay-chung-sinh.pdf")
		ff.Write(pdf)
		mw.Close()
		return mw.FormDataContentType(), b.Bytes()
	}
	type call struct {
		route  string // as in routes.go
		method string
		path   string
		body   string
		// leaks reports whether a 2xx body carries agency A's data; nil means
		// any 2xx is a success of the attacker.
		leaks func(body string) bool
	}
	contains := func(s ...string) func(string) bool {
		return func(body string) bool {
			for _, x := range s {
				if strings.Contains(body, x) {
					return true
				}
			}
			return false
		}
	}
	id := res.DossierID
	calls := []call{
		{"POST /api/v1/dossiers", "POST", "/api/v1/dossiers", "multipart", nil},
		{"GET /api/v1/dossiers", "GET", "/api/v1/dossiers?agency=" + agencyA, "", contains(id)},
		{"GET /api/v1/dossiers", "GET", "/api/v1/dossiers", "", contains(id)},
		{"GET /api/v1/dossiers/{id}", "GET", "/api/v1/dossiers/" + id, "", nil},
		{"POST /api/v1/suggestions/{id}/approve", "POST", "/api/v1/suggestions/" + otherSugg + "/approve", `{"reason":"x"}`, nil},
		{"POST /api/v1/suggestions/{id}/reject", "POST", "/api/v1/suggestions/" + otherSugg + "/reject", `{"reason":"x"}`, nil},
		{"POST /api/v1/suggestions/{id}/edit", "POST", "/api/v1/suggestions/" + otherSugg + "/edit", `{"text":"x"}`, nil},
		{"GET /api/v1/citizens/{id}/inbox", "GET", "/api/v1/citizens/" + citizenA + "/inbox", "", contains(suggID)},
		{"POST /api/v1/dossiers/{id}/accept", "POST", "/api/v1/dossiers/" + id + "/accept", `{}`, nil},
		{"GET /api/v1/dossiers/{id}/explanation", "GET", "/api/v1/dossiers/" + id + "/explanation", "", nil},
		{"POST /api/v1/dossiers/{id}/explanation", "POST", "/api/v1/dossiers/" + id + "/explanation", `{}`, nil},
		{"POST /api/v1/registry/records", "POST", "/api/v1/registry/records", `{"owner_id":"` + citizenA + `","type":"giay_chung_sinh","source":"registry:x","source_ref":"1"}`, nil},
		{"POST /api/v1/events", "POST", "/api/v1/events", `{"kind":"birth_registered","citizen_id":"` + citizenA + `"}`, nil},
		{"GET /api/v1/citizens/{id}/vault", "GET", "/api/v1/citizens/" + citizenA + "/vault", "", contains(citizenA)},
		{"GET /api/v1/citizens/{id}/vault/export", "GET", "/api/v1/citizens/" + citizenA + "/vault/export", "", contains(citizenA)},
		{"POST /api/v1/citizens/{id}/inbox/{item}/accept", "POST", fmt.Sprintf("/api/v1/citizens/%s/inbox/%d/accept", citizenA, itemID), `{}`, nil},
		{"POST /api/v1/citizens/{id}/inbox/{item}/decline", "POST", fmt.Sprintf("/api/v1/citizens/%s/inbox/%d/decline", citizenA, itemID), `{}`, nil},
		{"GET /api/v1/dlq", "GET", "/api/v1/dlq", "", contains(id)},
		{"GET /api/v1/dlq/{id}", "GET", "/api/v1/dlq/1", "", contains(id)},
		{"POST /api/v1/dlq/{id}/retry", "POST", "/api/v1/dlq/1/retry", `{"reason":"x"}`, nil},
		{"POST /api/v1/dlq/{id}/discard", "POST", "/api/v1/dlq/1/discard", `{"reason":"x"}`, nil},
		{"GET /api/v1/stages", "GET", "/api/v1/stages?all=1", "", contains(id)},
		{"POST /api/v1/dossiers/{id}/corrections", "POST", "/api/v1/dossiers/" + id + "/corrections", `{"kind":"finding","finding_key":"req:giay-chung-sinh","status":"present","reason":"x"}`, nil},
		{"GET /api/v1/dossiers/{id}/corrections", "GET", "/api/v1/dossiers/" + id + "/corrections", "", nil},
		{"GET /api/v1/indicators", "GET", "/api/v1/indicators?agency=" + agencyA, "", nil},
	}
	// Routes that serve no agency's data: public reference data, health,
	// metrics (aggregates), and rule statistics (aggregates).
	public := map[string]bool{
		"GET /healthz": true, "GET /metrics": true, "GET /api/v1/procedures": true, "GET /api/v1/procedures/{code}": true,
		"GET /api/v1/regulations/search": true, "GET /api/v1/triggers/rules": true,
	}
	covered := map[string]bool{}
	for _, c := range calls {
		covered[c.route] = true
	}
	src, err := os.ReadFile(filepath.Join(systemtest.Root(), "app", "api", "routes.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`mux\.Handle(?:Func)?\("([A-Z]+ [^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !covered[m[1]] && !public[m[1]] {
			t.Errorf("route %s is not in the authorisation matrix", m[1])
		}
	}

	attempts, successes, refused := 0, 0, 0
	for role, tok := range tokens {
		for _, c := range calls {
			var body io.Reader = strings.NewReader(c.body)
			ct := "application/json"
			if c.body == "multipart" {
				var b []byte
				ct, b = submitBody()
				body = bytes.NewReader(b)
			}
			req, _ := http.NewRequest(c.method, srv.URL+c.path, body)
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			attempts++
			if resp.StatusCode == http.StatusForbidden {
				refused++
			}
			ok := resp.StatusCode >= 200 && resp.StatusCode < 300
			if ok && (c.leaks == nil || c.leaks(string(b))) {
				successes++
				t.Errorf("%s (agency B) %s %s: %d %s", role, c.method, c.path, resp.StatusCode, cutBody(b))
			}
		}
	}
	// Nothing changed on agency A's side.
	after, err := svc.Review.Approve(ctx, otherSugg, approverA, "", nil) // still decidable by A
	if err != nil && dossier.ErrorCode(err) != dossier.CodeConflict {
		t.Errorf("agency A's own approval after the drill: %v", err)
	}
	_ = after
	var foreignRows int
	_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM dossiers WHERE agency = $1 AND id <> $2`, agencyA, id).Scan(&foreignRows)
	if foreignRows != 0 {
		t.Errorf("%d dossiers were submitted into agency A by agency B", foreignRows)
	}
	// Every refusal is in the audit log, as the console's are.
	var audited int
	_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE actor LIKE 'b.%' AND action LIKE '%.denied'`).Scan(&audited)
	if audited != refused {
		t.Errorf("%d requests refused with 403, %d refusals audited", refused, audited)
	}
	t.Logf("DRILL authz: %d roles × %d calls = %d cross-agency attempts, %d successes, %d refusals (403), %d audited", len(tokens), len(calls), attempts, successes, refused, audited)
}

func cutBody(b []byte) string {
	if len(b) > 300 {
		b = b[:300]
	}
	return string(b)
}
