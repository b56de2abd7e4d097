package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/vault"
)

// TestCitizenRoutes: a registry registers a record, the citizen exports it,
// and nobody else may read or answer for the citizen.
func TestCitizenRoutes(t *testing.T) {
	t.Parallel()
	pool, _ := postgrestest.New(t)
	actors := map[string]review.Actor{
		"registry": {ID: "registry:ho-tich", Roles: []string{RoleRegistry}},
		"citizen":  {ID: "citizen:079190000111"},
		"other":    {ID: "citizen:079190000222"},
	}
	s := &Server{Pool: pool, Deps: Deps{Actor: func(r *http.Request) (review.Actor, bool) {
		a, ok := actors[r.Header.Get("X-Test-Actor")]
		return a, ok
	}}}
	h := s.Handler()
	do := func(method, path, who, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("X-Test-Actor", who)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	rec := `{"owner_id":"079190000111","type":"trich_luc_khai_sinh","number":"123/2026","issuer":"UBND phường 1","source_ref":"ks-123"}`
	for _, tc := range []struct {
		name, method, path, who, body string
		want                          int
	}{
		{"RegistryRegisters", "POST", "/api/v1/registry/records", "registry", rec, http.StatusCreated},
		{"RegisterTwiceIsIdempotent", "POST", "/api/v1/registry/records", "registry", rec, http.StatusOK},
		{"CitizenCannotRegister", "POST", "/api/v1/registry/records", "citizen", rec, http.StatusForbidden},
		{"UnknownFieldRejected", "POST", "/api/v1/registry/records", "registry", `{"owner":"x"}`, http.StatusBadRequest},
		{"Unauthenticated", "GET", "/api/v1/citizens/079190000111/vault/export", "", "", http.StatusUnauthorized},
		{"AnotherCitizenCannotExport", "GET", "/api/v1/citizens/079190000111/vault/export", "other", "", http.StatusForbidden},
		{"AnotherCitizenCannotAnswer", "POST", "/api/v1/citizens/079190000111/inbox/1/accept", "other", "", http.StatusForbidden},
		{"MissingItem", "POST", "/api/v1/citizens/079190000111/inbox/99/decline", "citizen", "", http.StatusNotFound},
	} {
		if w := do(tc.method, tc.path, tc.who, tc.body); w.Code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, w.Code, w.Body, tc.want)
		}
	}
	w := do("GET", "/api/v1/citizens/079190000111/vault/export", "citizen", "")
	var ex vault.Export
	if err := json.Unmarshal(w.Body.Bytes(), &ex); err != nil || w.Code != 200 {
		t.Fatalf("%d %v", w.Code, err)
	}
	if len(ex.Records) != 1 || ex.Records[0].Number != "123/2026" || ex.Records[0].VerifiedBy != "registry:ho-tich" {
		t.Fatalf("export %+v", ex.Records)
	}
}
