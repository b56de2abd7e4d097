// Package config provides hoso's one Config struct: every setting, its
// default, where it is read from (environment variables), and Validate, which
// names the bad field before any consumer binds.
package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Defaults.
const (
	DefaultDatabaseURL     = "postgres://root@127.0.0.1:5432/hoso?sslmode=disable"
	DefaultHTTPAddr        = "127.0.0.1:8080"
	DefaultStreamPrefix    = "HOSO"
	DefaultMaxFiles        = 20
	DefaultMaxFileBytes    = 20 << 20  // 20 MiB
	DefaultMaxDossierBytes = 100 << 20 // 100 MiB
	DefaultStuckAfter      = 10 * time.Minute
	DefaultLLMTimeout      = 60 * time.Second
	DefaultAgency          = "ubnd-phuong-ba-dinh" // the demo's receiving agency (a code of the agencies table)
)

// Config is the whole configuration of a hoso process. Every field is read
// from one environment variable declared in Vars (vars.go), which holds its
// name, default and meaning; packages receive these values, they never read
// the environment themselves.
type Config struct {
	DatabaseURL  string // DATABASE_URL
	NATSURL      string // NATS_URL; empty starts an embedded server in DataDir/nats
	NATSReplicas int    // HOSO_NATS_REPLICAS
	HTTPAddr     string // HOSO_HTTP_ADDR
	MetricsAddr  string // HOSO_METRICS_ADDR
	MetricsToken string // HOSO_METRICS_TOKEN
	// DataDir (HOSO_DATA_DIR) holds the embedded NATS server's storage. It
	// is always absolute: unset, it is $XDG_STATE_HOME/hoso or
	// ~/.local/state/hoso, never the working directory, so that every hoso
	// command of a user reaches the same store from any directory; a
	// relative value is resolved against the working directory at start.
	DataDir      string
	StreamPrefix string // HOSO_STREAM_PREFIX
	Pipeline     string // HOSO_PIPELINE; empty: the embedded internal/pipelinedef/default.yaml
	SharedData   string // HOSO_SHARED_DATA

	// Submission limits.
	MaxFiles        int   // HOSO_MAX_FILES
	MaxFileBytes    int64 // HOSO_MAX_FILE_BYTES
	MaxDossierBytes int64 // HOSO_MAX_DOSSIER_BYTES

	StuckAfter    time.Duration // HOSO_STUCK_AFTER
	DefaultAgency string        // HOSO_DEFAULT_AGENCY
	LogLevel      string        // HOSO_LOG_LEVEL: debug, info, warn, error
	LogFormat     string        // HOSO_LOG_FORMAT: json, text
	Token         string        // HOSO_TOKEN
	User          string        // USER: who runs an operator command, when --by is not given

	// OpenAI-compatible endpoint. Empty BaseURL and APIKey keep every task
	// on the local provider.
	OpenAIBaseURL        string        // OPENAI_BASE_URL
	OpenAIAPIKey         string        // OPENAI_API_KEY
	OpenAIModel          string        // OPENAI_MODEL
	OpenAIEmbeddingModel string        // OPENAI_EMBEDDING_MODEL
	OpenAIAPIVersion     string        // OPENAI_API_VERSION (Azure)
	OpenAIAPIType        string        // OPENAI_API_TYPE: "", openai or azure
	LLMTimeout           time.Duration // HOSO_LLM_TIMEOUT
	LLMRedact            string        // HOSO_LLM_REDACT: "" (on unless loopback), on, off
	LLMMaxConcurrent     int           // HOSO_LLM_MAX_CONCURRENT; 0: the provider's default
	// LLMDossierTokenBudget (HOSO_LLM_DOSSIER_TOKEN_BUDGET): tokens a
	// dossier may spend on remote models; 0 is no limit.
	LLMDossierTokenBudget int64
	LLMResponseFormat     string // HOSO_LLM_RESPONSE_FORMAT: json_schema, json_object, none
	LLMEmbeddingDim       int    // HOSO_LLM_EMBEDDING_DIM; 0: known from the model name

	// Console.
	SecureCookies   bool           // HOSO_SECURE_COOKIES
	SessionIdle     time.Duration  // HOSO_SESSION_IDLE
	SessionMaxAge   time.Duration  // HOSO_SESSION_MAX_AGE
	AuditSampleRate float64        // HOSO_AUDIT_SAMPLE_RATE, 0..1
	TrustedProxies  []netip.Prefix // HOSO_TRUSTED_PROXIES
	// Page rendering (docs/reliability.md).
	RenderMaxPixels   int64         // HOSO_RENDER_MAX_PIXELS
	RenderMemoryBytes uint64        // HOSO_RENDER_MEMORY_BYTES
	RenderConcurrency int           // HOSO_RENDER_CONCURRENCY
	RenderWait        time.Duration // HOSO_RENDER_WAIT
	RenderCacheBytes  int64         // HOSO_RENDER_CACHE_BYTES

	// Sign-in with an external OpenID Connect provider; an empty issuer
	// disables it.
	OIDCIssuer       string   // HOSO_OIDC_ISSUER
	OIDCClientID     string   // HOSO_OIDC_CLIENT_ID
	OIDCClientSecret string   // HOSO_OIDC_CLIENT_SECRET
	OIDCRedirectURL  string   // HOSO_OIDC_REDIRECT_URL
	OIDCAgencyClaim  string   // HOSO_OIDC_AGENCY_CLAIM
	OIDCRolesClaim   string   // HOSO_OIDC_ROLES_CLAIM
	OIDCRolePrefix   string   // HOSO_OIDC_ROLE_PREFIX
	OIDCScopes       []string // HOSO_OIDC_SCOPES, space separated

	CitizenOIDCIssuer       string // HOSO_CITIZEN_OIDC_ISSUER
	CitizenOIDCClientID     string // HOSO_CITIZEN_OIDC_CLIENT_ID
	CitizenOIDCClientSecret string // HOSO_CITIZEN_OIDC_CLIENT_SECRET
	CitizenOIDCRedirectURL  string // HOSO_CITIZEN_OIDC_REDIRECT_URL
	CitizenOIDCIDClaim      string // HOSO_CITIZEN_OIDC_ID_CLAIM

	// Tracing.
	Trace              string // HOSO_TRACE: "" or stdout
	OTLPEndpoint       string // OTEL_EXPORTER_OTLP_ENDPOINT
	OTLPTracesEndpoint string // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
	OTELServiceName    string // OTEL_SERVICE_NAME

	// EvalKeepSchema (HOSO_EVAL_KEEP_SCHEMA) keeps an evaluation's database
	// schema for inspection instead of dropping it.
	EvalKeepSchema bool

	// TrustStore (HOSO_TRUST_STORE) is a PEM bundle of the root
	// certificates whose signatures on submitted PDFs are trusted (the
	// Vietnamese public CAs, configured by the operator: nothing is
	// fetched); empty trusts none. TrustCRLs (HOSO_TRUST_CRLS, comma
	// separated) are CRL files (PEM or DER) that mark certificates revoked.
	TrustStore string
	TrustCRLs  []string

	// The agency key that signs receipts, pre-check reports, decisions and
	// messages: PEM key and certificate (HOSO_SIGNING_KEY,
	// HOSO_SIGNING_CERT; the certificate file may hold the chain), or a
	// PKCS#12 file (HOSO_SIGNING_P12, HOSO_SIGNING_P12_PASSWORD). Unset:
	// nothing is signed, except in `hoso demo`, which makes demo keys.
	SigningKey         string
	SigningCert        string
	SigningP12         string
	SigningP12Password string

	set map[string]bool // variables given a value in the environment
}

