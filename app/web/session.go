package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/auth"
)

// Cookie names.
const (
	sessionCookie = "hoso_session"
	loginCookie   = "hoso_login" // pre-session CSRF token of the sign-in form (double submit)
	oidcCookie    = "hoso_oidc"  // state, nonce and PKCE verifier during an SSO round trip
	langCookie    = "hoso_lang"
	csrfField     = "csrf"
	// CSRFHeader carries the session's CSRF token on API calls from a browser.
	CSRFHeader = "X-CSRF-Token"
)

type ctxKey int

const (
	actorKey ctxKey = iota
	sessionKey
)

// FromUser converts an account into the Actor that review actions take.
func FromUser(u auth.User) Actor {
	return Actor{ID: u.ID, Name: u.Name, Agency: u.Agency, Roles: slices.Clone(u.Roles)}
}

// ActorFrom returns the authenticated official of a request that passed
// RequireAPIAuth or the console's sign-in check.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey).(Actor)
	return a, ok
}

// WithActor returns ctx carrying a (for tests and in-process callers).
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

func hasRole(a Actor, roles ...string) bool {
	for _, r := range roles {
		if slices.Contains(a.Roles, r) {
			return true
		}
	}
	return false
}

func sessionFrom(ctx context.Context) auth.Session {
	s, _ := ctx.Value(sessionKey).(auth.Session)
	return s
}

func (c *Console) secureCookie(r *http.Request) bool { return c.cfg.SecureCookies || r.TLS != nil }

func (c *Console) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge time.Duration) {
	ck := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.secureCookie(r)}
	switch {
	case maxAge < 0:
		ck.MaxAge = -1
	case maxAge > 0:
		ck.MaxAge = int(maxAge / time.Second)
	}
	http.SetCookie(w, ck)
}

func cookieValue(r *http.Request, name string) string {
	if ck, err := r.Cookie(name); err == nil {
		return ck.Value
	}
	return ""
}

// signedIn requires a live session: pages redirect to the sign-in page, and
// every state-changing request must carry the session's CSRF token (form
// field or header), else 403.
func (c *Console) signedIn(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, u, err := c.users.Session(r.Context(), cookieValue(r, sessionCookie))
		if err != nil {
			if !errors.Is(err, auth.ErrNoSession) {
				c.fail(w, r, err)
				return
			}
			if cookieValue(r, sessionCookie) != "" {
				c.setCookie(w, r, sessionCookie, "", -1)
			}
			if r.Method != http.MethodGet {
				c.renderError(w, r, http.StatusUnauthorized, "err.session")
				return
			}
			http.Redirect(w, r, "/console/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			token := r.Header.Get(CSRFHeader)
			if token == "" {
				token = r.PostFormValue(csrfField)
			}
			if !auth.Equal(token, sess.CSRF) {
				c.log.Warn("console: CSRF token missing or wrong", "user", u.ID, "path", r.URL.Path)
				c.renderError(w, r, http.StatusForbidden, "err.csrf")
				return
			}
		}
		ctx := context.WithValue(WithActor(r.Context(), FromUser(u)), sessionKey, sess)
		next(w, r.WithContext(ctx))
	})
}

// needAny requires one of roles.
func (c *Console) needAny(next http.HandlerFunc, roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, _ := ActorFrom(r.Context())
		if !hasRole(a, roles...) {
			c.renderError(w, r, http.StatusForbidden, "err.role")
			return
		}
		next(w, r)
	}
}

// RequireAPIAuth authenticates calls to the JSON API: "Authorization: Bearer
// <token>" (API tokens from `hoso user token`) for integrations, or the
// console's session cookie for the browser, which must then send the
// session's CSRF token in X-CSRF-Token on every non-GET call. It puts the
// Actor in the request context (ActorFrom) and answers 401 without one, 403
// for a missing CSRF token, and 429 with Retry-After while the client's
// address is locked after too many bad tokens.
func (c *Console) RequireAPIAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := c.APIAuthenticate(w, r)
		if !ok {
			return
		}
		next.ServeHTTP(w, r.WithContext(WithActor(r.Context(), a)))
	})
}

// APIAuthenticate is RequireAPIAuth as a function, for api.Deps.Authenticate:
// it returns the authenticated official, or writes the refusal (401, 403 or
// 429, as RequireAPIAuth) and returns false.
func (c *Console) APIAuthenticate(w http.ResponseWriter, r *http.Request) (Actor, bool) {
	a, f := c.apiAuth(r)
	if f.status == 0 {
		return a, true
	}
	if f.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hoso"`)
	}
	if f.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.retryAfter))
	}
	apiDeny(w, f.status, f.code, f.msg)
	return a, false
}

