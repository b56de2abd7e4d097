package pdfsig_test

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/pdfsig/pdfsigtest"
)

var agency = pkix.Name{CommonName: "UBND phường Ba Đình", Organization: []string{"UBND phường Ba Đình"}, Locality: []string{"Hà Nội"}, Country: []string{"VN"}}

func signed(t *testing.T, ca *pdfsigtest.CA, leaf *pdfsigtest.Leaf) []byte {
	t.Helper()
	out, err := pdfsig.Sign(pdfsigtest.PDF(t, "Giay tiep nhan"), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert,
		Chain: []*x509.Certificate{ca.Cert}, Name: "Cán bộ một cửa", Reason: "Tiếp nhận hồ sơ", Location: "Hà Nội"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func one(t *testing.T, data []byte, trust *pdfsig.Trust) pdfsig.Signature {
	t.Helper()
	rep, err := pdfsig.Verify(data, pdfsig.Options{Trust: trust})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Signatures) != 1 {
		t.Fatalf("%d signatures, want 1: %+v", len(rep.Signatures), rep)
	}
	return rep.Signatures[0]
}

func hasCode(s pdfsig.Signature, c pdfsig.Code) bool {
	for _, e := range s.Errors {
		if e.Code == c {
			return true
		}
	}
	return false
}

// A CA made here signs a PDF: trusted; bytes appended → not the whole file;
// one byte flipped inside the signed range → invalid.
func TestSignVerifyAppendFlip(t *testing.T) {
	now := time.Now()
	ca := pdfsigtest.NewCA(t, "hoso test root", now.Add(-time.Hour), now.AddDate(5, 0, 0))
	leaf := ca.Issue(t, agency, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	dir := t.TempDir()
	trust, err := pdfsig.LoadTrust(ca.PEM(t, dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	data := signed(t, ca, leaf)

	s := one(t, data, trust)
	if !s.Valid || s.Trust != pdfsig.TrustTrusted || !s.CoversWholeFile || len(s.Errors) != 0 {
		t.Fatalf("fresh signature: %+v", s)
	}
	if s.Signer.CommonName != "UBND phường Ba Đình" || s.Signer.DN != "CN=UBND phường Ba Đình,O=UBND phường Ba Đình,L=Hà Nội,C=VN" ||
		s.Signer.Organization != "UBND phường Ba Đình" || s.Hash != "SHA-256" || s.SubFilter != "adbe.pkcs7.detached" || s.Field != "Signature1" {
		t.Fatalf("signer fields: %+v", s)
	}
	if s.Reason != "Tiếp nhận hồ sơ" || s.SigningTime == "" {
		t.Fatalf("reason/time: %+v", s)
	}

	// Untrusted without the root in the store.
	if s := one(t, data, nil); !s.Valid || s.Trust != pdfsig.TrustUntrusted {
		t.Fatalf("no trust store: %+v", s)
	}

	appended := append(bytes.Clone(data), []byte("\n% added after signing\n")...)
	s = one(t, appended, trust)
	if s.CoversWholeFile || !s.Valid || !hasCode(s, pdfsig.CodeNotWholeFile) {
		t.Fatalf("appended: %+v", s)
	}

	flipped := bytes.Clone(data)
	i := bytes.Index(flipped, []byte("Giay tiep nhan"))
	flipped[i] ^= 0x01
	s = one(t, flipped, trust)
	if s.Valid || !hasCode(s, pdfsig.CodeDigest) {
		t.Fatalf("flipped: %+v", s)
	}
}

func TestTrustExpiredRevoked(t *testing.T) {
	now := time.Now()
	ca := pdfsigtest.NewCA(t, "hoso test root", now.AddDate(-3, 0, 0), now.AddDate(5, 0, 0))
	dir := t.TempDir()
	roots := ca.PEM(t, dir)

	// A certificate that expired before the signature was made.
	old := ca.Issue(t, agency, now.AddDate(-2, 0, 0), now.AddDate(-1, 0, 0))
	trust, _ := pdfsig.LoadTrust(roots, nil)
	if s := one(t, signed(t, ca, old), trust); !s.Valid || s.Trust != pdfsig.TrustExpired {
		t.Fatalf("expired at signing: %+v", s)
	}

	leaf := ca.Issue(t, agency, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	data := signed(t, ca, leaf)
	crl := ca.CRL(t, dir, now.Add(-time.Minute), leaf.Cert)
	rtrust, err := pdfsig.LoadTrust(roots, []string{crl})
	if err != nil {
		t.Fatal(err)
	}
	if s := one(t, data, rtrust); !s.Valid || s.Trust != pdfsig.TrustRevoked {
		t.Fatalf("revoked: %+v", s)
	}
	// Revoked only after signing: the signature stays trusted.
	later := ca.CRL(t, dir, now.Add(time.Hour), leaf.Cert)
	ltrust, _ := pdfsig.LoadTrust(roots, []string{later})
	if s := one(t, data, ltrust); s.Trust != pdfsig.TrustTrusted {
		t.Fatalf("revoked after signing: %+v", s)
	}
}

// Hostile signature dictionaries are typed errors, never panics.
func TestHostileSignatures(t *testing.T) {
	now := time.Now()
	ca := pdfsigtest.NewCA(t, "root", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	leaf := ca.Issue(t, agency, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	data := signed(t, ca, leaf)
	brRe := regexp.MustCompile(`/ByteRange \[[0-9 ]+\]`)
	br := brRe.Find(data)
	replaceBR := func(nb string) []byte {
		return bytes.Replace(bytes.Clone(data), br, []byte(nb+strings.Repeat(" ", len(br)-len(nb))), 1)
	}
	cases := map[string]struct {
		data []byte
		code pdfsig.Code
	}{
		"outside the file": {replaceBR("/ByteRange [0 10 99999999 5]"), pdfsig.CodeByteRange},
		"negative":         {replaceBR("/ByteRange [0 -5 10 5]"), pdfsig.CodeByteRange},
		"not from zero":    {replaceBR("/ByteRange [7 10 20 5]"), pdfsig.CodeByteRange},
		"gap not contents": {replaceBR("/ByteRange [0 100 200 50]"), pdfsig.CodeContents},
	}
	// Garbage CMS of the same length.
	ci := bytes.Index(data, []byte("/Contents <")) + len("/Contents <")
	garbage := bytes.Clone(data)
	copy(garbage[ci:], bytes.Repeat([]byte("AB"), 64))
	cases["garbage CMS"] = struct {
		data []byte
		code pdfsig.Code
	}{garbage, pdfsig.CodeCMS}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := one(t, c.data, nil)
			if s.Valid || !hasCode(s, c.code) {
				t.Fatalf("want %s: %+v", c.code, s)
			}
		})
	}
	// A /Contents above the limit.
	rep, err := pdfsig.Verify(data, pdfsig.Options{MaxContentsBytes: 100})
	if err != nil || len(rep.Signatures) != 1 || !hasCode(rep.Signatures[0], pdfsig.CodeTooLarge) {
		t.Fatalf("huge contents: %v %+v", err, rep)
	}
	if _, err := pdfsig.Verify([]byte("not a pdf"), pdfsig.Options{}); err == nil {
		t.Fatal("want ErrNotPDF")
	}
}

func FuzzVerify(f *testing.F) {
	now := time.Now()
	ca := pdfsigtest.NewCA(f, "root", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	leaf := ca.Issue(f, agency, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	data, err := pdfsig.Sign(pdfsigtest.PDF(f, "x"), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/AcroForm<</Fields[<</FT/Sig/V<</ByteRange[0 1 2 3]/Contents<3082>>>>>]>>>>endobj\ntrailer<</Root 1 0 R>>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = pdfsig.Verify(b, pdfsig.Options{}) // must not panic or hang
	})
}

// The signed PDFs in ../shared give the signers, times and validity that
// poppler's pdfsig gives (FACTS.md, "Digital signatures").
func TestSharedPDFsMatchPdfsig(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "pdfs-vn-gov")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared absent")
	}
	type want struct {
		field, cn, dn, time, hash string
		ranges                    [2][2]int64
		whole, valid              bool
		code                      pdfsig.Code // expected error, besides chain
	}
	c07 := "CN=C07,OU=V01,O=BỘ CÔNG AN,L=Hà Nội,C=VN"
	vpcpG2 := "E=thongtinchinhphu@chinhphu.vn,UID=MST:0102357802,UID=MNS:1032158,CN=CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ,O=VĂN PHÒNG CHÍNH PHỦ,L=Hà Nội,C=VN"
	vpcp := "CN=Cổng Thông tin điện tử Chính phủ,L=Hà Nội,O=Văn phòng Chính phủ,C=VN"
	cn07, cnG2, cnV := "C07", "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "Cổng Thông tin điện tử Chính phủ"
	// From `pdfsig -nocert FILE` (poppler 22.12, TZ=UTC); ranges as
	// [start, end] pairs the way pdfsig prints them.
	files := map[string][]want{
		"van-ban-P62243_signed-scan.pdf": {
			{"Signature1", cn07, c07, "2025-07-23T06:51:24Z", "SHA-256", [2][2]int64{{0, 973955}, {998725, 1017344}}, false, true, pdfsig.CodeNotWholeFile},
			{"Signature2", cn07, c07, "2025-07-23T06:51:32Z", "SHA-256", [2][2]int64{{0, 1018002}, {1042772, 1060960}}, false, true, pdfsig.CodeNotWholeFile},
			{"Signature3", cn07, c07, "2025-07-23T06:51:39Z", "SHA-256", [2][2]int64{{0, 1061618}, {1086388, 1104212}}, false, true, pdfsig.CodeNotWholeFile},
			{"Signature4", cn07, c07, "2025-07-23T06:51:55Z", "SHA-256", [2][2]int64{{0, 1360702}, {1385472, 1387517}}, false, true, pdfsig.CodeNotWholeFile},
			{"Signature5", cn07, c07, "2025-07-23T06:52:01Z", "SHA-256", [2][2]int64{{0, 1644007}, {1668777, 1670822}}, true, true, ""},
		},
		"nd-154-2024-ND-CP-cu-tru_scan.pdf":                 {{"Signature1", cnG2, vpcpG2, "2024-11-27T15:57:05Z", "SHA-256", [2][2]int64{{0, 844579}, {869349, 906827}}, true, true, ""}},
		"tt-51-2025-TT-BCA-dang-ky-xe_scan.pdf":             {{"Signature1", cnG2, vpcpG2, "2025-07-09T08:44:48Z", "SHA-256", [2][2]int64{{0, 178678}, {203448, 241476}}, true, true, ""}},
		"tt-53-2025-TT-BCA-cu-tru_scan.pdf":                 {{"Signature1", cnG2, vpcpG2, "2025-07-14T15:58:35Z", "SHA-256", [2][2]int64{{0, 728534}, {753304, 791617}}, true, true, ""}},
		"nd-45-2020-ND-CP-tthc-moi-truong-dien-tu_scan.pdf": {{"Signature1", cnV, vpcp, "2020-04-09T09:53:38Z", "SHA1", [2][2]int64{{0, 1320719}, {1340721, 1389874}}, true, true, ""}},
		"tt-66-2023-TT-BCA-cu-tru_scan.pdf":                 {{"Signature1", cnV, vpcp, "2023-12-12T09:17:54Z", "SHA-256", [2][2]int64{{0, 999096}, {1023866, 1060144}}, true, true, ""}},
		// pdfsig: "Illegal values in ByteRange array", signature not
		// verified. pdfsig then shows /M (02:03:59Z); hoso still reads the
		// CMS, whose signingTime says 09:04:00Z: the signing tool wrote
		// local time as UTC there.
		"luat-20-2023-QH15-giao-dich-dien-tu_congbao.pdf": {{"Signature3", cnV, vpcp, "2023-08-03T09:04:00Z", "SHA-256", [2][2]int64{{0, 3605230}, {3630000, 3669439}}, false, false, pdfsig.CodeByteRange}},
		"luat-26-2023-QH15-can-cuoc_congbao.pdf":          {{"Signature5", cnG2, vpcpG2, "2024-01-23T16:15:47Z", "SHA-256", [2][2]int64{{0, 12494132}, {12518902, 12560197}}, false, false, pdfsig.CodeByteRange}},
	}
	for name, ws := range files {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := pdfsig.Verify(data, pdfsig.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Signatures) != len(ws) {
				t.Fatalf("%d signatures, want %d", len(rep.Signatures), len(ws))
			}
			for i, w := range ws {
				s := rep.Signatures[i]
				got := [2][2]int64{}
				for j, r := range s.ByteRanges[:2] {
					got[j] = [2]int64{r[0], r[0] + r[1]}
				}
				if s.Field != w.field || s.Signer.CommonName != w.cn || s.Signer.DN != w.dn || s.SigningTime != w.time ||
					s.Hash != w.hash || got != w.ranges || s.CoversWholeFile != w.whole || s.Valid != w.valid || s.SubFilter != "adbe.pkcs7.detached" {
					t.Errorf("signature %d:\n got %+v\nwant %+v", i+1, s, w)
				}
				if name == "luat-20-2023-QH15-giao-dich-dien-tu_congbao.pdf" && s.PDFSigningTime != "2023-08-03T02:03:59Z" {
					t.Errorf("/M %s, pdfsig shows 2023-08-03 02:03:59", s.PDFSigningTime)
				}
				if name == "van-ban-P62243_signed-scan.pdf" && s.LaterRevisionSigned != (i < 4) {
					t.Errorf("signature %d: later_revision_signed %v", i+1, s.LaterRevisionSigned)
				}
				if w.code != "" && !hasCode(s, w.code) {
					t.Errorf("signature %d: want error %s in %+v", i+1, w.code, s.Errors)
				}
				if w.valid && s.Trust != pdfsig.TrustUntrusted {
					t.Errorf("signature %d: trust %s without a Vietnamese root configured", i+1, s.Trust)
				}
			}
		})
	}
	// Unsigned files have no signatures.
	data, _ := os.ReadFile(filepath.Join(dir, "nd-65-2018-ND-CP-duong-sat.pdf"))
	if rep, err := pdfsig.Verify(data, pdfsig.Options{}); err != nil || len(rep.Signatures) != 0 {
		t.Fatalf("unsigned: %v %+v", err, rep)
	}
}

// poppler's pdfsig accepts what Sign writes.
func TestPopplerAcceptsOurSignature(t *testing.T) {
	if _, err := exec.LookPath("pdfsig"); err != nil {
		t.Skip("pdfsig (poppler-utils) not installed")
	}
	now := time.Now()
	ca := pdfsigtest.NewCA(t, "root", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	leaf := ca.Issue(t, agency, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	p := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(p, signed(t, ca, leaf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("pdfsig", "-nocert", p).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid") || !strings.Contains(string(out), "Total document signed") ||
		!strings.Contains(string(out), "UBND phường Ba Đình") {
		t.Fatalf("pdfsig:\n%s", out)
	}
}
