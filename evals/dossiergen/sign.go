package dossiergen

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"

	"github.com/hoso-vn/hoso/internal/pdfsig"
)

// Tamperings of a rendered file.
const (
	// TamperAppendedAfterSigning: the PDF is signed (PAdES, a real ECDSA
	// key and certificate made here) and bytes are then appended, so no
	// signature covers the whole file.
	TamperAppendedAfterSigning = "appended_after_signing"
)

// signThenAppend signs pdf as the issuing hospital and appends an
// incremental update after the signature.
func signThenAppend(pdf []byte, signer string, at time.Time) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(at.Unix()), Subject: pkix.Name{CommonName: signer, Country: []string{"VN"}},
		NotBefore: at.AddDate(-1, 0, 0), NotAfter: at.AddDate(2, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	signed, err := pdfsig.Sign(pdf, pdfsig.SignOptions{Key: key, Cert: cert, Name: signer, Reason: "Xác nhận giấy chứng sinh", Time: at})
	if err != nil {
		return nil, err
	}
	// What an edit after signing leaves: a new object and trailer bytes
	// the signature does not cover.
	return append(signed, []byte("\n% sửa sau khi ký\n9999 0 obj\n<< /Tampered true >>\nendobj\n")...), nil
}
