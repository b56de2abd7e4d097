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
	"fmt"
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

// AddUser creates a local account. An empty password creates an account that
// cannot sign in with a password (for example one that only uses API tokens).
func (s *Store) AddUser(ctx context.Context, u User, password string) (User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	var hash *string
	if password != "" {
		if len([]rune(password)) < MinPasswordLen {
			return u, dossier.Errorf(dossier.CodeInvalid, "mật khẩu phải có ít nhất %d ký tự (password too short)", MinPasswordLen)
		}
		h, err := bcrypt.GenerateFromPassword([]byte(password), s.cost())
		if err != nil {
			return u, fmt.Errorf("hash password: %w", err)
		}
		hs := string(h)
		hash = &hs
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO users (id, name, agency, roles, email, password_hash, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING created_at`,
		u.ID, u.Name, u.Agency, u.Roles, u.Email, hash, u.Source).Scan(&u.CreatedAt)
	if isUnique(err) {
		return u, dossier.Errorf(dossier.CodeConflict, "tài khoản %q đã tồn tại (user exists)", u.ID)
	}
	if err != nil {
		return u, fmt.Errorf("add user %q: %w", u.ID, err)
	}
	return u, nil
}

// SetPassword replaces a local account's password.
func (s *Store) SetPassword(ctx context.Context, id, password string) error {
	if len([]rune(password)) < MinPasswordLen {
		return dossier.Errorf(dossier.CodeInvalid, "mật khẩu phải có ít nhất %d ký tự (password too short)", MinPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), s.cost())
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, id, string(h))
	if err != nil {
		return fmt.Errorf("set password of %q: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return dossier.Errorf(dossier.CodeNotFound, "không có tài khoản %q (no such user)", id)
	}
	// A new password set by an administrator lifts the account's lockout.
	if _, err := s.pool.Exec(ctx, `DELETE FROM auth_throttle WHERE key = $1`, accountKey(id)); err != nil {
		return fmt.Errorf("unlock %q: %w", id, err)
	}
	return nil
}

const userCols = `id, name, agency, roles, email, source, disabled, created_at, last_login_at`

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Name, &u.Agency, &u.Roles, &u.Email, &u.Source, &u.Disabled, &u.CreatedAt, &u.LastLoginAt)
	return u, err
}

// User returns one account.
func (s *Store) User(ctx context.Context, id string) (User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, dossier.Errorf(dossier.CodeNotFound, "không có tài khoản %q (no such user)", id)
	}
	if err != nil {
		return u, fmt.Errorf("load user %q: %w", id, err)
	}
	return u, nil
}

// Users lists the accounts of agency, or all accounts when agency is "".
func (s *Store) Users(ctx context.Context, agency string) ([]User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userCols+` FROM users WHERE $1 = '' OR agency = $1 ORDER BY agency, id`, agency)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateUser sets an account's roles and whether it is disabled, returning
// the account before and after (for the audit log). Disabling an account ends
// its sessions and revokes its API tokens.
func (s *Store) UpdateUser(ctx context.Context, id string, roles []string, disabled bool) (before, after User, err error) {
	roles, err = NormalizeRoles(roles)
	if err != nil {
		return before, after, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b, err := scanUser(tx.QueryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return dossier.Errorf(dossier.CodeNotFound, "không có tài khoản %q (no such user)", id)
		}
		if err != nil {
			return err
		}
		before = b
		after, err = scanUser(tx.QueryRow(ctx, `UPDATE users SET roles = $2, disabled = $3, updated_at = now()
			WHERE id = $1 RETURNING `+userCols, id, roles, disabled))
		if err != nil {
			return err
		}
		if disabled {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, id, s.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && dossier.ErrorCode(err) == "" {
		err = fmt.Errorf("update user %q: %w", id, err)
	}
	return before, after, err
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

// CreateSession starts a new session for a signed-in user and records the
// sign-in time. Callers must delete the previous session (if any) so that a
// session id planted before sign-in is never promoted (session fixation).
func (s *Store) CreateSession(ctx context.Context, userID, userAgent, remoteAddr string) (Session, error) {
	now := s.Now().UTC().Truncate(time.Microsecond)
	sess := Session{ID: randomToken(32), UserID: userID, CSRF: randomToken(32), CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(s.MaxAge)}
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, remote_addr)
		VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`, hashSecret(sess.ID), userID, sess.CSRF, now, sess.ExpiresAt, userAgent, remoteAddr)
	if err != nil {
		return sess, fmt.Errorf("create session: %w", err)
	}
	_, _ = s.pool.Exec(ctx, `UPDATE users SET last_login_at = $2 WHERE id = $1`, userID, now)
	// Housekeeping: drop this user's dead sessions.
	_, _ = s.pool.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND (expires_at < $2 OR last_seen_at < $3)`,
		userID, now, now.Add(-s.IdleTimeout))
	return sess, nil
}

// Session returns the live session with cookie value id and its user, and
// marks it as seen now. It returns ErrNoSession when the session is unknown,
// past its absolute lifetime, idle for longer than IdleTimeout, or its user
// is disabled; an idle or expired session is deleted.
func (s *Store) Session(ctx context.Context, id string) (Session, User, error) {
	if id == "" {
		return Session{}, User{}, ErrNoSession
	}
	now := s.Now().UTC()
	h := hashSecret(id)
	var sess Session
	row := s.pool.QueryRow(ctx, `SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
		u.id, u.name, u.agency, u.roles, u.email, u.source, u.disabled, u.created_at, u.last_login_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`, h)
	var u User
	err := row.Scan(&sess.UserID, &sess.CSRF, &sess.CreatedAt, &sess.LastSeen, &sess.ExpiresAt,
		&u.ID, &u.Name, &u.Agency, &u.Roles, &u.Email, &u.Source, &u.Disabled, &u.CreatedAt, &u.LastLoginAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, User{}, ErrNoSession
	}
	if err != nil {
		return Session{}, User{}, fmt.Errorf("load session: %w", err)
	}
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeen) > s.IdleTimeout || u.Disabled {
		_, _ = s.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, h)
		return Session{}, User{}, ErrNoSession
	}
	sess.ID = id
	sess.LastSeen = now
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1`, h, now); err != nil {
		return Session{}, User{}, fmt.Errorf("touch session: %w", err)
	}
	return sess, u, nil
}

