package auth

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

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
