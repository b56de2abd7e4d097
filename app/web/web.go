// Package web provides the officials' review console: server-rendered pages
// (html/template, no JavaScript framework) in Vietnamese with an English
// switch, where cán bộ sign in, work through their agency's queue, open a
// dossier's pre-check report, and approve, edit or reject suggestions.
// Operators (operator.go) watch the stages against the SLA, retry or discard
// dead letters, activate pipeline versions and read the shadow report. It
// also provides RequireAPIAuth, which authenticates the JSON API with the
// same sessions or with API tokens.
//
// Every view of a dossier and every action is written to the hash-chained
// audit log. An official sees only the dossiers of their own agency, an
// administrator those of every agency (the agencies table names them, and
// administrators edit it); the operator pages are service-wide, as the
// service they run is. Times are shown in Vietnam time (workcal.Show).
package web

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/shadow"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/citizen"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/deadletter"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/httpsec"
	"github.com/hoso-vn/hoso/internal/param"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/workcal"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Defaults.
const (
	DefaultAuditSampleRate = 0.10 // share of high-confidence pre-checks put in front of reviewers
	DefaultHighConfidence  = 0.90 // minimum document confidence that counts as "high"
)

// Reviewer performs the review actions (internal/review's *Service). It
// enforces roles and four-eyes approval and writes its own audit entries in
// the same transaction as the change; errors carry dossier codes
// (CodeForbidden, CodeNotFound, CodeConflict, CodeInvalid).
type Reviewer interface {
	Approve(ctx context.Context, suggestionID string, by Actor, reason string, editedText *string) (dossier.Suggestion, error)
	Reject(ctx context.Context, suggestionID string, by Actor, reason string) (dossier.Suggestion, error)
	Edit(ctx context.Context, suggestionID string, by Actor, text string) (dossier.Suggestion, error)
}

// FileSource opens a document's stored bytes (the NATS object store).
type FileSource interface {
	Open(ctx context.Context, dossierID, documentID string) (io.ReadCloser, string, error)
}

// Article is one article of a regulation, as the console shows it.
type Article struct {
	Document string // normalised số hiệu, e.g. 123/2015/NĐ-CP
	DocTitle string
	Number   int
	Title    string
	Text     string
}

// ArticleSource looks up the text of an article (internal/regulation). It
// returns an error with dossier.CodeNotFound when the article is unknown.
type ArticleSource interface {
	Article(ctx context.Context, document string, number int) (Article, error)
}

// ProcedureSource looks up the version of a procedure in force at a date,
// for its name and statutory processing time (internal/catalog's *Store). An
// error with CodeNotFound is not fatal.
type ProcedureSource interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
}

// Deps are the services behind the console. Pool is required; a nil Review
// makes suggestion actions answer 503, a nil Files hides the inline viewer,
// a nil Regulations reads the regulation tables (SQLArticles), a nil
// Procedures takes names and processing times from the catalog's current
// versions (procedure_names). Reports are read by internal/report.Load.
type Deps struct {
	Pool        *pgxpool.Pool
	Log         *slog.Logger
	Review      Reviewer
	Files       FileSource
	Regulations ArticleSource
	Procedures  ProcedureSource
	// OIDC enables "Đăng nhập bằng SSO"; nil offers local accounts only.
	OIDC *auth.OIDC
	// Registry gives each dossier's pipeline version, whose
	// thresholds.high_confidence and audit_rate pick the pre-checks put in
	// front of reviewers for audit; nil uses Config's.
	Registry pipelinedef.Registry
	// Pages renders PDF pages as images for the dossier page; nil uses
	// pdftoppm when it is installed, else the browser's inline PDF viewer.
	Pages PageRenderer
	// DeadLetters lists and resolves dead letters for operators; nil uses
	// &deadletter.Service{Pool: Pool}, whose retry re-arms the dossier in
	// PostgreSQL for the reconciler to publish.
	DeadLetters *deadletter.Service
	// Pipelines holds the stored pipeline versions; nil is
	// pipelinestore.New(Pool).
	Pipelines *pipelinestore.Store
	// Shadow runs and reports the shadow candidate; nil shows the shadow
	// page as not configured (its report needs the replay engine).
	Shadow *shadow.Service
	// Citizens signs citizens in on the citizen page (citizen.go); nil
	// issues codes without sending them (the demo prints the link).
	Citizens *citizen.Service
	// CitizenOIDC enables the citizen page's "Đăng nhập bằng tài khoản định
	// danh" (an OpenID Connect provider such as VNeID); its ID tokens must
	// carry CitizenIDClaim (default auth.DefaultCitizenIDClaim), the
	// citizen's personal ID number. nil offers one-time codes only.
	CitizenOIDC    *auth.OIDC
	CitizenIDClaim string
	// Corrections records officials' corrections of a pre-check (the
	// dossier page's forms); nil hides them.
	Corrections Corrector
}

