package service_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/pdfsig/pdfsigtest"
	"github.com/hoso-vn/hoso/internal/pdftext/pdftexttest"
	"github.com/hoso-vn/hoso/internal/submission"
)

// The extract stage records each PDF's signatures on the document (report
// documents[].signatures); a document modified after signing and a forged
// signature are findings citing Luật Giao dịch điện tử 20/2023/QH15.
func TestSignaturesInPrecheck(t *testing.T) {
	t.Parallel()
	now := time.Now()
	ca := pdfsigtest.NewCA(t, "Root CA thử nghiệm", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	leaf := ca.Issue(t, pkix.Name{CommonName: "Bệnh viện Phụ sản Hà Nội", Organization: []string{"Sở Y tế Hà Nội"}}, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	sign := func(text string) []byte {
		b, err := pdfsig.Sign(pdftexttest.Simple(text), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert, Chain: []*x509.Certificate{ca.Cert}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	good := sign("GIAY CHUNG SINH Ho ten me: NGUYEN THI LAN")
	appended := append(sign("GIAY CHUNG SINH Ho ten me: TRAN THI MAI"), "\n%% edited later\n"...)
	forged := sign("TO KHAI DANG KY KHAI SINH Nguoi yeu cau: LE VAN AN")
	i := bytes.Index(forged, []byte("LE VAN AN"))
	forged[i] = 'X'

	sys := systemtest.New(t)
	sys.Config.TrustStore = ca.PEM(t, t.TempDir())
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	res, err := svc.Submission.Submit(ctx, submission.Request{ProcedureCode: "1.001193", ApplicantID: "079090001234",
		Files: []submission.File{{Name: "giay-chung-sinh.pdf", Data: good}, {Name: "sua.pdf", Data: appended}, {Name: "to-khai.pdf", Data: forged}}})
	if err != nil {
		t.Fatal(err)
	}
	r := systemtest.Wait(t, svc, res.DossierID)[0]
	byName := map[string]dossier.Document{}
	for _, d := range r.Documents {
		byName[d.Filename] = d
	}
	if s := byName["giay-chung-sinh.pdf"].Signatures; len(s) != 1 || !s[0].Valid || s[0].Trust != pdfsig.TrustTrusted ||
		!s[0].CoversWholeFile || s[0].Signer.CommonName != "Bệnh viện Phụ sản Hà Nội" {
		t.Fatalf("good: %+v\n%s", s, dump(r))
	}
	if s := byName["sua.pdf"].Signatures; len(s) != 1 || s[0].CoversWholeFile || !s[0].Valid {
		t.Fatalf("appended: %+v", s)
	}
	if s := byName["to-khai.pdf"].Signatures; len(s) != 1 || s[0].Valid {
		t.Fatalf("forged: %+v", s)
	}
	find := func(key string) *dossier.Finding {
		for i, f := range r.Findings {
			if f.Key == key {
				return &r.Findings[i]
			}
		}
		return nil
	}
	mod := find("document:" + byName["sua.pdf"].ID + ":signature:modified")
	bad := find("document:" + byName["to-khai.pdf"].ID + ":signature:Signature1")
	if mod == nil || bad == nil || mod.Citations[0].Document != "20/2023/QH15" || bad.Status != dossier.FindingInvalid {
		t.Fatalf("findings: modified %+v, forged %+v\n%s", mod, bad, dump(r))
	}
	if f := find("document:" + byName["giay-chung-sinh.pdf"].ID + ":signature:Signature1"); f != nil {
		t.Fatalf("a trusted whole-file signature is no finding: %+v", f)
	}
	// Stored once: the findings table holds each signature finding once.
	if n := sys.Count(`SELECT count(*) FROM findings WHERE dossier_id = $1 AND key LIKE '%:signature:%'`, res.DossierID); n != 2 {
		t.Fatalf("%d signature findings stored, want 2", n)
	}
}
