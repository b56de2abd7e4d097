package signing

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/workcal"
)

func demoKeys(t *testing.T) (*Keys, string) {
	t.Helper()
	dir := t.TempDir()
	k, created, err := EnsureDemo(dir, "UBND phường Ba Đình")
	if err != nil || !created {
		t.Fatal(err, created)
	}
	again, created, err := EnsureDemo(dir, "UBND phường Ba Đình")
	if err != nil || created || !again.Cert.Equal(k.Cert) {
		t.Fatalf("second EnsureDemo: %v %v", err, created)
	}
	return k, dir
}

// The receipt renders Vietnamese that pdftotext reads back, carries a PAdES
// signature that pdfsig and hoso's verifier accept, and a one-byte change
// breaks it.
func TestReceiptSignedAndReadable(t *testing.T) {
	if _, err := font(); err != nil {
		t.Skip(err)
	}
	k, dir := demoKeys(t)
	received := time.Date(2026, 12, 4, 9, 0, 0, 0, workcal.Location)
	r := ReceiptData{DossierID: "HS20261204T090000-ABCDEF12", Agency: "UBND phường Ba Đình", ProcedureCode: "1.001193",
		ProcedureName: "Thủ tục đăng ký khai sinh", Applicant: "Nguyễn Thị Lan", ReceivedAt: received,
		DueAt: workcal.Vietnam().AddWorkingDays(received, 3), Documents: []string{"Giấy chứng sinh", "Tờ khai đăng ký khai sinh"}, Official: "canbo.badinh"}
	pdf, err := k.SignReceipt(r)
	if err != nil {
		t.Fatal(err)
	}
	trust, err := pdfsig.LoadTrust(filepath.Join(dir, DemoCAFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := pdfsig.Verify(pdf, pdfsig.Options{Trust: trust})
	if err != nil || len(rep.Signatures) != 1 {
		t.Fatal(err, rep)
	}
	if s := rep.Signatures[0]; !s.Valid || !s.CoversWholeFile || s.Trust != pdfsig.TrustTrusted || s.Signer.CommonName != "UBND phường Ba Đình" {
		t.Fatalf("%+v", s)
	}
	p := filepath.Join(t.TempDir(), "receipt.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Thủ tục đăng ký khai sinh", "Nguyễn Thị Lan", "Giấy chứng sinh", "09/12/2026"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("pdftotext lacks %q:\n%s", want, out)
			}
		}
	}
	if _, err := exec.LookPath("pdfsig"); err == nil {
		out, _ := exec.Command("pdfsig", "-nocert", p).CombinedOutput()
		if !strings.Contains(string(out), "Signature is Valid") || !strings.Contains(string(out), "Total document signed") {
			t.Fatalf("pdfsig:\n%s", out)
		}
	}
	bad := bytes.Clone(pdf)
	bad[len(bad)/3] ^= 1
	rep, _ = pdfsig.Verify(bad, pdfsig.Options{Trust: trust})
	if len(rep.Signatures) == 1 && rep.Signatures[0].Valid {
		t.Fatal("one-byte change still valid")
	}
}

func TestSignJSONCanonical(t *testing.T) {
	k, dir := demoKeys(t)
	a, sig, err := k.SignJSON(map[string]any{"b": 1, "a": "Hà <Nội>"})
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != `{"a":"Hà <Nội>","b":1}` {
		t.Fatalf("canonical %s", a)
	}
	trust, _ := pdfsig.LoadTrust(filepath.Join(dir, DemoCAFile), nil)
	if _, tr, err := pdfsig.VerifyDetached(a, sig, trust); err != nil || tr != pdfsig.TrustTrusted {
		t.Fatal(err, tr)
	}
	b := bytes.Clone(a)
	b[3] ^= 1
	if _, _, err := pdfsig.VerifyDetached(b, sig, trust); err == nil {
		t.Fatal("changed JSON verifies")
	}
}

// The agency key loads from PEM files and from PKCS#12 (made here by
// openssl from the same key).
func TestLoadPEMAndPKCS12(t *testing.T) {
	k, dir := demoKeys(t)
	key, cert := filepath.Join(dir, DemoKeyFile), filepath.Join(dir, DemoCertFile)
	pk, err := Load(key, cert, "", "")
	if err != nil || !pk.Cert.Equal(k.Cert) || len(pk.Chain) != 1 {
		t.Fatalf("PEM: %v", err)
	}
	if _, err := Load(key, "", "", ""); err == nil {
		t.Fatal("key without certificate accepted")
	}
	if k, err := Load("", "", "", ""); k != nil || err != nil {
		t.Fatal("nothing configured must be nil, nil")
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	p12 := filepath.Join(dir, "agency.p12")
	out, err := exec.Command("openssl", "pkcs12", "-export", "-legacy", "-inkey", key, "-in", cert, "-out", p12, "-passout", "pass:bí-mật").CombinedOutput()
	if err != nil {
		out, err = exec.Command("openssl", "pkcs12", "-export", "-inkey", key, "-in", cert, "-out", p12, "-passout", "pass:bí-mật",
			"-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1").CombinedOutput()
	}
	if err != nil {
		t.Skipf("openssl pkcs12: %v %s", err, out)
	}
	p, err := Load("", "", p12, "bí-mật")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Cert.Equal(k.Cert) {
		t.Fatal("PKCS#12 certificate differs")
	}
	if _, _, err := p.SignJSON(map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
}
