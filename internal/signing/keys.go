// Package signing signs what hoso produces with the agency's key: the
// receipt of an accepted dossier ("Giấy tiếp nhận hồ sơ và hẹn trả kết
// quả", a PDF with a PAdES signature inside), each pre-check report, each
// official's decision and each message released to a citizen (canonical
// JSON with a detached CMS signature, naming the official), and the audit
// chain's head once a day. Records live in signed_records (migration
// 00014); Verify checks every signature of a dossier again.
//
// Keys come from configuration (HOSO_SIGNING_KEY + HOSO_SIGNING_CERT as
// PEM, or HOSO_SIGNING_P12 + HOSO_SIGNING_P12_PASSWORD); `hoso demo`
// creates a local demo CA and agency certificate in the data directory on
// first run (EnsureDemo).
package signing

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/pkcs12"
)

// Keys are the agency's signing key, its certificate and the chain above it.
type Keys struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate
}

// Load reads the agency key: PEM key and certificate (the certificate file
// may hold the chain after the agency certificate), or a PKCS#12 file.
func Load(keyPath, certPath, p12Path, p12Password string) (*Keys, error) {
	switch {
	case p12Path != "":
		b, err := os.ReadFile(p12Path)
		if err != nil {
			return nil, fmt.Errorf("signing key: %w", err)
		}
		// ToPEM, not Decode: Decode refuses a file that carries the chain.
		blocks, err := pkcs12.ToPEM(b, p12Password)
		if err != nil {
			return nil, fmt.Errorf("signing key %s: %w", p12Path, err)
		}
		k := &Keys{}
		var certs []*x509.Certificate
		for _, blk := range blocks {
			switch blk.Type {
			case "PRIVATE KEY":
				if k.Key, err = parseKey(pem.EncodeToMemory(blk)); err != nil {
					return nil, fmt.Errorf("signing key %s: %w", p12Path, err)
				}
			case "CERTIFICATE":
				c, err := x509.ParseCertificate(blk.Bytes)
				if err != nil {
					return nil, fmt.Errorf("signing key %s: %w", p12Path, err)
				}
				certs = append(certs, c)
			}
		}
		if k.Key == nil || len(certs) == 0 {
			return nil, fmt.Errorf("signing key %s: no key and certificate inside", p12Path)
		}
		for _, c := range certs {
			if pub, ok := c.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); ok && pub.Equal(k.Key.Public()) {
				k.Cert = c
			} else {
				k.Chain = append(k.Chain, c)
			}
		}
		if k.Cert == nil {
			return nil, fmt.Errorf("signing key %s: no certificate for the key", p12Path)
		}
		return k, nil
	case keyPath != "" && certPath != "":
		kb, err := os.ReadFile(keyPath)
		if err != nil {
			return nil, fmt.Errorf("signing key: %w", err)
		}
		cb, err := os.ReadFile(certPath)
		if err != nil {
			return nil, fmt.Errorf("signing certificate: %w", err)
		}
		key, err := parseKey(kb)
		if err != nil {
			return nil, fmt.Errorf("signing key %s: %w", keyPath, err)
		}
		var certs []*x509.Certificate
		for {
			var blk *pem.Block
			if blk, cb = pem.Decode(cb); blk == nil {
				break
			}
			if blk.Type != "CERTIFICATE" {
				continue
			}
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("signing certificate %s: %w", certPath, err)
			}
			certs = append(certs, c)
		}
		if len(certs) == 0 {
			return nil, fmt.Errorf("signing certificate %s: no PEM CERTIFICATE", certPath)
		}
		return &Keys{Key: key, Cert: certs[0], Chain: certs[1:]}, nil
	case keyPath != "" || certPath != "":
		return nil, errors.New("signing: HOSO_SIGNING_KEY and HOSO_SIGNING_CERT go together")
	}
	return nil, nil
}

func parseKey(b []byte) (crypto.Signer, error) {
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, errors.New("no PEM block")
	}
	// The block type is not to be trusted (pkcs12.ToPEM labels SEC 1 EC
	// keys "PRIVATE KEY"): try each encoding.
	var k any
	var err error
	if k, err = x509.ParsePKCS8PrivateKey(blk.Bytes); err != nil {
		if ec, eerr := x509.ParseECPrivateKey(blk.Bytes); eerr == nil {
			k, err = ec, nil
		} else if rsa, rerr := x509.ParsePKCS1PrivateKey(blk.Bytes); rerr == nil {
			k, err = rsa, nil
		}
	}
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("not a signing key")
	}
	return s, nil
}

// Demo file names in the data directory's signing/ folder.
const (
	DemoCAFile   = "demo-ca.pem"     // the demo root: put it in HOSO_TRUST_STORE to trust hoso's own signatures
	DemoCertFile = "agency-cert.pem" // agency certificate followed by the demo root
	DemoKeyFile  = "agency-key.pem"
)

// EnsureDemo returns the demo agency keys in dir (DataDir/signing),
// creating a demo CA and an agency certificate for agency on first run;
// created says whether it did. The demo CA is for local trials only: a
// real deployment configures the agency's certificate from a Vietnamese CA.
func EnsureDemo(dir, agency string) (*Keys, bool, error) {
	keyPath, certPath := filepath.Join(dir, DemoKeyFile), filepath.Join(dir, DemoCertFile)
	if _, err := os.Stat(keyPath); err == nil {
		k, err := Load(keyPath, certPath, "", "")
		return k, false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, err
	}
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, false, err
	}
	serial := func() *big.Int { n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62)); return n }
	caTpl := &x509.Certificate{SerialNumber: serial(),
		Subject:   pkix.Name{CommonName: "hoso demo CA (chỉ dùng thử / demo only)", Organization: []string{"hoso demo"}, Country: []string{"VN"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTpl, caTpl, caKey.Public(), caKey)
	if err != nil {
		return nil, false, err
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, false, err
	}
	tpl := &x509.Certificate{SerialNumber: serial(),
		Subject:   pkix.Name{CommonName: agency, Organization: []string{agency}, Locality: []string{"Hà Nội"}, Country: []string{"VN"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(3, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca, key.Public(), caKey)
	if err != nil {
		return nil, false, err
	}
	cert, _ := x509.ParseCertificate(der)
	kd, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, false, err
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	certPEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), caPEM...)
	for name, b := range map[string][]byte{DemoCAFile: caPEM, DemoCertFile: certPEM} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return nil, false, err
		}
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd}), 0o600); err != nil {
		return nil, false, err
	}
	return &Keys{Key: key, Cert: cert, Chain: []*x509.Certificate{ca}}, true, nil
}

// EnsureDemoIfPresent loads the demo keys that `hoso demo` created in dir;
// nil when there are none.
func EnsureDemoIfPresent(dir string) (*Keys, bool, error) {
	if _, err := os.Stat(filepath.Join(dir, DemoKeyFile)); err != nil {
		return nil, false, nil
	}
	k, err := Load(filepath.Join(dir, DemoKeyFile), filepath.Join(dir, DemoCertFile), "", "")
	return k, false, err
}
