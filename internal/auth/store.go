package auth

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

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

// SyncOIDCUser creates or updates the account behind an OIDC identity: the
// provider is the source of truth for name, agency and roles, which are
// refreshed at every sign-in. A disabled account stays disabled.
func (s *Store) SyncOIDCUser(ctx context.Context, id Identity) (User, error) {
	roles, err := NormalizeRoles(id.Roles)
	if err != nil {
		return User{}, err
	}
	u := User{ID: id.ID, Name: id.Name, Agency: id.Agency, Roles: roles, Email: id.Email, Source: "oidc"}
	if err := u.Validate(); err != nil {
		return u, err
	}
	var out User
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var existing string
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE oidc_subject = $1 FOR UPDATE`, id.Subject).Scan(&existing)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			// A local account with the same id is not taken over by an SSO
			// identity: that would let a provider impersonate it.
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE id = $1`, u.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				u.ID = "oidc-" + strings.ToLower(sanitizeID(id.Subject[strings.LastIndex(id.Subject, "|")+1:]))
			}
			out, err = scanUser(tx.QueryRow(ctx, `INSERT INTO users (id, name, agency, roles, email, source, oidc_subject)
				VALUES ($1, $2, $3, $4, $5, 'oidc', $6) RETURNING `+userCols, u.ID, u.Name, u.Agency, u.Roles, u.Email, id.Subject))
			return err
		case err != nil:
			return err
		}
		out, err = scanUser(tx.QueryRow(ctx, `UPDATE users SET name = $2, agency = $3, roles = $4, email = $5, updated_at = now()
			WHERE id = $1 RETURNING `+userCols, existing, u.Name, u.Agency, u.Roles, u.Email))
		return err
	})
	if err != nil {
		return out, fmt.Errorf("sync oidc user %q: %w", id.ID, err)
	}
	if out.Disabled {
		return out, ErrBadCredentials
	}
	return out, nil
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
