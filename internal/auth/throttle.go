package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/workcal"
)

// Throttle is the sign-in throttling policy. Failed sign-ins are counted per
// account name (as typed, whether or not the account exists) and per client
// address, in PostgreSQL (table auth_throttle), so that every replica of
// `hoso serve` shares the count. Once a key reaches its limit it is locked
// for Lock, and every further failure doubles the lock (backoff) up to
// MaxLock. A successful sign-in clears the account's count; an address's
// count fades after Quiet without failures.
type Throttle struct {
	AccountLimit int           // failures of one account before it is locked
	AddrLimit    int           // failures from one client address before it is locked
	Lock         time.Duration // first lock
	MaxLock      time.Duration // longest lock
	Quiet        time.Duration // a key with no failure for this long starts again from 0
}

// DefaultThrottle: 5 failures lock an account for 1 minute, then 2, 4, 8,
// 15; 20 failures lock an address (an office behind one NAT shares one).
var DefaultThrottle = Throttle{AccountLimit: 5, AddrLimit: 20, Lock: time.Minute, MaxLock: 15 * time.Minute, Quiet: time.Hour}

// LockedError is returned while an account or a client address is locked
// after too many failed sign-ins. The web layers answer 429 with its
// message and Retry-After.
type LockedError struct {
	Until time.Time     // when the lock ends
	After time.Duration // how long from now
}

func (e *LockedError) Error() string {
	at := e.Until.In(workcal.Location).Format("15:04:05 02/01/2006")
	return fmt.Sprintf("Đăng nhập sai quá nhiều lần, tạm khoá đến %s (giờ Việt Nam); vui lòng thử lại sau thời điểm này "+
		"(too many failed sign-ins; try again after %s, Asia/Ho_Chi_Minh)", at, at)
}

// RetryAfter is how long the caller should wait.
func (e *LockedError) RetryAfter() time.Duration { return e.After }

// RetryAfterSeconds is the value of a Retry-After header: whole seconds,
// rounded up, at least 1.
func (e *LockedError) RetryAfterSeconds() int {
	s := int((e.After + time.Second - 1) / time.Second)
	return max(s, 1)
}

// ClientKey returns the throttling key of a client address (an
// http.Request's RemoteAddr, with or without a port): the address for IPv4,
// its /64 for IPv6 (one host usually holds a whole /64). It returns "" when
// addr is not an IP address.
func ClientKey(addr string) string {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return ""
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is4() {
		return "addr:" + ip.String()
	}
	p, _ := ip.Prefix(64)
	return "addr:" + p.String()
}

func accountKey(id string) string {
	if len(id) > 128 {
		id = id[:128]
	}
	return "user:" + id
}

func (s *Store) throttle() Throttle {
	t := s.Throttle
	d := DefaultThrottle
	if t.AccountLimit <= 0 {
		t.AccountLimit = d.AccountLimit
	}
	if t.AddrLimit <= 0 {
		t.AddrLimit = d.AddrLimit
	}
	if t.Lock <= 0 {
		t.Lock = d.Lock
	}
	if t.MaxLock < t.Lock {
		t.MaxLock = max(d.MaxLock, t.Lock)
	}
	if t.Quiet <= 0 {
		t.Quiet = d.Quiet
	}
	return t
}

// lockFor is the lock after the n-th failure past the limit (n ≥ 0).
func (t Throttle) lockFor(n int) time.Duration {
	d := t.Lock
	for ; n > 0 && d < t.MaxLock; n-- {
		d *= 2
	}
	return min(d, t.MaxLock)
}

// reservation is one attempt counted before its outcome is known.
type reservation struct {
	key       string
	prevFails int
	prevLock  *time.Time
	prevLast  time.Time
	newLock   *time.Time
	fails     int
}

