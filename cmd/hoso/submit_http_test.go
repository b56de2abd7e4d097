package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/auth"
)

// TestSubmitOverHTTP: POST /api/v1/dossiers answers 409 for a key reused
// with another request, a new dossier for the same key from another
// agency's credential (#16.6), and 400, never 500, for metadata holding
// NUL (#16.5), an unknown procedure and an invalid applicant (#15.7).
func TestSubmitOverHTTP(t *testing.T) {
	t.Parallel()
	srv := newFuzzServer(t)
	ctx := context.Background()
	if _, err := srv.users.AddUser(ctx, auth.User{ID: "canbo.hoankiem", Name: "Cán bộ", Agency: "ubnd-phuong-hoan-kiem",
		Roles: []string{auth.RoleReviewer}}, "mat-khau-hoan-kiem-1"); err != nil {
		t.Fatal(err)
	}
	other, _, err := srv.users.CreateToken(ctx, "canbo.hoankiem", "http-test", 0)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(filepath.Join(systemtest.Root(), "data", "dossiers", "giay-chung-sinh.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	post := func(token, key, meta string) (int, map[string]any) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("metadata", meta)
		fw, _ := mw.CreateFormFile("files", "giay-chung-sinh.pdf")
		_, _ = fw.Write(pdf)
		_ = mw.Close()
		r := httptest.NewRequest("POST", "/api/v1/dossiers", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Idempotency-Key", key)
		w := httptest.NewRecorder()
		srv.h.ServeHTTP(w, r)
		var out map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out
	}
	birth := `{"procedure_code":"1.001193","applicant":"001195012345","metadata":{"note":"x"}}`
	code, first := post(srv.token, "http-k1", birth)
	if code != http.StatusCreated {
		t.Fatalf("first: %d %v", code, first)
	}
	if code, again := post(srv.token, "http-k1", birth); code != http.StatusOK || again["dossier_id"] != first["dossier_id"] {
		t.Fatalf("retry: %d %v, want 200 and %v", code, again, first["dossier_id"])
	}
	code, conflict := post(srv.token, "http-k1", `{"procedure_code":"1.013225","applicant":"001087006543"}`)
	if code != http.StatusConflict || conflict["error"] != "conflict" || !strings.Contains(conflict["message"].(string), "(idempotency key") {
		t.Fatalf("reused key: %d %v, want 409 with a bilingual message", code, conflict)
	}
	if conflict["dossier_id"] != nil {
		t.Fatalf("conflict leaks a dossier: %v", conflict)
	}
	code, theirs := post(other, "http-k1", birth)
	if code != http.StatusCreated || theirs["dossier_id"] == first["dossier_id"] {
		t.Fatalf("same key from another agency: %d %v, want a new dossier", code, theirs)
	}
	for name, meta := range map[string]string{
		"MetadataNUL":      `{"procedure_code":"1.001193","applicant":"001195012345","metadata":{"note":"a\u0000b"}}`,
		"UnknownProcedure": `{"procedure_code":"9.999999","applicant":"001195012345"}`,
		"ApplicantAbc":     `{"procedure_code":"1.001193","applicant":"abc"}`,
		"UnknownCase":      `{"procedure_code":"1.013225","applicant":"001087006543","metadata":{"cases":["1.99"]}}`,
	} {
		if code, out := post(srv.token, "http-"+name, meta); code != http.StatusBadRequest {
			t.Errorf("%s: %d %v, want 400", name, code, out)
		}
	}
	// #15.3: the unknown case's refusal names the procedure's cases; a
	// label of a known case is accepted.
	if _, out := post(srv.token, "http-case-bad", `{"procedure_code":"1.013225","applicant":"001087006543","metadata":{"cases":["1.99"]}}`); !strings.Contains(fmt.Sprint(out), "(1.7) Đối với") {
		t.Errorf("unknown case: %v lacks the cases' names", out)
	}
	if code, out := post(srv.token, "http-case-label", `{"procedure_code":"1.013225","applicant":"001087006543","metadata":{"cases":["(1.7)"]}}`); code != http.StatusCreated {
		t.Errorf("case label (1.7): %d %v, want 201", code, out)
	}
}
