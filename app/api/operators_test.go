package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
)

func TestOperatorsAPI(t *testing.T) {
	t.Parallel()
	pool, _ := postgrestest.New(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO dead_letters (subject, stream_seq, consumer, stage, reason, payload)
		VALUES ('HOSO.dossier.extract', 7, 'HOSO_extract', 'extract', 'decode job: unexpected EOF', '{"dossier_id": 42')`); err != nil {
		t.Fatal(err)
	}
	roles := map[string][]string{"op": {review.RoleOperator}, "rv": {review.RoleReviewer}}
	srv := &Server{Pool: pool, Deps: Deps{Actor: func(r *http.Request) (review.Actor, bool) {
		u := r.Header.Get("X-Test-User")
		return review.Actor{ID: u, Roles: roles[u]}, u != ""
	}}}
	h := srv.Handler()
	call := func(user, method, path, body string) (int, map[string]any) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if user != "" {
			req.Header.Set("X-Test-User", user)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var out map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out
	}
	cases := []struct {
		name, user, method, path, body string
		code                           int
	}{
		{"Unauthenticated", "", "GET", "/api/v1/dlq", "", 401},
		{"ReviewerForbidden", "rv", "GET", "/api/v1/dlq", "", 403},
		{"List", "op", "GET", "/api/v1/dlq", "", 200},
		{"Show", "op", "GET", "/api/v1/dlq/1", "", 200},
		{"ShowMissing", "op", "GET", "/api/v1/dlq/999", "", 404},
		{"RetryWithoutDossier", "op", "POST", "/api/v1/dlq/1/retry", "", 400},
		{"DiscardNeedsReason", "op", "POST", "/api/v1/dlq/1/discard", `{}`, 400},
		{"Discard", "op", "POST", "/api/v1/dlq/1/discard", `{"reason":"hỏng từ nguồn"}`, 200},
		{"DiscardTwiceConflicts", "op", "POST", "/api/v1/dlq/1/discard", `{"reason":"x"}`, 409},
		{"Stages", "op", "GET", "/api/v1/stages?sla=5m", "", 200},
		{"StagesBadSLA", "op", "GET", "/api/v1/stages?sla=soon", "", 400},
	}
	for _, c := range cases { // in order: the discard changes state
		code, out := call(c.user, c.method, c.path, c.body)
		if code != c.code {
			t.Errorf("%s: %s %s = %d %v, want %d", c.name, c.method, c.path, code, out, c.code)
		}
	}
	_, out := call("op", "GET", "/api/v1/dlq?status=all", "")
	ls, _ := out["dead_letters"].([]any)
	if len(ls) != 1 || ls[0].(map[string]any)["status"] != "discarded" {
		t.Fatalf("after discard: %v", out)
	}
	_, out = call("op", "GET", "/api/v1/stages", "")
	if st, _ := out["stages"].([]any); len(st) < 5 {
		t.Fatalf("stages: %v", out)
	}
}