// Load reads every variable of Vars from getenv, applying defaults, then
// validates the whole; an error names the bad variable.
func Load(getenv func(string) string) (Config, error) {
	c := Config{set: map[string]bool{}}
	for _, v := range Vars {
		val := getenv(v.Name)
		if val != "" {
			c.set[v.Name] = true
		} else {
			val = v.Default
		}
		if err := v.parse(&c, val, getenv); err != nil {
			return c, fmt.Errorf("config: %s=%q: %w", v.Name, val, err)
		}
	}
	return c, c.Validate()
}

// IsSet reports whether the environment gave the variable a value (false
// when it took its default).
func (c Config) IsSet(name string) bool { return c.set[name] }

// Validate checks every field and names the first bad one.
func (c Config) Validate() error {
	if _, err := url.Parse(c.DatabaseURL); err != nil || !strings.HasPrefix(c.DatabaseURL, "postgres") {
		return fmt.Errorf("config: DATABASE_URL %q is not a postgres:// URL", c.DatabaseURL)
	}
	if c.NATSURL != "" && !strings.Contains(c.NATSURL, "://") {
		return fmt.Errorf("config: NATS_URL %q must look like nats://host:4222", c.NATSURL)
	}
	if c.NATSReplicas != 1 && c.NATSReplicas != 3 && c.NATSReplicas != 5 {
		return fmt.Errorf("config: HOSO_NATS_REPLICAS must be 1, 3 or 5, got %d", c.NATSReplicas)
	}
	if c.MaxFiles <= 0 {
		return fmt.Errorf("config: HOSO_MAX_FILES must be positive, got %d", c.MaxFiles)
	}
	if c.MaxFileBytes <= 0 || c.MaxDossierBytes < c.MaxFileBytes {
		return fmt.Errorf("config: HOSO_MAX_DOSSIER_BYTES (%d) must be ≥ HOSO_MAX_FILE_BYTES (%d) > 0", c.MaxDossierBytes, c.MaxFileBytes)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("config: HOSO_METRICS_ADDR %q must be host:port, like 127.0.0.1:9090", c.MetricsAddr)
		}
		if c.MetricsAddr == c.HTTPAddr {
			return fmt.Errorf("config: HOSO_METRICS_ADDR %q must differ from HOSO_HTTP_ADDR (leave it empty to serve /metrics there)", c.MetricsAddr)
		}
	}
	if c.MetricsToken != "" && (len(c.MetricsToken) < 16 || strings.TrimSpace(c.MetricsToken) != c.MetricsToken) {
		return fmt.Errorf("config: HOSO_METRICS_TOKEN must be at least 16 characters without surrounding spaces")
	}
	if c.StuckAfter < time.Second {
		return fmt.Errorf("config: HOSO_STUCK_AFTER must be at least 1s, got %s", c.StuckAfter)
	}
	if c.OpenAIBaseURL != "" {
		if u, err := url.Parse(c.OpenAIBaseURL); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("config: OPENAI_BASE_URL %q is not an http(s) URL", c.OpenAIBaseURL)
		}
	}
	if c.CitizenOIDCIssuer != "" && (c.CitizenOIDCClientID == "" || c.CitizenOIDCRedirectURL == "") {
		return fmt.Errorf("config: HOSO_CITIZEN_OIDC_ISSUER needs HOSO_CITIZEN_OIDC_CLIENT_ID and HOSO_CITIZEN_OIDC_REDIRECT_URL")
	}
	if (c.SigningKey == "") != (c.SigningCert == "") {
		return fmt.Errorf("config: HOSO_SIGNING_KEY and HOSO_SIGNING_CERT must be set together")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: HOSO_LOG_LEVEL %q must be debug, info, warn or error", c.LogLevel)
	}
	return nil
}

// LLMConfigured reports whether an OpenAI-compatible endpoint is configured.
func (c Config) LLMConfigured() bool { return c.OpenAIBaseURL != "" || c.OpenAIAPIKey != "" }

// dataDir resolves HOSO_DATA_DIR (d) to an absolute path, defaulting to the
// user's state directory (XDG base directories: a relative XDG_STATE_HOME is
// ignored).
func dataDir(d string, getenv func(string) string) (string, error) {
	if d == "" {
		base := getenv("XDG_STATE_HOME")
		if !filepath.IsAbs(base) {
			home := getenv("HOME")
			if home == "" {
				home, _ = os.UserHomeDir()
			}
			if home == "" {
				return "", fmt.Errorf("unset and the home directory is unknown; set HOSO_DATA_DIR to an absolute path")
			}
			base = filepath.Join(home, ".local", "state")
		}
		d = filepath.Join(base, "hoso")
	}
	return filepath.Abs(d)
}