// reserve counts an attempt against key before the password is checked, so
// that concurrent attempts cannot all pass before the first failure is
// recorded. A locked key is not counted and returns a *LockedError.
func (s *Store) reserve(ctx context.Context, key string, limit int, now time.Time) (reservation, error) {
	t := s.throttle()
	res := reservation{key: key}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO auth_throttle (key, failures, last_failure_at) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING`, key, now); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT failures, locked_until, last_failure_at FROM auth_throttle WHERE key = $1 FOR UPDATE`, key).
			Scan(&res.prevFails, &res.prevLock, &res.prevLast); err != nil {
			return err
		}
		if res.prevLock != nil && now.Before(*res.prevLock) {
			return &LockedError{Until: *res.prevLock, After: res.prevLock.Sub(now)}
		}
		f := res.prevFails
		if now.Sub(res.prevLast) > t.Quiet {
			f = 0
		}
		f++
		res.fails = f
		if f >= limit {
			until := now.Add(t.lockFor(f - limit))
			res.newLock = &until
		}
		_, err := tx.Exec(ctx, `UPDATE auth_throttle SET failures = $2, locked_until = $3, last_failure_at = $4 WHERE key = $1`, key, f, res.newLock, now)
		return err
	})
	var le *LockedError
	if err != nil && !errors.As(err, &le) {
		err = fmt.Errorf("throttle %s: %w", key, err)
	}
	return res, err
}

// release takes back a reserved attempt that succeeded. clear resets the
// key (an account signed in); otherwise the attempt is uncounted and a lock
// it set is undone.
func (s *Store) release(ctx context.Context, r reservation, clear bool) error {
	var err error
	if clear {
		_, err = s.pool.Exec(ctx, `DELETE FROM auth_throttle WHERE key = $1`, r.key)
	} else {
		_, err = s.pool.Exec(ctx, `UPDATE auth_throttle SET failures = greatest(failures - 1, 0),
			locked_until = CASE WHEN locked_until IS NOT DISTINCT FROM $2 THEN $3 ELSE locked_until END WHERE key = $1`,
			r.key, r.newLock, r.prevLock)
	}
	if err != nil {
		return fmt.Errorf("throttle %s: %w", r.key, err)
	}
	return nil
}

// SignIn checks a local account's password under throttling: per account
// and, when client (an http.Request's RemoteAddr) is an IP address, per
// client address. It returns ErrBadCredentials for an unknown account, a
// wrong password or a disabled account alike (the same work is done for
// each), and a *LockedError while the account or the address is locked,
// without checking the password. Every failure and every lockout is written
// to the audit log.
func (s *Store) SignIn(ctx context.Context, id, password, client string) (User, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	t := s.throttle()
	now := s.Now().UTC().Truncate(time.Microsecond)
	acct, err := s.reserve(ctx, accountKey(id), t.AccountLimit, now)
	if err != nil {
		return User{}, err
	}
	held := []reservation{acct}
	if ck := ClientKey(client); ck != "" {
		addr, err := s.reserve(ctx, ck, t.AddrLimit, now)
		if err != nil {
			_ = s.release(ctx, acct, false)
			return User{}, err
		}
		held = append(held, addr)
	}
	u, err := s.checkPassword(ctx, id, password)
	if err == nil {
		for i, r := range held {
			if rerr := s.release(ctx, r, i == 0); rerr != nil {
				return User{}, rerr
			}
		}
		// Housekeeping: forget quiet keys.
		_, _ = s.pool.Exec(ctx, `DELETE FROM auth_throttle WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until < $2)`,
			now.Add(-24*time.Hour), now)
		return u, nil
	}
	if !errors.Is(err, ErrBadCredentials) {
		for _, r := range held {
			_ = s.release(ctx, r, false)
		}
		return User{}, err
	}
	return User{}, s.failed(ctx, "auth.sign_in_failed", "user", id, client, held, now)
}

