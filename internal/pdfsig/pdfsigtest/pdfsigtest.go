// Package pdfsigtest makes certificate authorities, signing certificates and
// small PDFs for tests of signature verification. Nothing here is a fake:
// the keys are real ECDSA P-256 keys and the certificates real X.509.
package pdfsigtest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"encoding/pem"

	"github.com/go-pdf/fpdf"
)

// CA is a root certificate with its key.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// Leaf is a signing certificate issued by a CA.
type Leaf struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

var serial int64 = 1000

func next() *big.Int { serial++; return big.NewInt(serial) }

// NewCA creates a self-signed root valid from notBefore to notAfter.
func NewCA(t testing.TB, cn string, notBefore, notAfter time.Time) *CA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: next(), Subject: pkix.Name{CommonName: cn, Organization: []string{"hoso test"}, Country: []string{"VN"}},
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &CA{Cert: c, Key: key}
}

// Issue creates a signing certificate for subject.
func (ca *CA) Issue(t testing.TB, subject pkix.Name, notBefore, notAfter time.Time) *Leaf {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: next(), Subject: subject, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.Cert, key.Public(), ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &Leaf{Cert: c, Key: key}
}

// CRL writes a CRL of ca revoking serials at revokedAt into dir and
// returns its path.
func (ca *CA) CRL(t testing.TB, dir string, revokedAt time.Time, certs ...*x509.Certificate) string {
	t.Helper()
	var entries []x509.RevocationListEntry
	for _, c := range certs {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: revokedAt})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: next(), ThisUpdate: revokedAt,
		NextUpdate: revokedAt.AddDate(1, 0, 0), RevokedCertificateEntries: entries}, ca.Cert, ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "ca.crl")
	if err := os.WriteFile(p, der, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// PEM writes the CA's certificate as a PEM bundle into dir and returns its path.
func (ca *CA) PEM(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "roots.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// PDF returns a one-page PDF holding text (Latin-1 core font).
func PDF(t testing.TB, text string) []byte {
	t.Helper()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(false)
	f.AddPage()
	f.SetFont("Helvetica", "", 12)
	f.Cell(40, 10, text)
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
