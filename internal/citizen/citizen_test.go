package citizen_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/citizen"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestSignInCode: the code goes out on HOSO.notify.<citizen> through real
// JetStream, is stored only hashed, signs in once, and not again.
func TestSignInCode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	b, _ := brokertest.New(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	svc := &citizen.Service{Pool: pool, Notifier: citizen.BrokerNotifier{Broker: b}, BaseURL: "https://dvc.example.vn", Now: func() time.Time { return now }}

	in, err := svc.Issue(ctx, "001195012345", "addr:10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	// The message on the citizen's subject carries the code and the link.
	stream, err := b.JS.Stream(ctx, b.Names.NotifyStream())
	if err != nil {
		t.Fatal(err)
	}
	msg, err := stream.GetLastMsgForSubject(ctx, b.Names.NotifySubject("001195012345"))
	if err != nil {
		t.Fatalf("no notification on the citizen's subject: %v", err)
	}
	var m citizen.Message
	if err := json.Unmarshal(msg.Data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Kind != citizen.NotificationKind || m.Code != in.Code || m.Link != "https://dvc.example.vn/citizen/verify?t="+in.Token || !strings.Contains(m.Text, in.Code) {
		t.Fatalf("notification %+v, issued %+v", m, in)
	}
	// Hashed at rest: neither the code nor the token is in the table.
	var stored string
	if err := pool.QueryRow(ctx, `SELECT code_hash || ' ' || link_hash FROM citizen_codes`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, in.Code) || strings.Contains(stored, in.Token) {
		t.Fatalf("secret stored in clear: %s", stored)
	}

	if _, err := svc.SignInCode(ctx, "001195012345", "000000x", "addr:10.0.0.1"); !errors.Is(err, citizen.ErrBadCode) {
		t.Fatalf("malformed code: %v", err)
	}
	sess, err := svc.SignInCode(ctx, "001195012345", in.Code[:3]+" "+in.Code[3:], "addr:10.0.0.1")
	if err != nil {
		t.Fatalf("sign in with the code: %v", err)
	}
	if sess.CitizenID != "001195012345" || sess.Actor() != "citizen:001195012345" {
		t.Fatalf("session %+v", sess)
	}
	got, err := svc.Session(ctx, sess.ID)
	if err != nil || got.CitizenID != "001195012345" || got.CSRF != sess.CSRF {
		t.Fatalf("session lookup %+v, %v", got, err)
	}
	t.Run("SingleUse", func(t *testing.T) {
		if _, err := svc.SignInCode(ctx, "001195012345", in.Code, ""); !errors.Is(err, citizen.ErrBadCode) {
			t.Fatalf("code reused: %v", err)
		}
		if _, err := svc.SignInLink(ctx, in.Token, ""); !errors.Is(err, citizen.ErrBadCode) {
			t.Fatalf("link of a used code: %v", err)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'citizen.code_issue') * 100
				+ count(*) FILTER (WHERE action = 'citizen.sign_in') * 10 + count(*) FILTER (WHERE action = 'citizen.sign_in_failed')
			FROM audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 113 {
			t.Fatalf("audit: issue*100+sign_in*10+failed = %d, want 113", n)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		if err := svc.SignOut(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Session(ctx, sess.ID); !errors.Is(err, citizen.ErrNoSession) {
			t.Fatalf("session after sign-out: %v", err)
		}
	})
}

// TestSignInLinkExpiryAndAttempts: a link expires; wrong codes kill a code
// after MaxAttempts tries even if the right one comes next.
func TestSignInLinkExpiryAndAttempts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	svc := &citizen.Service{Pool: pool, Now: func() time.Time { return now }}

	t.Run("LinkSignsIn", func(t *testing.T) {
		in, err := svc.Issue(ctx, "cd-079200001234", "")
		if err != nil {
			t.Fatal(err)
		}
		s, err := svc.SignInLink(ctx, in.Token, "")
		if err != nil || s.CitizenID != "cd-079200001234" || s.Method != "link" {
			t.Fatalf("link sign-in: %+v %v", s, err)
		}
	})
	t.Run("Expired", func(t *testing.T) {
		in, err := svc.Issue(ctx, "cd-079200005678", "")
		if err != nil {
			t.Fatal(err)
		}
		later := &citizen.Service{Pool: pool, Now: func() time.Time { return now.Add(citizen.DefaultCodeTTL + time.Second) }}
		if _, err := later.SignInLink(ctx, in.Token, ""); !errors.Is(err, citizen.ErrBadCode) {
			t.Fatalf("expired link: %v", err)
		}
		if _, err := later.SignInCode(ctx, "cd-079200005678", in.Code, ""); !errors.Is(err, citizen.ErrBadCode) {
			t.Fatalf("expired code: %v", err)
		}
	})
	t.Run("TooManyWrongCodes", func(t *testing.T) {
		in, err := svc.Issue(ctx, "cd-079200009999", "")
		if err != nil {
			t.Fatal(err)
		}
		wrong := "000000"
		if in.Code == wrong {
			wrong = "111111"
		}
		for range citizen.MaxAttempts {
			if _, err := svc.SignInCode(ctx, "cd-079200009999", wrong, ""); !errors.Is(err, citizen.ErrBadCode) {
				t.Fatalf("wrong code: %v", err)
			}
		}
		if _, err := svc.SignInCode(ctx, "cd-079200009999", in.Code, ""); !errors.Is(err, citizen.ErrBadCode) {
			t.Fatalf("right code after %d wrong ones was accepted: %v", citizen.MaxAttempts, err)
		}
	})
}

// TestIssueThrottled: a citizen gets MaxCodesPerCitizen codes an hour; the
// next request says how long to wait, and is audited.
func TestIssueThrottled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	svc := &citizen.Service{Pool: pool, Now: func() time.Time { return now }}
	for i := range citizen.MaxCodesPerCitizen {
		if _, err := svc.Issue(ctx, "001195012345", "addr:10.0.0.9"); err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
	}
	_, err := svc.Issue(ctx, "001195012345", "addr:10.0.0.9")
	var th *citizen.ThrottledError
	if !errors.As(err, &th) || th.RetryAfter() <= 0 || !strings.Contains(th.Error(), "quá nhiều") {
		t.Fatalf("sixth code: %v", err)
	}
	if _, err := svc.Issue(ctx, "bad id!", ""); dossier.ErrorCode(err) != dossier.CodeInvalid {
		t.Fatalf("invalid id: %v", err)
	}
	later := &citizen.Service{Pool: pool, Now: func() time.Time { return now.Add(time.Hour + time.Second) }}
	if _, err := later.Issue(ctx, "001195012345", "addr:10.0.0.9"); err != nil {
		t.Fatalf("an hour later: %v", err)
	}
}

// TestRate: only the applicant rates, only after a decision, and rating
// again (a double tap) writes one row.
func TestRate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	for _, q := range []string{
		`INSERT INTO dossiers (id, procedure_code, applicant_id, agency, status, stage) VALUES
			('HS-1', '1.001193', '001195012345', 'ubnd-phuong-ba-dinh', 'accepted', 'done'),
			('HS-2', '1.001193', '001195012345', 'ubnd-phuong-ba-dinh', 'prechecked', 'done')`,
		`INSERT INTO dossier_acceptances (dossier_id, accepted_by) VALUES ('HS-1', 'canbo')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	svc := &citizen.Service{Pool: pool}
	for range 2 {
		if _, err := svc.Rate(ctx, "001195012345", "HS-1", 5, "Nhanh, rõ ràng"); err != nil {
			t.Fatal(err)
		}
	}
	var rows, audits int
	_ = pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM satisfaction_ratings), (SELECT count(*) FROM audit_log WHERE action = 'citizen.rate')`).Scan(&rows, &audits)
	if rows != 1 || audits != 1 {
		t.Fatalf("after a double tap: %d ratings, %d audit rows", rows, audits)
	}
	if _, err := svc.Rate(ctx, "001195012345", "HS-1", 4, ""); err != nil {
		t.Fatal(err)
	}
	ds, err := svc.Dossiers(ctx, "001195012345")
	if err != nil || len(ds) != 2 {
		t.Fatalf("dossiers %v %v", ds, err)
	}
	for _, d := range ds {
		if d.ID == "HS-1" && (d.Rating == nil || d.Rating.Score != 4 || d.DecidedAt == nil) {
			t.Fatalf("HS-1 %+v", d)
		}
	}
	for _, c := range []struct {
		name, citizen, id string
		score             int
		code              dossier.Code
	}{
		{"NotDecided", "001195012345", "HS-2", 5, dossier.CodeConflict},
		{"SomeoneElses", "001195099999", "HS-1", 5, dossier.CodeNotFound},
		{"ScoreOutOfRange", "001195012345", "HS-1", 6, dossier.CodeInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := svc.Rate(ctx, c.citizen, c.id, c.score, ""); dossier.ErrorCode(err) != c.code {
				t.Fatalf("got %v, want code %v", err, c.code)
			}
		})
	}
}

