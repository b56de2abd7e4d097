package web

// The citizen page (/citizen): mobile-first, no JavaScript. A citizen signs
// in with a one-time code or link sent on their notification subject
// (internal/citizen) and sees their dossiers with due dates, the messages
// officials approved with the explanation and its legal basis, proactive
// suggestions to accept or decline, their vault, the data-subject export,
// and a satisfaction rating after each decision. Everything shown comes from
// the same services the citizen API routes use (review.Inbox, explain,
// trigger.Consent, vault); nothing an official has not approved is shown.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/app/trigger"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/citizen"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/explain"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/internal/vnid"
	"github.com/hoso-vn/hoso/internal/workcal"
)

const (
	citizenCookie      = "hoso_citizen"       // a citizen's session id
	citizenLoginCookie = "hoso_citizen_login" // pre-session CSRF token of the sign-in forms (double submit)
	citizenOIDCCookie  = "hoso_citizen_oidc"  // state, nonce and PKCE verifier during an identity-provider round trip
)

var citizenPageNames = []string{"citizen_login", "citizen"}

// citizenSite is the citizen page's state inside the Console.
type citizenSite struct {
	svc   *citizen.Service
	pages map[string]map[string]*template.Template
}

type citizenCtxKey struct{}

func (c *Console) initCitizen() error {
	c.cit.svc = c.d.Citizens
	if c.cit.svc == nil {
		c.cit.svc = &citizen.Service{Pool: c.d.Pool, Log: c.log}
	}
	if c.cit.svc.Now == nil {
		c.cit.svc.Now = c.cfg.Now
	}
	c.cit.pages = map[string]map[string]*template.Template{}
	for _, lang := range []string{"vi", "en"} {
		c.cit.pages[lang] = map[string]*template.Template{}
		for _, p := range citizenPageNames {
			t, err := template.New("citizen_layout.html").Funcs(c.funcs(lang)).Funcs(citizenFuncs(lang)).
				ParseFS(templateFS, "templates/citizen_layout.html", "templates/"+p+".html")
			if err != nil {
				return fmt.Errorf("web: parse template %s: %w", p, err)
			}
			c.cit.pages[lang][p] = t
		}
	}
	return nil
}

func citizenFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"date": func(t any) string {
			switch x := t.(type) {
			case time.Time:
				if !x.IsZero() {
					return x.In(workcal.Location).Format("02/01/2006")
				}
			case *time.Time:
				if x != nil && !x.IsZero() {
					return x.In(workcal.Location).Format("02/01/2006")
				}
			}
			return "—"
		},
		"scores": func() []int { return []int{1, 2, 3, 4, 5} },
		"deref": func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		},
		"source": func(r vault.Record) string {
			if name, ok := strings.CutPrefix(r.Source, "registry:"); ok {
				return translate(lang, "cz.vault.registry") + " " + name
			}
			if r.SourceDossier != "" {
				return translate(lang, "cz.vault.dossier") + " " + r.SourceDossier
			}
			return r.Source
		},
	}
}

func (c *Console) citizenRoutes() {
	m := c.mux
	m.HandleFunc("GET /citizen/{$}", c.citizenOnly(c.handleCitizenHome))
	m.HandleFunc("GET /citizen", c.citizenOnly(c.handleCitizenHome))
	m.HandleFunc("GET /citizen/login", c.handleCitizenLoginPage)
	m.HandleFunc("POST /citizen/login", c.handleCitizenRequestCode)
	m.HandleFunc("POST /citizen/code", c.handleCitizenCode)
	m.HandleFunc("GET /citizen/verify", c.handleCitizenVerifyPage)
	m.HandleFunc("POST /citizen/verify", c.handleCitizenVerify)
	m.HandleFunc("GET /citizen/oidc/login", c.handleCitizenOIDCLogin)
	m.HandleFunc("GET /citizen/oidc/callback", c.handleCitizenOIDCCallback)
	m.HandleFunc("GET /citizen/lang/{lang}", c.handleCitizenLang)
	m.HandleFunc("POST /citizen/logout", c.citizenOnly(c.handleCitizenLogout))
	m.HandleFunc("POST /citizen/messages/{item}/{answer}", c.citizenOnly(c.handleCitizenAnswer))
	m.HandleFunc("POST /citizen/dossiers/{id}/rating", c.citizenOnly(c.handleCitizenRate))
}

