package pdfsig

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Trust is a trust store: root certificates (a PEM bundle) and, optionally,
// certificate revocation lists read from files. Nothing is fetched.
type Trust struct {
	roots *x509.CertPool
	n     int
	crls  []*x509.RevocationList
}

// NewTrust builds a trust store from parsed roots and CRLs.
func NewTrust(roots []*x509.Certificate, crls []*x509.RevocationList) *Trust {
	t := &Trust{roots: x509.NewCertPool(), crls: crls}
	for _, c := range roots {
		t.roots.AddCert(c)
		t.n++
	}
	return t
}

// Roots is the number of root certificates.
func (t *Trust) Roots() int {
	if t == nil {
		return 0
	}
	return t.n
}

// LoadTrust reads a PEM bundle of root certificates and CRL files (PEM or
// DER). An empty bundle path gives a store that trusts nothing.
func LoadTrust(bundlePath string, crlPaths []string) (*Trust, error) {
	var roots []*x509.Certificate
	if bundlePath != "" {
		b, err := os.ReadFile(bundlePath)
		if err != nil {
			return nil, fmt.Errorf("trust store: %w", err)
		}
		for {
			var blk *pem.Block
			blk, b = pem.Decode(b)
			if blk == nil {
				break
			}
			if blk.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("trust store %s: %w", bundlePath, err)
			}
			roots = append(roots, c)
		}
		if len(roots) == 0 {
			return nil, fmt.Errorf("trust store %s: no PEM CERTIFICATE block", bundlePath)
		}
	}
	var crls []*x509.RevocationList
	for _, p := range crlPaths {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("CRL: %w", err)
		}
		if blk, _ := pem.Decode(b); blk != nil {
			b = blk.Bytes
		}
		l, err := x509.ParseRevocationList(b)
		if err != nil {
			return nil, fmt.Errorf("CRL %s: %w", p, err)
		}
		crls = append(crls, l)
	}
	return NewTrust(roots, crls), nil
}

// evaluate decides the trust of ee at signing time `when` (zero: now).
// Order: revoked, expired, untrusted, trusted.
func (t *Trust) evaluate(ee *x509.Certificate, certs []*x509.Certificate, when time.Time) (string, *Error) {
	if when.IsZero() {
		when = time.Now()
	}
	inter := x509.NewCertPool()
	for _, c := range certs {
		if c != ee {
			inter.AddCert(c)
		}
	}
	roots := x509.NewCertPool()
	if t != nil {
		roots = t.roots
	}
	chains, err := ee.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: when,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) && inv.Reason == x509.Expired {
		return TrustExpired, errorf(CodeChain, "certificate not valid at signing time %s (valid %s to %s)",
			when.UTC().Format(time.RFC3339), ee.NotBefore.UTC().Format(time.RFC3339), ee.NotAfter.UTC().Format(time.RFC3339))
	}
	if err != nil {
		if when.Before(ee.NotBefore) || when.After(ee.NotAfter) {
			return TrustExpired, errorf(CodeChain, "certificate not valid at signing time %s (valid %s to %s)",
				when.UTC().Format(time.RFC3339), ee.NotBefore.UTC().Format(time.RFC3339), ee.NotAfter.UTC().Format(time.RFC3339))
		}
		return TrustUntrusted, errorf(CodeChain, "issuer not in the trust store: %v", err)
	}
	if t != nil {
		for _, chain := range chains {
			for i := 0; i+1 < len(chain); i++ {
				if r := t.revoked(chain[i], chain[i+1], when); r != nil {
					return TrustRevoked, r
				}
			}
		}
	}
	return TrustTrusted, nil
}

// revoked reports c as revoked when a CRL signed by its issuer lists it
// with a revocation time at or before the signing time. A later revocation
// leaves a signature made while the certificate was good intact.
func (t *Trust) revoked(c, issuer *x509.Certificate, when time.Time) *Error {
	for _, l := range t.crls {
		if l.CheckSignatureFrom(issuer) != nil {
			continue
		}
		for _, e := range l.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(c.SerialNumber) == 0 && !e.RevocationTime.After(when) {
				return errorf(CodeChain, "certificate %s revoked at %s (CRL of %s)", hex.EncodeToString(c.SerialNumber.Bytes()),
					e.RevocationTime.UTC().Format(time.RFC3339), formatDN(issuer.Subject))
			}
		}
	}
	return nil
}

func signerOf(c *x509.Certificate) Signer {
	s := Signer{CommonName: c.Subject.CommonName, DN: formatDN(c.Subject), Issuer: formatDN(c.Issuer),
		NotBefore: c.NotBefore.UTC().Format(time.RFC3339), NotAfter: c.NotAfter.UTC().Format(time.RFC3339)}
	if c.SerialNumber != nil {
		s.Serial = hex.EncodeToString(c.SerialNumber.Bytes())
	}
	if len(c.Subject.Organization) > 0 {
		s.Organization = c.Subject.Organization[0]
	}
	return s
}

var dnNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "STREET", "2.5.4.10": "O",
	"2.5.4.11": "OU", "2.5.4.5": "SERIALNUMBER", "2.5.4.12": "T", "2.5.4.42": "GN", "2.5.4.4": "SN",
	"0.9.2342.19200300.100.1.1": "UID", "0.9.2342.19200300.100.1.25": "DC", "1.2.840.113549.1.9.1": "E",
}

// formatDN writes a name as poppler's pdfsig does: the RDNs last to first,
// with short names (CN, O, UID, E, …) and the values as text.
func formatDN(n pkix.Name) string {
	var parts []string
	for i := len(n.Names) - 1; i >= 0; i-- {
		a := n.Names[i]
		k, ok := dnNames[a.Type.String()]
		if !ok {
			k = a.Type.String()
		}
		parts = append(parts, k+"="+attrValue(a.Value))
	}
	return strings.Join(parts, ",")
}

func attrValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return "#" + hex.EncodeToString(x)
	case asn1.RawValue:
		return "#" + hex.EncodeToString(x.FullBytes)
	}
	return fmt.Sprint(v)
}

// FormatDN is the subject DN of c as pdfsig prints it.
func FormatDN(c *x509.Certificate) string { return formatDN(c.Subject) }
