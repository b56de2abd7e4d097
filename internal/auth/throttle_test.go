package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// throttled returns two Stores on separate pools over one schema (two
// `hoso serve` replicas) sharing one clock.
func throttled(t *testing.T) (a, b *auth.Store, now *time.Time, pool *pgxpool.Pool) {
	t.Helper()
	pool, url := postgrestest.New(t)
	pool2, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool2.Close)
	clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	mk := func(p *pgxpool.Pool) *auth.Store {
		s := auth.NewStore(p)
		s.Cost = bcrypt.MinCost
		s.Now = func() time.Time { return clock }
		return s
	}
	a, b = mk(pool), mk(pool2)
	if _, err := a.AddUser(context.Background(), auth.User{ID: "canbo.an", Name: "Nguyễn Văn An", Agency: "ubnd-q1", Roles: []string{"reviewer"}}, "mat-khau-dung-1"); err != nil {
		t.Fatal(err)
	}
	return a, b, &clock, pool
}

func auditCount(t *testing.T, pool *pgxpool.Pool, action string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// outcome names an error for comparison: "ok", "bad", or "locked <dur>".
func outcome(err error) string {
	var le *auth.LockedError
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, auth.ErrBadCredentials), errors.Is(err, auth.ErrBadToken):
		return "bad"
	case errors.As(err, &le):
		return "locked " + le.After.String()
	}
	return "error " + err.Error()
}

// TestSignInThrottle is the regression test for the review's finding that
// 200 wrong passwords were all answered "wrong password", with no lockout,
// and the right password worked right after: failures lock the account with
// a doubling lock, the lock holds against the right password, it is shared
// by every replica, and failures and lockouts are audited.
func TestSignInThrottle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, now, pool := throttled(t)
	const client = "203.0.113.7:51000"
	var got []string
	for i := 0; i < 5; i++ {
		s := a
		if i%2 == 1 {
			s = b // the other replica sees the same count
		}
		_, err := s.SignIn(ctx, "canbo.an", "sai-mat-khau", client)
		got = append(got, outcome(err))
	}
	if want := "bad bad bad bad locked 1m0s"; strings.Join(got, " ") != want {
		t.Fatalf("five wrong passwords: %v, want %s", got, want)
	}
	_, err := b.SignIn(ctx, "canbo.an", "mat-khau-dung-1", client)
	var le *auth.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("right password during the lock: %v, want LockedError", err)
	}
	if !strings.Contains(le.Error(), "16:01:00 02/03/2026") || !strings.Contains(le.Error(), "thử lại") || le.RetryAfterSeconds() != 60 {
		t.Fatalf("lock message %q (retry after %ds): want the end in Asia/Ho_Chi_Minh time", le.Error(), le.RetryAfterSeconds())
	}
	if _, err := a.CheckPassword(ctx, "canbo.an", "mat-khau-dung-1"); !errors.As(err, &le) {
		t.Fatalf("CheckPassword (CLI path) during the lock: %v, want LockedError", err)
	}
	// Backoff: after the lock, the next failure locks for twice as long.
	*now = now.Add(61 * time.Second)
	if _, err := a.SignIn(ctx, "canbo.an", "sai-nua", client); outcome(err) != "locked 2m0s" {
		t.Fatalf("failure after the first lock: %s, want locked 2m0s", outcome(err))
	}
	*now = now.Add(2*time.Minute + time.Second)
	if u, err := b.SignIn(ctx, "canbo.an", "mat-khau-dung-1", client); err != nil || u.ID != "canbo.an" {
		t.Fatalf("right password after the lock: %v", err)
	}
	// Success clears the account's count.
	if _, err := a.SignIn(ctx, "canbo.an", "sai", client); outcome(err) != "bad" {
		t.Fatalf("first failure after a success: %s, want bad", outcome(err))
	}
	if n := auditCount(t, pool, "auth.sign_in_failed"); n != 7 {
		t.Errorf("audited failed sign-ins = %d, want 7", n)
	}
	if n := auditCount(t, pool, "auth.lockout"); n != 2 {
		t.Errorf("audited lockouts = %d, want 2", n)
	}
	if _, problems, err := audit.Verify(ctx, pool); err != nil || len(problems) > 0 {
		t.Fatalf("audit chain: %v %v", problems, err)
	}
}

