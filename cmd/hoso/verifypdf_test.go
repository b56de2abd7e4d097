package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/pdfsig/pdfsigtest"
)

// hoso verify-pdf runs the verifier in the extraction sandbox and prints the
// JSON of the issue; appended bytes and a flipped byte fail it.
func TestVerifyPDFCommand(t *testing.T) {
	now := time.Now()
	ca := pdfsigtest.NewCA(t, "hoso test root", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	leaf := ca.Issue(t, pkix.Name{CommonName: "UBND phường Ba Đình", Organization: []string{"UBND"}}, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	dir := t.TempDir()
	roots := ca.PEM(t, dir)
	data, err := pdfsig.Sign(pdfsigtest.PDF(t, "Giay tiep nhan"), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert, Chain: []*x509.Certificate{ca.Cert}})
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	verify := func(path string) (map[string][]map[string]any, error) {
		getenv := func(k string) string { return map[string]string{"HOSO_TRUST_STORE": roots}[k] }
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"verify-pdf", "--json", path}, getenv, strings.NewReader(""), &out, &errb)
		var rep map[string][]map[string]any
		if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil {
			t.Fatalf("%v\n%s\n%s", jerr, out.String(), errb.String())
		}
		return rep, err
	}
	rep, err := verify(write("ok.pdf", data))
	if err != nil {
		t.Fatal(err)
	}
	s := rep["signatures"][0]
	for _, k := range []string{"field", "signer", "signing_time", "hash", "sub_filter", "byte_ranges", "covers_whole_file", "valid", "trust", "errors"} {
		if _, ok := s[k]; !ok {
			t.Errorf("JSON lacks %q: %v", k, s)
		}
	}
	if s["trust"] != "trusted" || s["valid"] != true || s["covers_whole_file"] != true || s["signer"].(map[string]any)["common_name"] != "UBND phường Ba Đình" {
		t.Fatalf("fresh: %v", s)
	}

	rep, err = verify(write("appended.pdf", append(bytes.Clone(data), "\n%% appended\n"...)))
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 1 || rep["signatures"][0]["covers_whole_file"] != false {
		t.Fatalf("appended: %v %v", err, rep)
	}
	flipped := bytes.Clone(data)
	flipped[bytes.Index(flipped, []byte("Giay"))] ^= 1
	rep, err = verify(write("flipped.pdf", flipped))
	if !errors.As(err, &ee) || ee.code != 1 || rep["signatures"][0]["valid"] != false {
		t.Fatalf("flipped: %v %v", err, rep)
	}
}
