package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != DefaultDatabaseURL || c.NATSURL != "" || c.MaxFiles != DefaultMaxFiles || c.LLMConfigured() {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestValidateNamesTheBadVariable(t *testing.T) {
	t.Parallel()
	cases := map[string]map[string]string{
		"DATABASE_URL":           {"DATABASE_URL": "mysql://x"},
		"NATS_URL":               {"NATS_URL": "localhost"},
		"HOSO_MAX_FILES":         {"HOSO_MAX_FILES": "many"},
		"HOSO_STUCK_AFTER":       {"HOSO_STUCK_AFTER": "soon"},
		"OPENAI_BASE_URL":        {"OPENAI_BASE_URL": "not a url"},
		"HOSO_MAX_DOSSIER_BYTES": {"HOSO_MAX_DOSSIER_BYTES": "10", "HOSO_MAX_FILE_BYTES": "100"},
		"HOSO_NATS_REPLICAS":     {"HOSO_NATS_REPLICAS": "2"},
		"HOSO_METRICS_ADDR":      {"HOSO_METRICS_ADDR": "9090"},
		"HOSO_METRICS_TOKEN":     {"HOSO_METRICS_TOKEN": "short"},
	}
	for name, m := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Load(env(m))
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("err = %v, want it to name %s", err, name)
			}
		})
	}
}

func TestMetricsSettings(t *testing.T) {
	t.Parallel()
	c, err := Load(env(map[string]string{"HOSO_METRICS_ADDR": "10.0.0.5:9090", "HOSO_METRICS_TOKEN": "mot-ma-du-dai-cho-prometheus"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "10.0.0.5:9090" || c.MetricsToken != "mot-ma-du-dai-cho-prometheus" {
		t.Fatalf("metrics settings: %q %q", c.MetricsAddr, c.MetricsToken)
	}
	if _, err := Load(env(map[string]string{"HOSO_METRICS_ADDR": DefaultHTTPAddr})); err == nil || !strings.Contains(err.Error(), "HOSO_METRICS_ADDR") {
		t.Fatalf("metrics on the HTTP address: %v", err)
	}
}

// TestDataDirIsAbsolute: the embedded NATS store never depends on the
// working directory of the command that reads the configuration, so `hoso
// submit` run from anywhere finds the store of the running `hoso serve`.
func TestDataDirIsAbsolute(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		want string // "" checks only that it is absolute
	}{
		{"Unset", map[string]string{"HOME": "/home/canbo"}, "/home/canbo/.local/state/hoso"},
		{"XDGStateHome", map[string]string{"HOME": "/home/canbo", "XDG_STATE_HOME": "/var/lib/canbo"}, "/var/lib/canbo/hoso"},
		{"RelativeXDGIgnored", map[string]string{"HOME": "/home/canbo", "XDG_STATE_HOME": "state"}, "/home/canbo/.local/state/hoso"},
		{"Absolute", map[string]string{"HOSO_DATA_DIR": "/srv/hoso"}, "/srv/hoso"},
		{"Relative", map[string]string{"HOSO_DATA_DIR": ".hoso"}, ""},
		{"NoHomeInEnv", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Load(env(c.env))
			if err != nil {
				t.Fatal(err)
			}
			if !filepath.IsAbs(cfg.DataDir) || (c.want != "" && cfg.DataDir != c.want) {
				t.Fatalf("DataDir = %q, want absolute %q", cfg.DataDir, c.want)
			}
		})
	}
}

func TestSigningKeyAndCertTogether(t *testing.T) {
	if _, err := Load(env(map[string]string{"HOSO_SIGNING_KEY": "k.pem"})); err == nil || !strings.Contains(err.Error(), "HOSO_SIGNING_CERT") {
		t.Fatalf("key without cert: %v", err)
	}
	c, err := Load(env(map[string]string{"HOSO_SIGNING_KEY": "k.pem", "HOSO_SIGNING_CERT": "c.pem", "HOSO_TRUST_CRLS": "a.crl, b.crl"}))
	if err != nil || c.SigningKey != "k.pem" || len(c.TrustCRLs) != 2 || c.TrustCRLs[1] != "b.crl" {
		t.Fatalf("%v %+v", err, c)
	}
}
