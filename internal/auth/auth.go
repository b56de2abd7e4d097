// Package auth provides the officials' identities: local accounts with bcrypt
// passwords, server-side sessions in PostgreSQL (rotated at sign-in, with an
// idle timeout and a per-session CSRF token), API tokens for integrations, and
// sign-in through an external OpenID Connect provider.
//
// Secrets never reach the database in clear: session ids and API tokens are
// stored as SHA-256 hashes, passwords as bcrypt hashes.
//
// A Store is safe for concurrent use.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Roles an official can hold.
const (
	RoleReviewer = "reviewer" // reads the agency's dossiers, edits and rejects suggestions
	RoleApprover = "approver" // approves suggestions (a second one for high risk)
	RoleAdmin    = "admin"    // manages officials and agencies of every agency, reads the audit log
	RoleOperator = "operator" // runs the service (dead letters, re-runs)
	// RolePortal is an integration account (the national public-service
	// portal): it submits dossiers for any agency and reads citizens' inboxes.
	RolePortal = "portal"
	// RoleRegistry is another agency's registry system: it registers
	// verified records in citizens' vaults and sends life events.
	RoleRegistry = "registry"
)

// AllRoles lists the known roles.
var AllRoles = []string{RoleReviewer, RoleApprover, RoleAdmin, RoleOperator, RolePortal, RoleRegistry}

// Defaults.
const (
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxAge      = 12 * time.Hour
	MinPasswordLen     = 8
	bcryptCost         = 11
)

// Errors that callers test with errors.Is.
var (
	// ErrBadCredentials: unknown user, wrong password or a disabled account;
	// deliberately one error, so that sign-in does not reveal which.
	ErrBadCredentials = errors.New("auth: tên đăng nhập hoặc mật khẩu không đúng (invalid credentials)")
	// ErrNoSession: the session is unknown, expired or idle for too long.
	ErrNoSession = errors.New("auth: phiên đăng nhập đã hết hạn (session expired)")
	// ErrBadToken: the API token is unknown, revoked or expired.
	ErrBadToken = errors.New("auth: mã truy cập không hợp lệ (invalid API token)")
)

// User is an official's account.
type User struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Agency      string     `json:"agency"`
	Roles       []string   `json:"roles"`
	Email       string     `json:"email,omitempty"`
	Source      string     `json:"source"` // local | oidc
	Disabled    bool       `json:"disabled"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`
}

// Has reports whether u holds role.
func (u User) Has(role string) bool { return slices.Contains(u.Roles, role) }

// Store keeps accounts, sessions and tokens in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
	// Now is the clock (tests move it to exercise timeouts).
	Now func() time.Time
	// IdleTimeout ends a session that made no request for this long.
	IdleTimeout time.Duration
	// MaxAge ends every session this long after sign-in.
	MaxAge time.Duration
	// Cost is the bcrypt cost of new password hashes; 0 is the default (11).
	// Tests lower it; existing hashes keep the cost they were made with.
	Cost int
	// Throttle limits failed sign-ins (throttle.go); zero fields take
	// DefaultThrottle's.
	Throttle Throttle
}

func (s *Store) cost() int {
	if s.Cost > 0 {
		return s.Cost
	}
	return bcryptCost
}

// NewStore returns a Store with the default timeouts.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, Now: time.Now, IdleTimeout: DefaultIdleTimeout, MaxAge: DefaultMaxAge}
}

// idPattern admits login names and integration accounts such as
// "citizen:079200001234" or "registry:hotich", which the API recognises.
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@:-]{1,63}$`)

// Validate checks a user's fields and normalises them (NFC, sorted roles).
func (u *User) Validate() error {
	u.ID = strings.ToLower(strings.TrimSpace(u.ID))
	if !idPattern.MatchString(u.ID) {
		return dossier.Errorf(dossier.CodeInvalid, "mã tài khoản %q không hợp lệ: 2–64 ký tự a-z 0-9 . _ @ : - (invalid user id)", u.ID)
	}
	u.Name = vntext.NFC(strings.TrimSpace(u.Name))
	if u.Name == "" {
		return dossier.Errorf(dossier.CodeInvalid, "thiếu họ tên (name is required)")
	}
	u.Agency = vntext.NFC(strings.TrimSpace(u.Agency))
	if u.Agency == "" {
		return dossier.Errorf(dossier.CodeInvalid, "thiếu cơ quan (agency is required)")
	}
	roles, err := NormalizeRoles(u.Roles)
	if err != nil {
		return err
	}
	u.Roles = roles
	if u.Source == "" {
		u.Source = "local"
	}
	return nil
}

// NormalizeRoles trims, de-duplicates and sorts roles, rejecting unknown ones.
func NormalizeRoles(in []string) ([]string, error) {
	out := []string{}
	for _, r := range in {
		for _, p := range strings.Split(r, ",") {
			p = strings.ToLower(strings.TrimSpace(p))
			if p == "" {
				continue
			}
			if !slices.Contains(AllRoles, p) {
				return nil, dossier.Errorf(dossier.CodeInvalid, "vai trò %q không tồn tại; dùng %s (unknown role)", p, strings.Join(AllRoles, ", "))
			}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

const userCols = `id, name, agency, roles, email, source, disabled, created_at, last_login_at`

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Name, &u.Agency, &u.Roles, &u.Email, &u.Source, &u.Disabled, &u.CreatedAt, &u.LastLoginAt)
	return u, err
}

// dummyHash is compared against when the user does not exist, so that the
// response time does not reveal which account names exist. It is made on
// first use, at the store's cost.
var (
	dummyOnce sync.Once
	dummyHash []byte
)

func (s *Store) dummy() []byte {
	dummyOnce.Do(func() { dummyHash, _ = bcrypt.GenerateFromPassword([]byte("hoso-dummy-password"), s.cost()) })
	return dummyHash
}

// CheckPassword verifies a local account's password under the account's
// sign-in throttle (SignIn without a client address): callers other than
// the web layers, such as the CLI, cannot be used to guess passwords either.
func (s *Store) CheckPassword(ctx context.Context, id, password string) (User, error) {
	return s.SignIn(ctx, id, password, "")
}

// Session is a signed-in browser.
type Session struct {
	// ID is the cookie value; only CreateSession returns it (the database
	// keeps its hash).
	ID        string
	UserID    string
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
}

// Token is an API token's public record.
type Token struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// tokenPrefix starts every API token, so that secret scanners recognise it.
const tokenPrefix = "hoso_"

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	if n <= 8 {
		return hex.EncodeToString(b)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// RandomToken returns a fresh random URL-safe secret (for CSRF and OIDC state).
func RandomToken() string { return randomToken(32) }

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Equal compares two secrets in constant time.
func Equal(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func isUnique(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