// TestSignInVouched: an identity provider's word opens a session like a code
// does, audited with its method; refusals are audited; a client address gets
// MaxCodesPerClient attempts an hour, then is throttled.
func TestSignInVouched(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	svc := &citizen.Service{Pool: pool}
	const client = "addr:10.0.0.7"
	sess, err := svc.SignInVouched(ctx, "001195012345", "https://id.example|sub-1", client, "oidc")
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Session(ctx, sess.ID)
	if err != nil || got.CitizenID != "001195012345" || got.Method != "oidc" || got.CSRF != sess.CSRF {
		t.Fatalf("session = %+v, %v", got, err)
	}
	if _, err := svc.SignInVouched(ctx, "bad id!", "x|y", client, "oidc"); !errors.Is(err, citizen.ErrBadCode) {
		t.Fatalf("invalid id: %v", err)
	}
	for range citizen.MaxCodesPerClient - 3 {
		if err := svc.SignInRefused(ctx, "", client, "oidc", "id"); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.VouchedAllowed(ctx, client, "oidc"); err != nil {
		t.Fatalf("attempt %d: %v", citizen.MaxCodesPerClient, err)
	}
	if err := svc.SignInRefused(ctx, "", client, "oidc", "state"); err != nil {
		t.Fatal(err)
	}
	var th *citizen.ThrottledError
	if err := svc.VouchedAllowed(ctx, client, "oidc"); !errors.As(err, &th) {
		t.Fatalf("after %d attempts: %v, want throttled", citizen.MaxCodesPerClient, err)
	}
	if err := svc.VouchedAllowed(ctx, "addr:10.0.0.8", "oidc"); err != nil {
		t.Fatalf("another address: %v", err)
	}
	var ok, failed int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'citizen.sign_in'), count(*) FILTER (WHERE action = 'citizen.sign_in_failed')
		FROM audit_log WHERE after->>'method' = 'oidc'`).Scan(&ok, &failed); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || failed != citizen.MaxCodesPerClient-1 {
		t.Fatalf("audit: %d sign-ins, %d refusals", ok, failed)
	}
}