// DeleteSession ends a session (sign-out). Unknown ids are not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hashSecret(id)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
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

// CreateToken issues an API token for userID; ttl 0 means no expiry. The
// secret is returned once and only its hash is stored.
func (s *Store) CreateToken(ctx context.Context, userID, name string, ttl time.Duration) (secret string, t Token, err error) {
	if _, err := s.User(ctx, userID); err != nil {
		return "", t, err
	}
	id := randomToken(6)
	secret = tokenPrefix + id + "_" + randomToken(32)
	now := s.Now().UTC().Truncate(time.Microsecond)
	t = Token{ID: id, UserID: userID, Name: vntext.NFC(name), CreatedAt: now}
	if ttl > 0 {
		exp := now.Add(ttl)
		t.ExpiresAt = &exp
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO api_tokens (id, user_id, token_hash, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.ID, userID, hashSecret(secret), t.Name, now, t.ExpiresAt)
	if err != nil {
		return "", t, fmt.Errorf("create token: %w", err)
	}
	return secret, t, nil
}

// TokenUser returns the user that owns a live API token.
func (s *Store) TokenUser(ctx context.Context, secret string) (User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return User{}, ErrBadToken
	}
	now := s.Now().UTC()
	var (
		tokenID   string
		expires   *time.Time
		revoked   *time.Time
		storedHex string
	)
	h := hashSecret(secret)
	err := s.pool.QueryRow(ctx, `SELECT id, token_hash, expires_at, revoked_at, user_id FROM api_tokens WHERE token_hash = $1`, h).
		Scan(&tokenID, &storedHex, &expires, &revoked, new(string))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrBadToken
	}
	if err != nil {
		return User{}, fmt.Errorf("look up token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(storedHex), []byte(h)) != 1 || revoked != nil || (expires != nil && now.After(*expires)) {
		return User{}, ErrBadToken
	}
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userCols+` FROM users u WHERE id = (SELECT user_id FROM api_tokens WHERE id = $1)`, tokenID))
	if err != nil {
		return User{}, fmt.Errorf("load token user: %w", err)
	}
	if u.Disabled {
		return User{}, ErrBadToken
	}
	_, _ = s.pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, tokenID, now)
	return u, nil
}

// Tokens lists a user's API tokens (never their secrets).
func (s *Store) Tokens(ctx context.Context, userID string) ([]Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, user_id, name, created_at, expires_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = $1 ORDER BY created_at`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &t.ExpiresAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes an API token by its public id.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, s.Now().UTC())
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return dossier.Errorf(dossier.CodeNotFound, "không có mã truy cập %q còn hiệu lực (no such live token)", id)
	}
	return nil
}

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
