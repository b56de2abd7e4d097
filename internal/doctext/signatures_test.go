package doctext

import (
	"bytes"
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/pdfsig/pdfsigtest"
	"github.com/hoso-vn/hoso/internal/pdftext/pdftexttest"
)

// The extract stage's sandbox verifies a PDF's signatures with the trust
// store of its options, and a hostile signature is a typed error there
// rather than a dead stage.
func TestSignaturesInSandbox(t *testing.T) {
	t.Parallel()
	now := time.Now()
	ca := pdfsigtest.NewCA(t, "root", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	leaf := ca.Issue(t, pkix.Name{CommonName: "Sở Tư pháp", Organization: []string{"Sở Tư pháp"}}, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	data, err := pdfsig.Sign(pdftexttest.Simple("Giay khai sinh so 123"), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert, Chain: []*x509.Certificate{ca.Cert}})
	if err != nil {
		t.Fatal(err)
	}
	x := sandboxed(t)
	x.opts.TrustStore = ca.PEM(t, t.TempDir())
	res, err := x.Extract(context.Background(), "ks.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != StatusOK || len(res.Signatures) != 1 {
		t.Fatalf("status %s, signatures %+v (%s)", res.Status, res.Signatures, res.SignatureError)
	}
	if s := res.Signatures[0]; !s.Valid || s.Trust != pdfsig.TrustTrusted || !s.CoversWholeFile || s.Signer.CommonName != "Sở Tư pháp" {
		t.Fatalf("signature %+v", s)
	}

	// A byte range far outside the file, as in the Công báo extracts.
	bad := bytes.Replace(bytes.Clone(data), []byte("/ByteRange [0 "), []byte("/ByteRange [9 "), 1)
	sigs, sigErr, err := x.VerifySignatures(context.Background(), bad)
	if err != nil || sigErr != "" || len(sigs) != 1 || sigs[0].Valid || sigs[0].Errors[0].Code != pdfsig.CodeByteRange {
		t.Fatalf("bad byte range: %v %q %+v", err, sigErr, sigs)
	}
	// A PDF without signatures, and text that is not a PDF.
	if sigs, _, err := x.VerifySignatures(context.Background(), pdftexttest.Simple("x")); err != nil || len(sigs) != 0 {
		t.Fatalf("unsigned: %v %+v", err, sigs)
	}
	if sigs, msg, err := x.VerifySignatures(context.Background(), []byte("hello")); err != nil || len(sigs) != 0 || msg == "" {
		t.Fatalf("not a PDF: %v %q %+v", err, msg, sigs)
	}
}
