package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestReviewCLIDecidesAsAnAuthenticatedOfficial: `hoso review` decides for
// the official whose API token it is given, never for a name on the command
// line. A made-up --by, no token, a bad or revoked token, a disabled account
// or a reviewer's token decide nothing; four-eyes needs two real approvers,
// and the audit log names them.
func TestReviewCLIDecidesAsAnAuthenticatedOfficial(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, dbURL := postgrestest.New(t)
	natsURL := brokertest.Server(t).ClientURL()
	const agency, sugg = "ubnd-phuong-ben-nghe", "hs-cli-s-linked"
	for _, q := range []string{
		`INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
			VALUES ('hs-cli', '1.001193', 'cd-079200001234', '` + agency + `', now(), 'prechecked', 'done')`,
		`INSERT INTO suggestions (id, dossier_id, key, citizen_id, kind, text, risk)
			VALUES ('` + sugg + `', 'hs-cli', 'linked', 'cd-079200001234', 'linked_procedure', 'Ông/bà có thể đăng ký thường trú cho trẻ.', 'high')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	users := auth.NewStore(pool)
	tokens := map[string]string{}
	for _, u := range []auth.User{
		{ID: "an.nguyen", Name: "Nguyễn Thị An", Agency: agency, Roles: []string{"approver"}},
		{ID: "binh.tran", Name: "Trần Văn Bình", Agency: agency, Roles: []string{"approver"}},
		{ID: "cuong.le", Name: "Lê Quốc Cường", Agency: agency, Roles: []string{"reviewer"}},
		{ID: "em.khoa", Name: "Khóa Em", Agency: agency, Roles: []string{"approver"}},
	} {
		if _, err := users.AddUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		secret, _, err := users.CreateToken(ctx, u.ID, "cli", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tokens[u.ID] = secret
	}
	if _, _, err := users.UpdateUser(ctx, "em.khoa", []string{"approver"}, true); err != nil {
		t.Fatal(err)
	}
	hoso := func(token string, args ...string) (string, error) {
		vars := map[string]string{"DATABASE_URL": dbURL, "NATS_URL": natsURL, "HOSO_STREAM_PREFIX": "CLIREVIEW",
			"HOSO_DATA_DIR": t.TempDir(), "HOSO_LOG_LEVEL": "error", "HOSO_TOKEN": token}
		var out, errb bytes.Buffer
		err := run(ctx, args, func(k string) string { return vars[k] }, strings.NewReader(""), &out, &errb)
		return out.String() + errb.String(), err
	}
	approvals := func() string {
		var s string
		_ = pool.QueryRow(ctx, `SELECT status || ' ' || (SELECT string_agg(a->>'by', ',') FROM jsonb_array_elements(approvals) a) FROM suggestions WHERE id = $1`, sugg).Scan(&s)
		return s
	}

	refused := []struct {
		name, token string
		args        []string
		says        string
	}{
		{"NameWithoutToken", "", []string{"--by", "nguoi-khong-ton-tai"}, "HOSO_TOKEN"},
		{"UnknownToken", "hoso_abcdef_khong-phai-ma-that", nil, "the API token is unknown, revoked or expired"},
		{"DisabledAccount", tokens["em.khoa"], nil, "the API token is unknown, revoked or expired"},
		{"ReviewerCannotApprove", tokens["cuong.le"], nil, "role approver required"},
		{"ByIsNotTheTokensOfficial", tokens["an.nguyen"], []string{"--by", "binh.tran"}, "does not match"},
	}
	for _, c := range refused {
		out, err := hoso(c.token, append([]string{"review", "approve", sugg}, c.args...)...)
		if err == nil || !strings.Contains(err.Error()+out, c.says) {
			t.Errorf("%s: err %v, output %q; want a refusal saying %q", c.name, err, out, c.says)
		}
	}
	if got := approvals(); got != "" && !strings.HasPrefix(got, "pending_review") {
		t.Fatalf("refused commands changed the suggestion: %q", got)
	}
	if _, err := hoso(tokens["an.nguyen"], "review", "approve", sugg, "--reason", "đúng quy định"); err != nil {
		t.Fatal(err)
	}
	// The same official again, now through --token: not a second approver.
	if out, err := hoso("", "review", "approve", sugg, "--token", tokens["an.nguyen"]); err == nil || !strings.Contains(err.Error(), "four-eyes") {
		t.Fatalf("same official twice: %v %s", err, out)
	}
	if got := approvals(); got != "pending_review an.nguyen" {
		t.Fatalf("after one approver: %q", got)
	}
	if _, err := hoso(tokens["binh.tran"], "review", "approve", sugg, "--by", "binh.tran"); err != nil {
		t.Fatal(err)
	}
	if got := approvals(); got != "approved an.nguyen,binh.tran" {
		t.Fatalf("after two approvers: %q", got)
	}
	var actors string
	_ = pool.QueryRow(ctx, `SELECT string_agg(actor, ',' ORDER BY seq) FROM audit_log WHERE entity_id = $1`, sugg).Scan(&actors)
	if actors != "an.nguyen,binh.tran" {
		t.Fatalf("audit log names %q", actors)
	}
	if out, _ := hoso("", "review", "--help"); !strings.Contains(out, "HOSO_TOKEN") || !strings.Contains(out, "hoso user token") {
		t.Errorf("review --help does not say how to authenticate:\n%s", out)
	}
}

// TestAcceptDossierCLIDecidesAsAnAuthenticatedOfficial: `hoso citizen
// accept-dossier` used to act as an administrator named by --by. It now
// acts for the official whose token it is given, with that account's roles
// and agency.
func TestAcceptDossierCLIDecidesAsAnAuthenticatedOfficial(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, dbURL := postgrestest.New(t)
	if _, err := pool.Exec(ctx, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
		VALUES ('hs-accept', '1.001193', 'cd-079200001234', 'ubnd-phuong-ben-nghe', now(), 'prechecked', 'done')`); err != nil {
		t.Fatal(err)
	}
	users := auth.NewStore(pool)
	if _, err := users.AddUser(ctx, auth.User{ID: "dung.pham", Name: "Phạm Dũng", Agency: "ubnd-phuong-da-kao", Roles: []string{"reviewer", "approver"}}, ""); err != nil {
		t.Fatal(err)
	}
	other, _, err := users.CreateToken(ctx, "dung.pham", "cli", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	hoso := func(token string, args ...string) error {
		vars := map[string]string{"DATABASE_URL": dbURL, "HOSO_LOG_LEVEL": "error", "HOSO_TOKEN": token}
		var out bytes.Buffer
		return run(ctx, args, func(k string) string { return vars[k] }, strings.NewReader(""), &out, &out)
	}
	if err := hoso("", "citizen", "accept-dossier", "hs-accept", "--by", "nguoi-khong-ton-tai"); err == nil || !strings.Contains(err.Error(), "HOSO_TOKEN") {
		t.Errorf("a name without a token: %v", err)
	}
	if err := hoso(other, "citizen", "accept-dossier", "hs-accept"); err == nil || !strings.Contains(err.Error(), "not this agency's dossier") {
		t.Errorf("another agency's official: %v", err)
	}
	var n int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity_id = 'hs-accept'`).Scan(&n)
	if n != 0 {
		t.Errorf("refused acceptances wrote %d audit rows", n)
	}
}
