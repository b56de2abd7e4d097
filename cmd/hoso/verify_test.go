package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/signing"
	"github.com/hoso-vn/hoso/internal/vault"
)

// hoso signs the receipt of an accepted dossier, its pre-check report, an
// official's decision and the released message; hoso verify accepts them
// all, and fails after a one-byte change to any of them.
func TestSignedRecordsVerify(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	keys, created, err := signing.EnsureDemo(filepath.Join(dataDir, "signing"), "UBND phường Ba Đình")
	if err != nil || !created {
		t.Fatal(err)
	}
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{Signing: keys})
	ctx := context.Background()
	ss := systemtest.Samples(t)
	full, err := svc.SubmitSample(ctx, ss["khai-sinh-day-du"], "sig-")
	if err != nil {
		t.Fatal(err)
	}
	missing, err := svc.SubmitSample(ctx, ss["khai-sinh-thieu-giay-chung-sinh"], "sig-")
	if err != nil {
		t.Fatal(err)
	}
	reps := systemtest.Wait(t, svc, full.DossierID, missing.DossierID)
	// Decisions are made by real accounts (issue #16 item 2).
	users := auth.NewStore(svc.Pool)
	users.Cost = 4
	if _, err := users.AddUser(ctx, auth.User{ID: "canbo.badinh", Name: "Cán bộ Ba Đình", Agency: "ubnd-phuong-ba-dinh",
		Roles: []string{auth.RoleAdmin, auth.RoleReviewer, auth.RoleApprover}}, "mat-khau-ky-so-1"); err != nil {
		t.Fatal(err)
	}
	admin := review.Actor{ID: "canbo.badinh", Roles: []string{review.RoleAdmin}}
	if _, err := vault.New(svc.Pool).Accept(ctx, full.DossierID, admin, "đủ hồ sơ"); err != nil {
		t.Fatal(err)
	}
	var sid string
	for _, s := range reps[1].Suggestions {
		if s.Status == dossier.SuggestionPending {
			sid = s.ID
			break
		}
	}
	if sid == "" {
		t.Fatal("no pending suggestion")
	}
	if _, err := svc.Review.Approve(ctx, sid, admin, "đúng", nil); err != nil {
		t.Fatal(err)
	}
	n, err := svc.Signing.Sweep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// full: report + receipt + acceptance decision; missing: report +
	// decision + message; audit head.
	if n != 7 {
		t.Fatalf("signed %d records, want 7", n)
	}
	if n, err := svc.Signing.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("second sweep signed %d (%v), want nothing", n, err)
	}
	if ok, err := svc.Signing.SignAuditHead(ctx, time.Now()); err != nil || ok {
		t.Fatalf("audit head signed twice: %v %v", ok, err)
	}

	getenv := func(k string) string {
		return map[string]string{"DATABASE_URL": sys.URL, "HOSO_DATA_DIR": dataDir}[k]
	}
	verify := func(id string) (map[string]any, error) {
		var out, errb bytes.Buffer
		err := run(ctx, []string{"verify", "--json", id}, getenv, strings.NewReader(""), &out, &errb)
		var m map[string]any
		if jerr := json.Unmarshal(out.Bytes(), &m); jerr != nil {
			t.Fatalf("%v: %s %s", jerr, out.String(), errb.String())
		}
		return m, err
	}
	for _, id := range []string{full.DossierID, missing.DossierID} {
		m, err := verify(id)
		if err != nil || m["ok"] != true {
			t.Fatalf("%s: %v %v", id, err, m)
		}
		for _, r := range m["records"].([]any) {
			rec := r.(map[string]any)
			if rec["trust"] != "trusted" || rec["valid"] != true {
				t.Fatalf("%s: %v", id, rec)
			}
			if rec["kind"] == "decision" && rec["official"] != "canbo.badinh" {
				t.Fatalf("decision without its official: %v", rec)
			}
		}
	}
	// The citizen's export carries the signed receipt and decisions, and
	// hoso verify --export checks them offline (no DATABASE_URL).
	for _, applicant := range []string{ss["khai-sinh-day-du"].Applicant, ss["khai-sinh-thieu-giay-chung-sinh"].Applicant} {
		var out, errb bytes.Buffer
		if err := run(ctx, []string{"citizen", "export", applicant}, getenv, strings.NewReader(""), &out, &errb); err != nil {
			t.Fatalf("%v %s", err, errb.String())
		}
		exp := filepath.Join(t.TempDir(), "export.json")
		if err := os.WriteFile(exp, out.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		var ex struct {
			Signed []struct{ Kind string } `json:"signed_records"`
		}
		_ = json.Unmarshal(out.Bytes(), &ex)
		if len(ex.Signed) == 0 {
			t.Fatalf("export of %s has no signed records", applicant)
		}
		var vout bytes.Buffer
		offline := func(k string) string { return map[string]string{"HOSO_DATA_DIR": dataDir}[k] }
		if err := run(ctx, []string{"verify", "--export", exp}, offline, strings.NewReader(""), &vout, &errb); err != nil {
			t.Fatalf("offline verify of %s: %v\n%s", applicant, err, vout.String())
		}
	}
	var aout, aerr bytes.Buffer
	if err := run(ctx, []string{"verify", "--audit-heads"}, getenv, strings.NewReader(""), &aout, &aerr); err != nil {
		t.Fatalf("audit heads: %v\n%s%s", err, aout.String(), aerr.String())
	}
	// Rewriting the signed head's row is caught.
	if _, err := svc.Pool.Exec(ctx, `UPDATE audit_log SET hash = 'rewritten'
		WHERE hash = (SELECT convert_from(content, 'UTF8')::jsonb->>'hash' FROM signed_records WHERE kind = 'audit_head')`); err != nil {
		t.Fatal(err)
	}
	var ee exitError
	if err := run(ctx, []string{"verify", "--audit-heads"}, getenv, strings.NewReader(""), &aout, &aerr); !errors.As(err, &ee) || ee.code != 1 {
		t.Fatalf("rewritten audit head not caught: %v\n%s", err, aout.String())
	}
	recs, _ := svc.Signing.Records(ctx, full.DossierID)
	kinds := map[string]bool{}
	for _, r := range recs {
		kinds[r.Kind] = true
	}
	if !kinds[signing.KindReceipt] || !kinds[signing.KindReport] {
		t.Fatalf("kinds %v", kinds)
	}
	// One byte changed in the stored receipt PDF, and in the decision JSON.
	for _, kind := range []string{signing.KindReceipt, signing.KindDecision} {
		if _, err := svc.Pool.Exec(ctx, `UPDATE signed_records SET content = overlay(content placing
			decode(lpad(to_hex(get_byte(content, length(content)/2) # 1), 2, '0'), 'hex') from length(content)/2 + 1 for 1)
			WHERE kind = $1`, kind); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{full.DossierID, missing.DossierID} {
		m, err := verify(id)
		if !errors.As(err, &ee) || ee.code != 1 || m["ok"] != false {
			t.Fatalf("%s after a one-byte change: %v %v", id, err, m)
		}
	}
}
