// Package config provides hoso's one Config struct: every setting, its
// default, where it is read from (environment variables), and Validate, which
// names the bad field before any consumer binds.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
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
	// MetricsAddr (HOSO_METRICS_ADDR), when set, serves /metrics on this
	// separate listen address (for example an internal interface) and no
	// longer on HTTPAddr.
	MetricsAddr string
	// MetricsToken (HOSO_METRICS_TOKEN), when set, restricts /metrics to
	// requests with "Authorization: Bearer <token>" (Prometheus'
	// authorization.credentials); others get 401. At least 16 characters.
	MetricsToken string
	// DataDir (HOSO_DATA_DIR) holds the embedded NATS server's storage. It
	// is always absolute: unset, it is $XDG_STATE_HOME/hoso or
	// ~/.local/state/hoso, never the working directory, so that every hoso
	// command of a user reaches the same store from any directory; a
	// relative value is resolved against the working directory at start.
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
	// without an agency; service.New refuses to start unless it is an
	// active code of the agencies table (data/agencies).
	DefaultAgency string
	// LogLevel (HOSO_LOG_LEVEL): debug, info, warn, error.
	LogLevel string
	// Token (HOSO_TOKEN) is the API token (`hoso user token`) of the official
	// on whose behalf a CLI command decides (`hoso review`, `hoso citizen
	// accept-dossier`). The environment is preferred to the --token flag: it
	// stays out of process listings and shell history.
	Token string
}

// Load reads the configuration from getenv, applying defaults.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:          or(getenv("DATABASE_URL"), DefaultDatabaseURL),
		NATSURL:              getenv("NATS_URL"),
		HTTPAddr:             or(getenv("HOSO_HTTP_ADDR"), DefaultHTTPAddr),
		MetricsAddr:          getenv("HOSO_METRICS_ADDR"),
		MetricsToken:         getenv("HOSO_METRICS_TOKEN"),
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
		Token:                getenv("HOSO_TOKEN"),
	}
	var err error
	if c.DataDir, err = dataDir(getenv); err != nil {
		return c, err
	}
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
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: HOSO_LOG_LEVEL %q must be debug, info, warn or error", c.LogLevel)
	}
	return nil
}

// LLMConfigured reports whether an OpenAI-compatible endpoint is configured.
func (c Config) LLMConfigured() bool { return c.OpenAIBaseURL != "" || c.OpenAIAPIKey != "" }

// dataDir resolves HOSO_DATA_DIR to an absolute path, defaulting to the
// user's state directory (XDG base directories: a relative XDG_STATE_HOME is
// ignored).
func dataDir(getenv func(string) string) (string, error) {
	d := getenv("HOSO_DATA_DIR")
	if d == "" {
		base := getenv("XDG_STATE_HOME")
		if !filepath.IsAbs(base) {
			home := getenv("HOME")
			if home == "" {
				home, _ = os.UserHomeDir()
			}
			if home == "" {
				return "", fmt.Errorf("config: HOSO_DATA_DIR is unset and the home directory is unknown; set HOSO_DATA_DIR to an absolute path")
			}
			base = filepath.Join(home, ".local", "state")
		}
		d = filepath.Join(base, "hoso")
	}
	abs, err := filepath.Abs(d)
	if err != nil {
		return "", fmt.Errorf("config: HOSO_DATA_DIR %q: %w", d, err)
	}
	return abs, nil
}

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
