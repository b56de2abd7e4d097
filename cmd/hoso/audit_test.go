package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestUserAndAuditVerify creates an account and a token from the CLI, then
// edits an audit row behind the chain's back: `hoso audit verify` must exit
// non-zero and name the row.
func TestUserAndAuditVerify(t *testing.T) {
	t.Parallel()
	pool, url := postgrestest.New(t)
	getenv := func(k string) string {
		if k == "DATABASE_URL" {
			return url
		}
		return ""
	}
	hoso := func(stdin string, args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
		return out.String() + errb.String(), err
	}
	if out, err := hoso("mat-khau-an-1\n", "user", "add", "--id", "an.nguyen", "--name", "Nguyễn Thị An",
		"--agency", "ubnd-phuong-ba-dinh", "--role", "reviewer,approver", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	// The agency is a code of the agencies table: a name or a made-up code
	// would file the official where no dossier ever arrives.
	for _, bad := range []string{"UBND phường Bến Nghé", "ubnd-phuong-khong-co"} {
		if out, err := hoso("", "user", "add", "--id", "khong", "--name", "Không", "--agency", bad, "--role", "reviewer"); err == nil ||
			!strings.Contains(err.Error(), "ubnd-phuong-ba-dinh") {
			t.Fatalf("user add --agency %q: err = %v, want a refusal listing valid codes\n%s", bad, err, out)
		}
	}
	if out, err := hoso("", "user", "add", "--help"); err != nil || !strings.Contains(out, "--agency ubnd-phuong-ba-dinh") {
		t.Fatalf("user add --help example: %v\n%s", err, out)
	}
	out, err := hoso("", "user", "add", "--id", "binh", "--name", "Bình", "--agency", "ubnd-phuong-hoan-kiem", "--role", "reviewer")
	if err != nil || !strings.Contains(out, "Mật khẩu") {
		t.Fatalf("user add with generated password: %v\n%s", err, out)
	}
	if out, err := hoso("", "user", "add", "--id", "x", "--name", "X", "--agency", "ubnd-phuong-hoan-kiem", "--role", "king"); err == nil {
		t.Fatalf("unknown role accepted\n%s", out)
	}
	out, err = hoso("", "user", "token", "--id", "an.nguyen", "--name", "portal")
	if err != nil || !strings.HasPrefix(out, "hoso_") {
		t.Fatalf("user token: %v\n%s", err, out)
	}
	out, err = hoso("", "user", "list", "--json")
	var users []map[string]any
	if err != nil || json.Unmarshal([]byte(out), &users) != nil || len(users) != 2 {
		t.Fatalf("user list: %v\n%s", err, out)
	}
	if out, err := hoso("", "audit", "verify"); err != nil || !strings.Contains(out, "nguyên vẹn") {
		t.Fatalf("verify intact log: %v\n%s", err, out)
	}
	if out, err := hoso("", "audit", "log", "--entity", "user"); err != nil || !strings.Contains(out, "user.add") {
		t.Fatalf("audit log: %v\n%s", err, out)
	}
	if _, err := pool.Exec(context.Background(), `UPDATE audit_log SET actor = 'someone-else' WHERE action = 'token.create'`); err != nil {
		t.Fatal(err)
	}
	out, err = hoso("", "audit", "verify", "--json")
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 1 {
		t.Fatalf("verify after tampering: err = %v, want exit 1\n%s", err, out)
	}
	var res struct {
		OK       bool `json:"ok"`
		Problems []struct {
			Seq int64 `json:"seq"`
			Row struct {
				Action string `json:"action"`
			} `json:"row"`
		} `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.OK || len(res.Problems) == 0 || res.Problems[0].Row.Action != "token.create" {
		t.Fatalf("verify --json = %+v (%v)\n%s", res, err, out)
	}
}