// APIActor is the simple form of APIAuthenticate, for api.Deps.Actor: it
// returns the authenticated official, or false (the API answers 401) when
// there is none, a browser call lacks its CSRF header or the client is
// locked out.
func (c *Console) APIActor(r *http.Request) (Actor, bool) {
	a, f := c.apiAuth(r)
	return a, f.status == 0
}

// authFailure is why apiAuth refused a request; status 0 means it did not.
type authFailure struct {
	status     int
	code, msg  string
	retryAfter int // seconds, for 429
}

func (c *Console) apiAuth(r *http.Request) (a Actor, f authFailure) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return a, authFailure{status: http.StatusUnauthorized, code: "unauthenticated", msg: "chỉ hỗ trợ Authorization: Bearer (only bearer tokens are supported)"}
		}
		u, err := c.users.TokenSignIn(ctx, strings.TrimSpace(token), c.clientAddr(r))
		var locked *auth.LockedError
		if errors.As(err, &locked) {
			c.log.Warn("api: client locked out after bad tokens", "remote", c.clientAddr(r), "until", locked.Until)
			return a, authFailure{status: http.StatusTooManyRequests, code: "too_many_requests", msg: locked.Error(), retryAfter: locked.RetryAfterSeconds()}
		}
		if err != nil {
			if !errors.Is(err, auth.ErrBadToken) {
				c.log.Error("api auth", "err", err)
			}
			return a, authFailure{status: http.StatusUnauthorized, code: "unauthenticated", msg: "mã truy cập không hợp lệ hoặc đã hết hạn (invalid or expired token)"}
		}
		return FromUser(u), authFailure{}
	}
	sess, u, err := c.users.Session(ctx, cookieValue(r, sessionCookie))
	if err != nil {
		if !errors.Is(err, auth.ErrNoSession) {
			c.log.Error("api auth", "err", err)
		}
		if ca, ok := c.citizenAPIActor(r); ok { // a citizen, on their own routes (citizen.go)
			return ca, authFailure{}
		}
		return a, authFailure{status: http.StatusUnauthorized, code: "unauthenticated", msg: "cần đăng nhập hoặc mã truy cập (authentication required)"}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		if !auth.Equal(r.Header.Get(CSRFHeader), sess.CSRF) {
			return a, authFailure{status: http.StatusForbidden, code: "csrf", msg: "thiếu hoặc sai mã CSRF trong X-CSRF-Token (CSRF token missing)"}
		}
	}
	return FromUser(u), authFailure{}
}

func apiDeny(w http.ResponseWriter, code int, errCode, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(`{"error":"` + errCode + `","message":` + jsonString(msg) + "}\n"))
}

// safeNext keeps redirects after sign-in inside the console.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") && !strings.HasPrefix(next, "/console/login") {
		return next
	}
	return "/console/queue"
}

func (c *Console) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if _, _, err := c.users.Session(r.Context(), cookieValue(r, sessionCookie)); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	c.loginPage(w, r, http.StatusOK, "", "")
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request, status int, username, errKey string) {
	c.loginPageText(w, r, status, username, errKey, "")
}

// loginPageText is loginPage with an error already in words (errText, shown
// as it is) instead of a message key.
func (c *Console) loginPageText(w http.ResponseWriter, r *http.Request, status int, username, errKey, errText string) {
	token := auth.RandomToken()
	c.setCookie(w, r, loginCookie, token, time.Hour)
	c.render(w, r, status, "login", map[string]any{
		"LoginCSRF": token, "Next": safeNext(r.FormValue("next")), "Username": username,
		"Error": errKey, "ErrorText": errText, "SSO": c.d.OIDC != nil,
	})
}