func citizenFrom(ctx context.Context) (citizen.Session, bool) {
	s, ok := ctx.Value(citizenCtxKey{}).(citizen.Session)
	return s, ok
}

// citizenOnly requires a citizen session; a POST must carry its CSRF token.
func (c *Console) citizenOnly(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, err := c.cit.svc.Session(r.Context(), cookieValue(r, citizenCookie))
		if err != nil {
			if !errors.Is(err, citizen.ErrNoSession) {
				c.citizenFail(w, r, err)
				return
			}
			if r.Method != http.MethodGet {
				c.citizenRender(w, r, http.StatusUnauthorized, "citizen_login", citizenLoginData{Error: translate(langOf(r), "err.session")})
				return
			}
			http.Redirect(w, r, "/citizen/login", http.StatusSeeOther)
			return
		}
		if r.Method != http.MethodGet && !auth.Equal(r.PostFormValue(csrfField), sess.CSRF) {
			c.citizenRender(w, r, http.StatusForbidden, "citizen_login", citizenLoginData{Error: translate(langOf(r), "err.csrf")})
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), citizenCtxKey{}, sess)))
	}
}

// citizenPage is what every citizen template receives.
type citizenPage struct {
	Lang, Path, CSRF string
	Signed           bool
	CitizenID        string
	Flash            string
	Data             any
}