// failed audits a failed attempt and the lockouts it caused, and returns
// the error to answer: a *LockedError when the attempt locked a key, else
// ErrBadCredentials (or ErrBadToken for tokens).
func (s *Store) failed(ctx context.Context, action, entity, entityID, client string, held []reservation, now time.Time) error {
	var locked *LockedError
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		fails := 0
		if len(held) > 0 {
			fails = held[0].fails
		}
		if err := audit.Append(ctx, tx, audit.Entry{Actor: actorName(entity, entityID), Action: action, Entity: entity, EntityID: entityID,
			After: map[string]any{"client": client, "failures": fails}}); err != nil {
			return err
		}
		for _, r := range held {
			if r.newLock == nil {
				continue
			}
			if locked == nil || r.newLock.After(locked.Until) {
				locked = &LockedError{Until: *r.newLock, After: r.newLock.Sub(now)}
			}
			kind, who, _ := strings.Cut(r.key, ":")
			if err := audit.Append(ctx, tx, audit.Entry{Actor: "system", Action: "auth.lockout", Entity: map[string]string{"user": "user", "addr": "client"}[kind], EntityID: who,
				After:  map[string]any{"until": r.newLock.UTC().Format(time.RFC3339), "failures": r.fails, "client": client},
				Reason: fmt.Sprintf("%d lần đăng nhập sai (failed sign-ins)", r.fails)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit failed sign-in: %w", err)
	}
	if locked != nil {
		return locked
	}
	if entity == "token" {
		return ErrBadToken
	}
	return ErrBadCredentials
}

func actorName(entity, id string) string {
	if entity == "user" && id != "" {
		return id
	}
	return "anonymous"
}

// TokenSignIn is TokenUser under the client address's throttle: while the
// address is locked it answers a *LockedError without looking at the
// token, and every unknown, revoked or expired token counts as a failed
// sign-in of the address (audited as auth.token_failed). Tokens are too
// long to guess, so an attempt is checked, not reserved.
func (s *Store) TokenSignIn(ctx context.Context, secret, client string) (User, error) {
	ck := ClientKey(client)
	now := s.Now().UTC().Truncate(time.Microsecond)
	if ck != "" {
		var until *time.Time
		err := s.pool.QueryRow(ctx, `SELECT locked_until FROM auth_throttle WHERE key = $1`, ck).Scan(&until)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return User{}, fmt.Errorf("throttle %s: %w", ck, err)
		}
		if until != nil && now.Before(*until) {
			return User{}, &LockedError{Until: *until, After: until.Sub(now)}
		}
	}
	u, err := s.TokenUser(ctx, secret)
	if !errors.Is(err, ErrBadToken) {
		return u, err
	}
	tokenID := ""
	if rest, ok := strings.CutPrefix(secret, tokenPrefix); ok {
		if id, _, ok := strings.Cut(rest, "_"); ok && len(id) <= 16 {
			tokenID = id // the token's public id, never its secret
		}
	}
	var held []reservation
	if ck != "" {
		r, err := s.reserve(ctx, ck, s.throttle().AddrLimit, now)
		var le *LockedError
		if errors.As(err, &le) {
			return User{}, le
		}
		if err != nil {
			return User{}, err
		}
		held = append(held, r)
	}
	return User{}, s.failed(ctx, "auth.token_failed", "token", tokenID, client, held, now)
}

// checkPassword verifies a local account's password, unthrottled. An
// unknown account costs one bcrypt comparison, as a known one does.
func (s *Store) checkPassword(ctx context.Context, id, password string) (User, error) {
	var hash *string
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if err == nil {
		err = s.pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, id).Scan(&hash)
	}
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return u, fmt.Errorf("check password: %w", err)
	}
	if hash == nil {
		_ = bcrypt.CompareHashAndPassword(s.dummy(), []byte(password))
		return User{}, ErrBadCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(*hash), []byte(password)) != nil || u.Disabled {
		return User{}, ErrBadCredentials
	}
	return u, nil
}
