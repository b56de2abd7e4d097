// Package config provides hoso's one Config struct: every setting, its
// default, where it is read from (environment variables), and Validate, which
// names the bad field before any consumer binds.
package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults.
const (
	DefaultDatabaseURL     = "postgres://root@127.0.0.1:5432/hoso?sslmode=disable"
	DefaultHTTPAddr        = "127.0.0.1:8080"
	DefaultDataDir         = ".hoso"
	DefaultStreamPrefix    = "HOSO"
	DefaultMaxFiles        = 20
	DefaultMaxFileBytes    = 20 << 20  // 20 MiB
	DefaultMaxDossierBytes = 100 << 20 // 100 MiB
	DefaultStuckAfter      = 10 * time.Minute
	DefaultLLMTimeout      = 60 * time.Second
	DefaultAgency          = "ubnd-phuong-demo" // the demo's receiving agency
)

// Config is the whole configuration of a hoso process.
type Config struct {
	// DatabaseURL (DATABASE_URL) is the PostgreSQL system of record.
	DatabaseURL string
	// NATSURL (NATS_URL) is the JetStream server; empty starts an embedded
	// server that stores in DataDir/nats.
	NATSURL string
	// NATSReplicas (HOSO_NATS_REPLICAS) is the stream replication factor:
	// 1 for one server, 3 for a JetStream cluster.
	NATSReplicas int
	// HTTPAddr (HOSO_HTTP_ADDR) is where the API and console listen.
	HTTPAddr string
	// DataDir (HOSO_DATA_DIR) holds the embedded NATS server's storage.
	DataDir string
	// StreamPrefix (HOSO_STREAM_PREFIX) prefixes stream, subject and durable
	// names, so that tests and several deployments can share one server.
	StreamPrefix string
	// Pipeline (HOSO_PIPELINE) is the pipeline definition file; empty uses
	// the embedded pipelines/default.yaml.
	Pipeline string
	// SharedData (HOSO_SHARED_DATA) is the directory of the public data sets
	// (../shared/data); empty looks for it beside the working directory.
	SharedData string

	// Submission limits.
	MaxFiles        int   // HOSO_MAX_FILES
	MaxFileBytes    int64 // HOSO_MAX_FILE_BYTES
	MaxDossierBytes int64 // HOSO_MAX_DOSSIER_BYTES

	// StuckAfter (HOSO_STUCK_AFTER) is how long a dossier may wait in one
	// stage before the reconciler re-publishes it.
	StuckAfter time.Duration

	// OpenAI-compatible endpoint (OPENAI_BASE_URL, OPENAI_API_KEY,
	// OPENAI_MODEL, OPENAI_EMBEDDING_MODEL). Empty BaseURL and APIKey keep
	// every task on the local provider.
	OpenAIBaseURL        string
	OpenAIAPIKey         string
	OpenAIModel          string
	OpenAIEmbeddingModel string
	LLMTimeout           time.Duration // HOSO_LLM_TIMEOUT

	// SessionSecret (HOSO_SESSION_SECRET) signs console sessions; empty
	// generates one per process (sessions do not survive a restart).
	SessionSecret string
	// OIDC (HOSO_OIDC_ISSUER, HOSO_OIDC_CLIENT_ID, HOSO_OIDC_CLIENT_SECRET,
	// HOSO_OIDC_REDIRECT_URL) enables sign-in with an external provider.
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	OIDCRedirectURL  string
	// DefaultAgency (HOSO_DEFAULT_AGENCY) receives dossiers submitted
	// without an agency.
	DefaultAgency string
	// LogLevel (HOSO_LOG_LEVEL): debug, info, warn, error.
	LogLevel string

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
}

// Load reads the configuration from getenv, applying defaults.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:          or(getenv("DATABASE_URL"), DefaultDatabaseURL),
		NATSURL:              getenv("NATS_URL"),
		HTTPAddr:             or(getenv("HOSO_HTTP_ADDR"), DefaultHTTPAddr),
		DataDir:              or(getenv("HOSO_DATA_DIR"), DefaultDataDir),
		StreamPrefix:         or(getenv("HOSO_STREAM_PREFIX"), DefaultStreamPrefix),
		Pipeline:             getenv("HOSO_PIPELINE"),
		SharedData:           getenv("HOSO_SHARED_DATA"),
		OpenAIBaseURL:        getenv("OPENAI_BASE_URL"),
		OpenAIAPIKey:         getenv("OPENAI_API_KEY"),
		OpenAIModel:          getenv("OPENAI_MODEL"),
		OpenAIEmbeddingModel: getenv("OPENAI_EMBEDDING_MODEL"),
		SessionSecret:        getenv("HOSO_SESSION_SECRET"),
		OIDCIssuer:           getenv("HOSO_OIDC_ISSUER"),
		OIDCClientID:         getenv("HOSO_OIDC_CLIENT_ID"),
		OIDCClientSecret:     getenv("HOSO_OIDC_CLIENT_SECRET"),
		OIDCRedirectURL:      getenv("HOSO_OIDC_REDIRECT_URL"),
		DefaultAgency:        or(getenv("HOSO_DEFAULT_AGENCY"), DefaultAgency),
		LogLevel:             or(getenv("HOSO_LOG_LEVEL"), "info"),
		TrustStore:           getenv("HOSO_TRUST_STORE"),
		SigningKey:           getenv("HOSO_SIGNING_KEY"),
		SigningCert:          getenv("HOSO_SIGNING_CERT"),
		SigningP12:           getenv("HOSO_SIGNING_P12"),
		SigningP12Password:   getenv("HOSO_SIGNING_P12_PASSWORD"),
	}
	for _, p := range strings.Split(getenv("HOSO_TRUST_CRLS"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustCRLs = append(c.TrustCRLs, p)
		}
	}
	var err error
	if c.NATSReplicas, err = intVar(getenv, "HOSO_NATS_REPLICAS", 1); err != nil {
		return c, err
	}
	if c.MaxFiles, err = intVar(getenv, "HOSO_MAX_FILES", DefaultMaxFiles); err != nil {
		return c, err
	}
	var n int
	if n, err = intVar(getenv, "HOSO_MAX_FILE_BYTES", DefaultMaxFileBytes); err != nil {
		return c, err
	}
	c.MaxFileBytes = int64(n)
	if n, err = intVar(getenv, "HOSO_MAX_DOSSIER_BYTES", DefaultMaxDossierBytes); err != nil {
		return c, err
	}
	c.MaxDossierBytes = int64(n)
	if c.StuckAfter, err = durVar(getenv, "HOSO_STUCK_AFTER", DefaultStuckAfter); err != nil {
		return c, err
	}
	if c.LLMTimeout, err = durVar(getenv, "HOSO_LLM_TIMEOUT", DefaultLLMTimeout); err != nil {
		return c, err
	}
	return c, c.Validate()
}

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
	if c.StuckAfter < time.Second {
		return fmt.Errorf("config: HOSO_STUCK_AFTER must be at least 1s, got %s", c.StuckAfter)
	}
	if c.OpenAIBaseURL != "" {
		if u, err := url.Parse(c.OpenAIBaseURL); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("config: OPENAI_BASE_URL %q is not an http(s) URL", c.OpenAIBaseURL)
		}
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

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func intVar(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("config: %s=%q is not an integer", name, v)
	}
	return n, nil
}

func durVar(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("config: %s=%q is not a duration like 10m", name, v)
	}
	return d, nil
}