// Config are the console's settings.
type Config struct {
	// SecureCookies forces the Secure attribute even on plain HTTP requests
	// (behind a TLS-terminating proxy). Requests over TLS always get it.
	SecureCookies bool
	// IdleTimeout ends a session after this long without a request.
	IdleTimeout time.Duration
	// MaxAge ends every session this long after sign-in.
	MaxAge time.Duration
	// AuditSampleRate (0..1) is the share of high-confidence pre-checks that
	// the queue flags for a reviewer's audit, when no Deps.Registry gives
	// the dossier's pipeline version (whose audit_rate wins).
	AuditSampleRate float64
	// HighConfidence is the lowest document confidence counted as high.
	HighConfidence float64
	// StuckAfter is the stages page's default SLA: how long a dossier may
	// wait in one stage (config.Config.StuckAfter); 0 is
	// config.DefaultStuckAfter.
	StuckAfter time.Duration
	// ShadowGate is the promotion rule the shadow page applies; the zero
	// Gate is shadow.DefaultGate, as hoso shadow report.
	ShadowGate shadow.Gate
	// Now is the clock; nil is time.Now.
	Now func() time.Time

	// Page rendering (zero: the Default* constants of pages.go).
	RenderMaxPixels   int64         // HOSO_RENDER_MAX_PIXELS: pixels of one rendered page
	RenderMemoryBytes uint64        // HOSO_RENDER_MEMORY_BYTES: RLIMIT_DATA of pdfinfo/pdftoppm
	RenderConcurrency int           // HOSO_RENDER_CONCURRENCY: renders at once
	RenderWait        time.Duration // HOSO_RENDER_WAIT: wait for a render slot before 503
	RenderCacheBytes  int64         // HOSO_RENDER_CACHE_BYTES: rendered pages kept
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (HOSO_TRUSTED_PROXIES); sign-in throttling counts per
	// client address, and behind a proxy every client would otherwise
	// share the proxy's. Requests from elsewhere keep their own address,
	// whatever X-Forwarded-For they carry.
	TrustedProxies []netip.Prefix
}

// ConfigFrom takes the console's settings from c (HOSO_SECURE_COOKIES,
// HOSO_SESSION_IDLE, HOSO_SESSION_MAX_AGE, HOSO_AUDIT_SAMPLE_RATE,
// HOSO_TRUSTED_PROXIES, the page-rendering limits HOSO_RENDER_* of
// docs/reliability.md, and HOSO_STUCK_AFTER); config.Load has checked them.
func ConfigFrom(c config.Config) Config {
	return Config{
		SecureCookies: c.SecureCookies, IdleTimeout: c.SessionIdle, MaxAge: c.SessionMaxAge,
		AuditSampleRate: c.AuditSampleRate, HighConfidence: DefaultHighConfidence, StuckAfter: c.StuckAfter,
		RenderMaxPixels: c.RenderMaxPixels, RenderMemoryBytes: c.RenderMemoryBytes, RenderConcurrency: c.RenderConcurrency,
		RenderWait: c.RenderWait, RenderCacheBytes: c.RenderCacheBytes, TrustedProxies: c.TrustedProxies,
	}
}

