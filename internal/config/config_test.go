package config

import (
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

func TestSigningKeyAndCertTogether(t *testing.T) {
	if _, err := Load(env(map[string]string{"HOSO_SIGNING_KEY": "k.pem"})); err == nil || !strings.Contains(err.Error(), "HOSO_SIGNING_CERT") {
		t.Fatalf("key without cert: %v", err)
	}
	c, err := Load(env(map[string]string{"HOSO_SIGNING_KEY": "k.pem", "HOSO_SIGNING_CERT": "c.pem", "HOSO_TRUST_CRLS": "a.crl, b.crl"}))
	if err != nil || c.SigningKey != "k.pem" || len(c.TrustCRLs) != 2 || c.TrustCRLs[1] != "b.crl" {
		t.Fatalf("%v %+v", err, c)
	}
}