func (c *Console) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.renderError(w, r, http.StatusBadRequest, "err.bad_request")
		return
	}
	if !auth.Equal(r.PostFormValue(csrfField), cookieValue(r, loginCookie)) {
		c.renderError(w, r, http.StatusForbidden, "err.csrf")
		return
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	// Unknown accounts, wrong passwords and disabled accounts get the same
	// page; so do locked accounts, whether or not they exist.
	client := c.clientAddr(r)
	u, err := c.users.SignIn(r.Context(), username, r.PostFormValue("password"), client)
	if errors.Is(err, auth.ErrBadCredentials) {
		c.log.Warn("console: sign-in failed", "user", username, "remote", client)
		c.loginPage(w, r, http.StatusUnauthorized, username, "login.failed")
		return
	}
	var locked *auth.LockedError
	if errors.As(err, &locked) {
		c.log.Warn("console: sign-in locked", "user", username, "remote", client, "until", locked.Until)
		w.Header().Set("Retry-After", strconv.Itoa(locked.RetryAfterSeconds()))
		c.loginPageText(w, r, http.StatusTooManyRequests, username, "", locked.Error())
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.startSession(w, r, u, "password"); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// startSession always issues a fresh session id and ends the one the browser
// brought, so that an id planted before sign-in is never promoted.
func (c *Console) startSession(w http.ResponseWriter, r *http.Request, u auth.User, method string) error {
	ctx := r.Context()
	if old := cookieValue(r, sessionCookie); old != "" {
		if err := c.users.DeleteSession(ctx, old); err != nil {
			return err
		}
	}
	sess, err := c.users.CreateSession(ctx, u.ID, r.UserAgent(), c.clientAddr(r))
	if err != nil {
		return err
	}
	c.setCookie(w, r, sessionCookie, sess.ID, 0)
	c.setCookie(w, r, loginCookie, "", -1)
	c.log.Info("console: signed in", "user", u.ID, "agency", u.Agency, "method", method)
	return audit.Record(ctx, c.d.Pool, audit.Entry{Actor: u.ID, Action: "auth.sign_in", Entity: "user", EntityID: u.ID,
		After: map[string]any{"method": method, "agency": u.Agency, "roles": u.Roles}})
}

func (c *Console) handleLogout(w http.ResponseWriter, r *http.Request) {
	a, _ := ActorFrom(r.Context())
	if err := c.users.DeleteSession(r.Context(), sessionFrom(r.Context()).ID); err != nil {
		c.fail(w, r, err)
		return
	}
	_ = audit.Record(r.Context(), c.d.Pool, audit.Entry{Actor: a.ID, Action: "auth.sign_out", Entity: "user", EntityID: a.ID})
	c.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
}

func (c *Console) handleOIDCLogin(w http.ResponseWriter, r *http.Request) {
	if c.d.OIDC == nil {
		http.NotFound(w, r)
		return
	}
	state, nonce, verifier := auth.RandomToken(), auth.RandomToken(), auth.NewVerifier()
	next := safeNext(r.URL.Query().Get("next"))
	c.setCookie(w, r, oidcCookie, url.Values{"s": {state}, "n": {nonce}, "v": {verifier}, "next": {next}}.Encode(), 10*time.Minute)
	http.Redirect(w, r, c.d.OIDC.AuthCodeURL(state, nonce, verifier), http.StatusFound)
}

func (c *Console) handleOIDCCallback(w http.ResponseWriter, r *http.Request) {
	if c.d.OIDC == nil {
		http.NotFound(w, r)
		return
	}
	saved, _ := url.ParseQuery(cookieValue(r, oidcCookie))
	c.setCookie(w, r, oidcCookie, "", -1)
	q := r.URL.Query()
	if q.Get("error") != "" || !auth.Equal(q.Get("state"), saved.Get("s")) {
		c.log.Warn("console: SSO callback refused", "error", q.Get("error"))
		c.renderError(w, r, http.StatusForbidden, "err.sso")
		return
	}
	id, err := c.d.OIDC.Exchange(r.Context(), q.Get("code"), saved.Get("n"), saved.Get("v"))
	if err != nil {
		c.log.Warn("console: SSO sign-in failed", "err", err)
		c.renderErrorMsg(w, r, http.StatusForbidden, "err.sso", err.Error())
		return
	}
	u, err := c.users.SyncOIDCUser(r.Context(), id)
	if err != nil {
		c.log.Warn("console: SSO account refused", "err", err, "subject", id.Subject)
		c.renderError(w, r, http.StatusForbidden, "err.sso")
		return
	}
	if err := c.startSession(w, r, u, "oidc"); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, safeNext(saved.Get("next")), http.StatusSeeOther)
}

func (c *Console) handleLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if lang != "vi" && lang != "en" {
		lang = "vi"
	}
	c.setCookie(w, r, langCookie, lang, 365*24*time.Hour)
	next := r.URL.Query().Get("next")
	if next == "/console/login" || strings.HasPrefix(next, "/console/login?") {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}