// clientAddr is the address of the client behind r: RemoteAddr, or, when
// RemoteAddr is a trusted proxy, the rightmost X-Forwarded-For entry that is
// not one (entries left of it could be forged by the client).
func (c *Console) clientAddr(r *http.Request) string {
	trusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.Trim(strings.TrimSpace(s), "[]"))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range c.cfg.TrustedProxies {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if len(c.cfg.TrustedProxies) == 0 || !trusted(host) {
		return r.RemoteAddr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" || trusted(h) {
			continue
		}
		if _, err := netip.ParseAddr(strings.Trim(h, "[]")); err != nil {
			break // garbage: keep the proxy's address
		}
		return h
	}
	return r.RemoteAddr
}

// Console serves the officials' pages.
type Console struct {
	d     Deps
	cfg   Config
	log   *slog.Logger
	users *auth.Store
	cal   *workcal.Calendar
	pages map[string]map[string]*template.Template // lang → page → template
	mux   *http.ServeMux
	gate  *renderGate
	cit   citizenSite // the citizen page (citizen.go)
}

// New builds the console. Pool is required.
func New(d Deps, cfg Config) (*Console, error) {
	if d.Pool == nil {
		return nil, errors.New("web: Deps.Pool is required")
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = auth.DefaultIdleTimeout
	}
	if cfg.MaxAge == 0 {
		cfg.MaxAge = auth.DefaultMaxAge
	}
	if cfg.HighConfidence == 0 {
		cfg.HighConfidence = DefaultHighConfidence
	}
	if cfg.AuditSampleRate < 0 || cfg.AuditSampleRate > 1 {
		return nil, fmt.Errorf("web: AuditSampleRate %v must be in [0, 1]", cfg.AuditSampleRate)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Console{d: d, cfg: cfg, log: d.Log, cal: workcal.Vietnam()}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.d.Pages == nil {
		if p, ok := NewPdftoppm(); ok {
			p.MaxPixels, p.MemoryBytes = cfg.RenderMaxPixels, cfg.RenderMemoryBytes
			c.d.Pages = p
		}
	}
	c.gate = newRenderGate(cmp.Or(cfg.RenderConcurrency, DefaultRenderConcurrency), cmp.Or(cfg.RenderWait, DefaultRenderWait),
		cmp.Or(cfg.RenderCacheBytes, DefaultRenderCacheBytes))
	if c.d.Regulations == nil {
		c.d.Regulations = SQLArticles{Pool: d.Pool}
	}
	c.users = auth.NewStore(d.Pool)
	c.users.IdleTimeout, c.users.MaxAge, c.users.Now = cfg.IdleTimeout, cfg.MaxAge, cfg.Now
	if err := c.parseTemplates(); err != nil {
		return nil, err
	}
	if err := c.initCitizen(); err != nil {
		return nil, err
	}
	if err := c.parseIndicators(); err != nil {
		return nil, err
	}
	c.mux = http.NewServeMux()
	c.routes()
	return c, nil
}

// Users returns the account store the console uses.
func (c *Console) Users() *auth.Store { return c.users }

// Handler returns the console's routes (mount at "/"): /console/…, /static/…
// and a redirect from / to the queue.
// Responses are gzipped (Compress); unknown addresses and panics get the
// styled Vietnamese 404 and 500 pages.
func (c *Console) Handler() http.Handler {
	return Compress(httpsec.Headers(param.Middleware(c.recoverPanic(c.mux), c.fail)))
}

func (c *Console) routes() {
	m := c.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/queue", http.StatusSeeOther)
	})
	m.HandleFunc("GET /console/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/console/queue", http.StatusSeeOther)
	})
	m.HandleFunc("/", c.notFound)
	m.HandleFunc("GET /console/login", c.handleLoginPage)
	m.HandleFunc("POST /console/login", c.handleLogin)
	m.HandleFunc("GET /console/oidc/login", c.handleOIDCLogin)
	m.HandleFunc("GET /console/oidc/callback", c.handleOIDCCallback)
	m.HandleFunc("GET /console/lang/{lang}", c.handleLang)

	m.Handle("POST /console/logout", c.signedIn(c.handleLogout))
	m.Handle("GET /console/queue", c.signedIn(c.operatorHome(c.needAny(c.handleQueue, auth.RoleReviewer, auth.RoleApprover))))
	m.Handle("GET /console/dossiers/{id}", c.signedIn(c.needAny(c.handleDossier, auth.RoleReviewer, auth.RoleApprover)))
	m.Handle("GET /console/dossiers/{id}/receipt.pdf", c.signedIn(c.needAny(c.handleReceipt, auth.RoleReviewer, auth.RoleApprover)))
	m.Handle("POST /console/dossiers/{id}/audit-sample", c.signedIn(c.needAny(c.handleAuditSample, auth.RoleReviewer, auth.RoleApprover)))
	m.Handle("GET /console/documents/{id}/file", c.signedIn(c.needAny(c.handleFile, auth.RoleReviewer, auth.RoleApprover)))
	m.Handle("GET /console/documents/{id}/pages/{n}", c.signedIn(c.needAny(c.handlePage, auth.RoleReviewer, auth.RoleApprover)))
	m.Handle("POST /console/dossiers/{id}/corrections", c.signedIn(c.needAny(c.handleCorrect, auth.RoleReviewer, auth.RoleApprover)))
	m.Handle("POST /console/suggestions/{id}/{action}", c.signedIn(c.needAny(c.handleSuggestion, auth.RoleReviewer, auth.RoleApprover)))
	m.Handle("GET /console/regulations/{document}/{article}", c.signedIn(c.handleRegulation))
	m.Handle("GET /console/audit", c.signedIn(c.needAny(c.handleAuditLog, auth.RoleAdmin)))
	m.Handle("GET /console/users", c.signedIn(c.needAny(c.handleUsers, auth.RoleAdmin)))
	m.Handle("POST /console/users", c.signedIn(c.needAny(c.handleAddUser, auth.RoleAdmin)))
	m.Handle("POST /console/users/{id}", c.signedIn(c.needAny(c.handleUpdateUser, auth.RoleAdmin)))
	m.Handle("GET /console/agencies", c.signedIn(c.needAny(c.handleAgencies, auth.RoleAdmin)))
	m.Handle("POST /console/agencies", c.signedIn(c.needAny(c.handlePutAgency, auth.RoleAdmin)))

	// Operators (operator or admin; operator.go).
	m.Handle("GET /console/ops", c.signedIn(c.needOperator(c.handleOps)))
	m.Handle("GET /console/dlq", c.signedIn(c.needOperator(c.handleDLQ)))
	m.Handle("GET /console/dlq/{id}", c.signedIn(c.needOperator(c.handleDLQLetter)))
	m.Handle("POST /console/dlq/{id}/retry", c.signedIn(c.needOperator(c.handleDLQAction(true))))
	m.Handle("POST /console/dlq/{id}/discard", c.signedIn(c.needOperator(c.handleDLQAction(false))))
	m.Handle("GET /console/pipelines", c.signedIn(c.needOperator(c.handlePipelines)))
	m.Handle("GET /console/pipelines/{label}", c.signedIn(c.needOperator(c.handlePipeline)))
	m.Handle("POST /console/pipelines/{label}/activate", c.signedIn(c.needOperator(c.handleActivate)))
	m.Handle("GET /console/shadow", c.signedIn(c.needOperator(c.handleShadow)))
	m.Handle("POST /console/shadow/start", c.signedIn(c.needOperator(c.handleShadowStart)))
	m.Handle("POST /console/shadow/stop", c.signedIn(c.needOperator(c.handleShadowStop)))

	c.citizenRoutes()   // the citizen page (citizen.go)
	c.indicatorRoutes() // the Programme's indicators (indicators.go)
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