// TestSignInThrottleUnknownUser: an account that does not exist is
// throttled exactly as one that does, so lockouts reveal no names.
func TestSignInThrottleUnknownUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _, _, _ := throttled(t)
	seq := func(id string) string {
		var got []string
		for i := 0; i < 7; i++ {
			_, err := a.SignIn(ctx, id, "sai-mat-khau", "")
			got = append(got, outcome(err))
		}
		return strings.Join(got, ",")
	}
	known, unknown := seq("canbo.an"), seq("khong.ton.tai")
	if known != unknown {
		t.Fatalf("known account: %s\nunknown account: %s", known, unknown)
	}
	var k, u *auth.LockedError
	_, e1 := a.SignIn(ctx, "canbo.an", "x", "")
	_, e2 := a.SignIn(ctx, "khong.ton.tai", "x", "")
	if !errors.As(e1, &k) || !errors.As(e2, &u) || k.Error() != u.Error() {
		t.Fatalf("messages differ: %v / %v", e1, e2)
	}
}

// TestSignInThrottlePerAddress: many accounts guessed from one address lock
// the address (for every account) but not other addresses.
func TestSignInThrottlePerAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _, _, pool := throttled(t)
	a.Throttle = auth.Throttle{AccountLimit: 5, AddrLimit: 6}
	const attacker = "[2001:db8:1:2::10]:4000"
	for i := 0; i < 6; i++ {
		_, err := a.SignIn(ctx, "ten"+string(rune('a'+i)), "sai", attacker)
		if want := map[bool]string{true: "locked 1m0s", false: "bad"}[i == 5]; outcome(err) != want {
			t.Fatalf("attempt %d: %s, want %s", i+1, outcome(err), want)
		}
	}
	// The same /64 is the same client.
	if _, err := a.SignIn(ctx, "canbo.an", "mat-khau-dung-1", "[2001:db8:1:2::99]:1"); outcome(err) != "locked 1m0s" {
		t.Fatalf("right password from the locked /64: %s", outcome(err))
	}
	if _, err := a.SignIn(ctx, "canbo.an", "mat-khau-dung-1", "198.51.100.4:1"); err != nil {
		t.Fatalf("right password from another address: %v", err)
	}
	var entity string
	if err := pool.QueryRow(ctx, `SELECT entity || ':' || entity_id FROM audit_log WHERE action = 'auth.lockout'`).Scan(&entity); err != nil || entity != "client:2001:db8:1:2::/64" {
		t.Fatalf("lockout audited as %q (%v)", entity, err)
	}
}

// TestSignInThrottleConcurrent: parallel guesses cannot all slip in before
// the first failure is counted; exactly the limit's worth of passwords are
// checked.
func TestSignInThrottleConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, _, pool := throttled(t)
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 0 {
				s = b
			}
			_, _ = s.SignIn(ctx, "canbo.an", "sai-mat-khau", "")
		}()
	}
	wg.Wait()
	if n := auditCount(t, pool, "auth.sign_in_failed"); n != 5 {
		t.Fatalf("passwords checked (audited failures) = %d of 40 parallel guesses, want 5", n)
	}
}

// TestTokenThrottle: bad API tokens count against the client address and are
// audited (by the token's public id, never its secret).
func TestTokenThrottle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _, _, pool := throttled(t)
	a.Throttle = auth.Throttle{AddrLimit: 3}
	good, _, err := a.CreateToken(ctx, "canbo.an", "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	const client = "192.0.2.1:80"
	var got []string
	for i := 0; i < 4; i++ {
		_, err := a.TokenSignIn(ctx, "hoso_abcdef_sai-bi-mat", client)
		got = append(got, outcome(err))
	}
	if want := "bad,bad,locked 1m0s,locked 1m0s"; strings.Join(got, ",") != want {
		t.Fatalf("bad tokens: %v, want %s", got, want)
	}
	if _, err := a.TokenSignIn(ctx, good, client); outcome(err) != "locked 1m0s" {
		t.Fatalf("good token from the locked address: %s", outcome(err))
	}
	if _, err := a.TokenSignIn(ctx, good, "192.0.2.2:80"); err != nil {
		t.Fatalf("good token elsewhere: %v", err)
	}
	var leaked int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'auth.token_failed' AND (entity_id <> 'abcdef' OR after::text LIKE '%bi-mat%')`).Scan(&leaked)
	if n := auditCount(t, pool, "auth.token_failed"); n != 3 || leaked != 0 {
		t.Fatalf("audited token failures = %d (%d with the secret or wrong id), want 3 and 0", n, leaked)
	}
}