func (c *Console) citizenRender(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	sess, signed := citizenFrom(r.Context())
	p := citizenPage{Lang: langOf(r), Path: r.URL.Path, CSRF: sess.CSRF, Signed: signed, CitizenID: sess.CitizenID,
		Flash: r.URL.Query().Get("done"), Data: data}
	var buf bytes.Buffer
	if err := c.cit.pages[p.Lang][name].ExecuteTemplate(&buf, "citizen_layout.html", p); err != nil {
		c.log.Error("citizen page: render", "page", name, "err", err)
		http.Error(w, "lỗi hiển thị (render error)", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// citizenFail shows an error on the sign-in page's frame: the citizen's
// mistakes in words, hoso's own failures as hoso's.
func (c *Console) citizenFail(w http.ResponseWriter, r *http.Request, err error) {
	lang := langOf(r)
	status, msg := http.StatusInternalServerError, translate(lang, "cz.err.ours")
	var th *citizen.ThrottledError
	var de *dossier.Error
	switch {
	case errors.As(err, &th):
		status, msg = http.StatusTooManyRequests, th.Error()
		w.Header().Set("Retry-After", strconv.Itoa(int(th.RetryAfter().Seconds())))
	case errors.As(err, &de) && de.Code != "":
		status, msg = codeStatus(de.Code), de.Message
	default:
		c.log.Error("citizen page: request failed", "path", r.URL.Path, "err", err)
	}
	if _, signed := citizenFrom(r.Context()); signed {
		c.citizenRender(w, r, status, "citizen", citizenView{Error: msg})
		return
	}
	c.citizenRender(w, r, status, "citizen_login", citizenLoginData{Error: msg, CSRF: c.citizenLoginToken(w, r), OIDC: c.d.CitizenOIDC != nil})
}

func codeStatus(code dossier.Code) int {
	switch code {
	case dossier.CodeNotFound:
		return http.StatusNotFound
	case dossier.CodeForbidden:
		return http.StatusForbidden
	case dossier.CodeConflict:
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// citizenLoginData drives the sign-in page: step "id" asks for the number,
// "code" for the code sent, "link" confirms a link.
type citizenLoginData struct {
	Step, ID, Token, CSRF, Error string
	Sent                         bool
	OIDC                         bool // offer sign-in with a digital identity
}

func (c *Console) citizenLoginToken(w http.ResponseWriter, r *http.Request) string {
	token := auth.RandomToken()
	c.setCookie(w, r, citizenLoginCookie, token, time.Hour)
	return token
}

func (c *Console) citizenLoginCSRF(r *http.Request) bool {
	return auth.Equal(r.PostFormValue(csrfField), cookieValue(r, citizenLoginCookie))
}

func (c *Console) handleCitizenLoginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := c.cit.svc.Session(r.Context(), cookieValue(r, citizenCookie)); err == nil {
		http.Redirect(w, r, "/citizen", http.StatusSeeOther)
		return
	}
	c.citizenRender(w, r, http.StatusOK, "citizen_login", citizenLoginData{Step: "id", CSRF: c.citizenLoginToken(w, r), OIDC: c.d.CitizenOIDC != nil})
}

// handleCitizenOIDCLogin sends the citizen to the identity provider, keeping
// state, nonce and PKCE verifier in a short-lived cookie.
func (c *Console) handleCitizenOIDCLogin(w http.ResponseWriter, r *http.Request) {
	if c.d.CitizenOIDC == nil {
		http.NotFound(w, r)
		return
	}
	if err := c.cit.svc.VouchedAllowed(r.Context(), auth.ClientKey(c.clientAddr(r)), "oidc"); err != nil {
		c.citizenFail(w, r, err)
		return
	}
	state, nonce, verifier := auth.RandomToken(), auth.RandomToken(), auth.NewVerifier()
	c.setCookie(w, r, citizenOIDCCookie, url.Values{"s": {state}, "n": {nonce}, "v": {verifier}}.Encode(), 10*time.Minute)
	http.Redirect(w, r, c.d.CitizenOIDC.AuthCodeURL(state, nonce, verifier), http.StatusFound)
}

// handleCitizenOIDCCallback checks state and nonce, reads the personal ID
// number from the ID token and starts the same session a code would. Every
// refusal is audited (citizen.sign_in_failed, method oidc).
func (c *Console) handleCitizenOIDCCallback(w http.ResponseWriter, r *http.Request) {
	if c.d.CitizenOIDC == nil {
		http.NotFound(w, r)
		return
	}
	ctx, client, lang := r.Context(), auth.ClientKey(c.clientAddr(r)), langOf(r)
	refuse := func(citizenID, why string, err error) {
		c.log.Warn("citizen page: identity-provider sign-in refused", "why", why, "err", err)
		if aerr := c.cit.svc.SignInRefused(ctx, citizenID, client, "oidc", why); aerr != nil {
			c.citizenFail(w, r, aerr)
			return
		}
		c.citizenRender(w, r, http.StatusForbidden, "citizen_login", citizenLoginData{Step: "id", CSRF: c.citizenLoginToken(w, r),
			OIDC: true, Error: translate(lang, "cz.err.oidc."+why)})
	}
	if err := c.cit.svc.VouchedAllowed(ctx, client, "oidc"); err != nil {
		c.citizenFail(w, r, err)
		return
	}
	saved, _ := url.ParseQuery(cookieValue(r, citizenOIDCCookie))
	c.setCookie(w, r, citizenOIDCCookie, "", -1)
	q := r.URL.Query()
	if q.Get("error") != "" || saved.Get("s") == "" || !auth.Equal(q.Get("state"), saved.Get("s")) {
		refuse("", "state", errors.New(q.Get("error")))
		return
	}
	id, err := c.d.CitizenOIDC.Exchange(ctx, q.Get("code"), saved.Get("n"), saved.Get("v"))
	if err != nil {
		if dossier.ErrorCode(err) == dossier.CodeForbidden {
			refuse("", "id", err) // the token lacks the personal ID claim
			return
		}
		refuse("", "provider", err)
		return
	}
	claim := c.d.CitizenIDClaim
	if claim == "" {
		claim = auth.DefaultCitizenIDClaim
	}
	pid := id.Claim(claim)
	if !vnid.PersonalID(pid, c.cfg.Now()) {
		refuse("", "id", fmt.Errorf("claim %q is not a personal ID number", claim))
		return
	}
	sess, err := c.cit.svc.SignInVouched(ctx, pid, id.Subject, client, "oidc")
	c.citizenStart(w, r, sess, err)
}

func (c *Console) handleCitizenRequestCode(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if !c.citizenLoginCSRF(r) {
		c.citizenRender(w, r, http.StatusForbidden, "citizen_login", citizenLoginData{Step: "id", CSRF: c.citizenLoginToken(w, r), Error: translate(langOf(r), "err.csrf")})
		return
	}
	id := strings.TrimSpace(r.PostFormValue("citizen_id"))
	if _, err := c.cit.svc.Issue(r.Context(), id, auth.ClientKey(c.clientAddr(r))); err != nil {
		var th *citizen.ThrottledError
		if !errors.As(err, &th) && dossier.ErrorCode(err) != dossier.CodeInvalid {
			// Not the citizen's fault: say so, keep what they typed.
			c.log.Error("citizen page: code not sent", "err", err)
			c.citizenRender(w, r, http.StatusServiceUnavailable, "citizen_login", citizenLoginData{Step: "id", ID: id, CSRF: c.citizenLoginToken(w, r), Error: translate(langOf(r), "cz.err.send")})
			return
		}
		c.citizenFail(w, r, err)
		return
	}
	c.citizenRender(w, r, http.StatusOK, "citizen_login", citizenLoginData{Step: "code", ID: id, Sent: true, CSRF: c.citizenLoginToken(w, r)})
}

func (c *Console) handleCitizenCode(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if !c.citizenLoginCSRF(r) {
		c.citizenRender(w, r, http.StatusForbidden, "citizen_login", citizenLoginData{Step: "id", CSRF: c.citizenLoginToken(w, r), Error: translate(langOf(r), "err.csrf")})
		return
	}
	id := strings.TrimSpace(r.PostFormValue("citizen_id"))
	sess, err := c.cit.svc.SignInCode(r.Context(), id, r.PostFormValue("code"), auth.ClientKey(c.clientAddr(r)))
	if errors.Is(err, citizen.ErrBadCode) {
		c.citizenRender(w, r, http.StatusUnauthorized, "citizen_login", citizenLoginData{Step: "code", ID: id, CSRF: c.citizenLoginToken(w, r), Error: translate(langOf(r), "cz.err.code")})
		return
	}
	c.citizenStart(w, r, sess, err)
}

func (c *Console) citizenStart(w http.ResponseWriter, r *http.Request, sess citizen.Session, err error) {
	if err != nil {
		c.citizenFail(w, r, err)
		return
	}
	if old := cookieValue(r, citizenCookie); old != "" {
		if s, err := c.cit.svc.Session(r.Context(), old); err == nil {
			_ = c.cit.svc.SignOut(r.Context(), s)
		}
	}
	c.setCookie(w, r, citizenCookie, sess.ID, 0)
	c.setCookie(w, r, citizenLoginCookie, "", -1)
	http.Redirect(w, r, "/citizen", http.StatusSeeOther)
}

// handleCitizenVerifyPage shows a button that signs in with the link's
// token: following a link never signs in by itself, so a mail scanner or a
// link preview that fetches it does not use the code up.
func (c *Console) handleCitizenVerifyPage(w http.ResponseWriter, r *http.Request) {
	c.citizenRender(w, r, http.StatusOK, "citizen_login", citizenLoginData{Step: "link", Token: r.URL.Query().Get("t"), CSRF: c.citizenLoginToken(w, r)})
}

func (c *Console) handleCitizenVerify(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if !c.citizenLoginCSRF(r) {
		c.citizenRender(w, r, http.StatusForbidden, "citizen_login", citizenLoginData{Step: "id", CSRF: c.citizenLoginToken(w, r), Error: translate(langOf(r), "err.csrf")})
		return
	}
	sess, err := c.cit.svc.SignInLink(r.Context(), r.PostFormValue("t"), auth.ClientKey(c.clientAddr(r)))
	if errors.Is(err, citizen.ErrBadCode) {
		c.citizenRender(w, r, http.StatusUnauthorized, "citizen_login", citizenLoginData{Step: "id", CSRF: c.citizenLoginToken(w, r), Error: translate(langOf(r), "cz.err.link")})
		return
	}
	c.citizenStart(w, r, sess, err)
}

func (c *Console) handleCitizenLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if lang != "en" {
		lang = "vi"
	}
	c.setCookie(w, r, langCookie, lang, 365*24*time.Hour)
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/citizen") || strings.Contains(next, "//") || strings.Contains(next, "\\") {
		next = "/citizen"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (c *Console) handleCitizenLogout(w http.ResponseWriter, r *http.Request) {
	sess, _ := citizenFrom(r.Context())
	if err := c.cit.svc.SignOut(r.Context(), sess); err != nil {
		c.citizenFail(w, r, err)
		return
	}
	c.setCookie(w, r, citizenCookie, "", -1)
	http.Redirect(w, r, "/citizen/login", http.StatusSeeOther)
}

// citizenView is the citizen page.
type citizenView struct {
	Dossiers  []citizenDossier
	Messages  []citizenMessage
	Records   []citizenRecord
	ExportURL string
	Error     string
}

type citizenDossier struct {
	citizen.Dossier
	Decided     bool
	Overdue     bool
	Explanation []explain.Item
}

type citizenMessage struct {
	review.InboxItem
	Proactive bool
}

type citizenRecord struct {
	vault.Record
	Expired bool
}

func (c *Console) handleCitizenHome(w http.ResponseWriter, r *http.Request) {
	v, err := c.citizenView(r.Context())
	if err != nil {
		c.citizenFail(w, r, err)
		return
	}
	c.citizenRender(w, r, http.StatusOK, "citizen", v)
}

func (c *Console) citizenView(ctx context.Context) (citizenView, error) {
	sess, _ := citizenFrom(ctx)
	id, now := sess.CitizenID, c.cfg.Now()
	v := citizenView{ExportURL: "/api/v1/citizens/" + url.PathEscape(id) + "/vault/export"}
	ds, err := c.cit.svc.Dossiers(ctx, id)
	if err != nil {
		return v, err
	}
	b := &explain.Builder{Pool: c.d.Pool, Log: c.log}
	for _, d := range ds {
		if d.Status == trigger.StatusProactive {
			continue // hoso's own case behind a proactive suggestion, not a dossier the citizen filed
		}
		cd := citizenDossier{Dossier: d, Decided: d.DecidedAt != nil}
		cd.Overdue = !cd.Decided && !d.Due.IsZero() && now.After(d.Due)
		if d.Status != trigger.StatusDraft {
			// Only approved suggestions make an explanation (explain.Build).
			msg, err := b.Build(ctx, d.ID, now)
			if err != nil {
				return v, err
			}
			cd.Explanation = msg.Items
		}
		v.Dossiers = append(v.Dossiers, cd)
	}
	items, err := review.Inbox(ctx, c.d.Pool, id, "")
	if err != nil {
		return v, err
	}
	pro, err := c.cit.svc.Proactive(ctx, id)
	if err != nil {
		return v, err
	}
	for _, it := range items {
		v.Messages = append(v.Messages, citizenMessage{InboxItem: it, Proactive: pro[it.ID]})
	}
	recs, err := c.citizenVault().Records(ctx, id)
	if err != nil {
		return v, err
	}
	for _, rec := range recs {
		v.Records = append(v.Records, citizenRecord{Record: rec, Expired: !rec.Valid(now)})
	}
	return v, nil
}

func (c *Console) citizenVault() *vault.Store {
	v := &vault.Store{Pool: c.d.Pool, Log: c.log}
	if c.d.Procedures != nil {
		v.Procedures = c.d.Procedures
	}
	return v
}

// handleCitizenAnswer accepts or declines a proactive suggestion through
// trigger.Consent, as POST /api/v1/citizens/{id}/inbox/{item}/accept does.
func (c *Console) handleCitizenAnswer(w http.ResponseWriter, r *http.Request) {
	sess, _ := citizenFrom(r.Context())
	answer := map[string]string{"accept": trigger.ResponseAccepted, "decline": trigger.ResponseDeclined}[r.PathValue("answer")]
	item, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil || answer == "" {
		c.citizenFail(w, r, dossier.Errorf(dossier.CodeInvalid, "yêu cầu không hợp lệ (invalid request)"))
		return
	}
	cs := &trigger.Consent{Pool: c.d.Pool, Vault: c.citizenVault(), Log: c.log}
	if c.d.Procedures != nil {
		cs.Procedures = c.d.Procedures
	}
	if _, err := cs.Respond(r.Context(), sess.CitizenID, item, answer, sess.Actor()); err != nil {
		c.citizenFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/citizen?done="+answer+"#m-"+strconv.FormatInt(item, 10), http.StatusSeeOther)
}

func (c *Console) handleCitizenRate(w http.ResponseWriter, r *http.Request) {
	sess, _ := citizenFrom(r.Context())
	score, err := strconv.Atoi(r.PostFormValue("score"))
	if err != nil {
		c.citizenFail(w, r, dossier.Errorf(dossier.CodeInvalid, "hãy chọn điểm từ 1 đến 5 (choose a score from 1 to 5)"))
		return
	}
	id := r.PathValue("id")
	if _, err := c.cit.svc.Rate(r.Context(), sess.CitizenID, id, score, r.PostFormValue("comment")); err != nil {
		c.citizenFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/citizen?done=rated#d-"+url.PathEscape(id), http.StatusSeeOther)
}

// citizenAPIActor lets a signed-in citizen call the citizen API routes that
// are theirs (/api/v1/citizens/<own id>/…: inbox, vault, export, answers)
// with the page's session, so that the page links to the existing export
// rather than a copy. Any other API path stays closed to a citizen session.
func (c *Console) citizenAPIActor(r *http.Request) (Actor, bool) {
	ck := cookieValue(r, citizenCookie)
	if ck == "" || c.cit.svc == nil {
		return Actor{}, false
	}
	sess, err := c.cit.svc.Session(r.Context(), ck)
	if err != nil {
		return Actor{}, false
	}
	if !strings.HasPrefix(r.URL.Path, "/api/v1/citizens/"+sess.CitizenID+"/") {
		return Actor{}, false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !auth.Equal(r.Header.Get(CSRFHeader), sess.CSRF) {
		return Actor{}, false
	}
	return Actor{ID: sess.Actor(), Name: sess.CitizenID, Roles: []string{}}, true
}

func init() {
	for k, v := range citizenMessages {
		messages[k] = v
	}
}

// citizenMessages are the citizen page's strings (Vietnamese, English).
var citizenMessages = map[string][2]string{
	"cz.app":         {"Cổng công dân", "Citizen page"},
	"cz.footer":      {"hoso — mọi thông báo trên trang này đã được cán bộ xem xét và phê duyệt.", "hoso — every message on this page was reviewed and approved by an official."},
	"cz.login.title": {"Đăng nhập bằng mã một lần", "Sign in with a one-time code"},
	"cz.login.id":    {"Số định danh cá nhân (12 số)", "Personal ID number (12 digits)"},
	"cz.login.idhelp": {"Mã đăng nhập sẽ được gửi qua kênh thông báo ông/bà đã đăng ký (VNeID, SMS).",
		"A sign-in code will be sent through the channel you registered (VNeID, SMS)."},
	"cz.login.send":        {"Gửi mã", "Send code"},
	"cz.login.sent":        {"Đã gửi mã. Mã có hiệu lực 10 phút và chỉ dùng được một lần.", "Code sent. It is valid for 10 minutes and works once."},
	"cz.login.code":        {"Mã 6 chữ số", "6-digit code"},
	"cz.login.submit":      {"Đăng nhập", "Sign in"},
	"cz.login.again":       {"Gửi lại mã", "Send a new code"},
	"cz.login.link":        {"Ông/bà đã mở đường dẫn đăng nhập. Bấm nút dưới đây để tiếp tục.", "You opened a sign-in link. Press the button below to continue."},
	"cz.err.code":          {"Mã không đúng hoặc đã hết hạn. Hãy kiểm tra lại hoặc xin mã mới.", "The code is wrong or has expired. Check it or ask for a new one."},
	"cz.err.link":          {"Đường dẫn đã được dùng hoặc đã hết hạn. Hãy xin mã mới.", "The link was already used or has expired. Ask for a new code."},
	"cz.login.oidc":        {"Đăng nhập bằng tài khoản định danh", "Sign in with your digital identity"},
	"cz.login.or":          {"hoặc nhận mã một lần", "or get a one-time code"},
	"cz.err.oidc.state":    {"Phiên đăng nhập bằng tài khoản định danh không hợp lệ hoặc đã hết hạn. Vui lòng thử lại.", "The digital-identity sign-in was invalid or expired. Please try again."},
	"cz.err.oidc.id":       {"Tài khoản định danh không cung cấp số định danh cá nhân hợp lệ (12 số). Hãy đăng nhập bằng mã một lần.", "Your digital identity did not give a valid 12-digit personal ID number. Please sign in with a one-time code."},
	"cz.err.oidc.provider": {"Chưa xác thực được với nhà cung cấp định danh. Vui lòng thử lại hoặc đăng nhập bằng mã một lần.", "The identity provider could not confirm your sign-in. Please try again or use a one-time code."},
	"cz.err.send":          {"Hệ thống chưa gửi được mã (lỗi của hệ thống, không phải của ông/bà). Vui lòng thử lại sau ít phút.", "hoso could not send the code (our fault, not yours). Please try again in a few minutes."},
	"cz.err.ours":          {"Hệ thống đang gặp sự cố (không phải lỗi của ông/bà). Vui lòng thử lại sau.", "hoso has a problem (not your fault). Please try again later."},
	"cz.hello":             {"Xin chào, công dân %s", "Hello, citizen %s"},
	"cz.logout":            {"Đăng xuất", "Sign out"},
	"cz.nav":               {"Mục trên trang", "On this page"},
	"cz.dossiers":          {"Hồ sơ của tôi", "My dossiers"},
	"cz.dossiers.none":     {"Ông/bà chưa có hồ sơ nào.", "You have no dossiers."},
	"cz.submitted":         {"Nộp ngày", "Submitted"},
	"cz.due":               {"Hạn giải quyết", "Due"},
	"cz.due.none":          {"Chưa xác định", "Not set"},
	"cz.overdue":           {"Đã quá hạn — cơ quan phải xin lỗi và hẹn lại bằng văn bản", "Overdue — the agency must apologise and set a new date in writing"},
	"cz.decided":           {"Có kết quả ngày", "Decided on"},
	"cz.explain":           {"Giải thích và căn cứ pháp lý", "Explanation and legal basis"},
	"cz.basis":             {"Căn cứ", "Legal basis"},
	"cz.rate":              {"Ông/bà hài lòng thế nào với việc giải quyết hồ sơ này?", "How satisfied are you with how this dossier was handled?"},
	"cz.rate.score":        {"%d trên 5", "%d out of 5"},
	"cz.rate.comment":      {"Góp ý (không bắt buộc)", "Comment (optional)"},
	"cz.rate.low":          {"1 = rất không hài lòng, 5 = rất hài lòng", "1 = very dissatisfied, 5 = very satisfied"},
	"cz.rated":             {"Ông/bà đã đánh giá %d/5. Có thể chọn lại.", "You rated this %d/5. You may change it."},
	"cz.messages":          {"Thông báo", "Messages"},
	"cz.messages.none":     {"Chưa có thông báo nào được cán bộ gửi.", "No official has sent you a message yet."},
	"cz.accept":            {"Đồng ý", "Accept"},
	"cz.decline":           {"Không, cảm ơn", "No, thanks"},
	"cz.answer.accepted":   {"Ông/bà đã đồng ý.", "You accepted."},
	"cz.answer.declined":   {"Ông/bà đã từ chối.", "You declined."},
	"cz.suggested":         {"Gợi ý chủ động", "Proactive suggestion"},
	"cz.vault":             {"Kho dữ liệu của tôi", "My document vault"},
	"cz.vault.none":        {"Kho dữ liệu chưa có giấy tờ nào.", "Your vault holds no documents yet."},
	"cz.vault.source":      {"Nguồn", "Source"},
	"cz.vault.until":       {"Hiệu lực đến", "Valid until"},
	"cz.vault.forever":     {"Không thời hạn", "Does not expire"},
	"cz.vault.expired":     {"Đã hết hạn", "Expired"},
	"cz.vault.registry":    {"Cơ sở dữ liệu", "Registry"},
	"cz.vault.dossier":     {"Hồ sơ", "Dossier"},
	"cz.vault.reuse":       {"Giấy tờ còn hiệu lực được dùng lại, ông/bà không phải nộp lại (Nghị định 45/2020/NĐ-CP).", "Valid documents are reused; you do not submit them again (Decree 45/2020/NĐ-CP)."},
	"cz.export":            {"Dữ liệu của tôi", "My data"},
	"cz.export.text":       {"Tải về toàn bộ dữ liệu hoso lưu về ông/bà (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15).", "Download everything hoso holds about you (Personal Data Protection Law 91/2025/QH15)."},
	"cz.export.link":       {"Tải dữ liệu (JSON)", "Download data (JSON)"},
	"cz.done.accepted":     {"Đã ghi nhận: ông/bà đồng ý.", "Recorded: you accepted."},
	"cz.done.declined":     {"Đã ghi nhận: ông/bà từ chối.", "Recorded: you declined."},
	"cz.done.rated":        {"Cảm ơn ông/bà đã đánh giá.", "Thank you for your rating."},

	"cz.status.received":   {"Đã nhận, đang chờ kiểm tra", "Received, awaiting checks"},
	"cz.status.processing": {"Đang kiểm tra", "Being checked"},
	"cz.status.prechecked": {"Đang chờ cán bộ xem xét", "Awaiting an official"},
	"cz.status.failed":     {"Đang được cán bộ xử lý", "Being handled by an official"},
	"cz.status.accepted":   {"Đã có kết quả", "Decided"},
	"cz.status.draft":      {"Bản nháp, chưa nộp", "Draft, not submitted"},
}
