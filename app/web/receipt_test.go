package web_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/signing"
)

// An official of the dossier's agency downloads the signed receipt from the
// dossier page, byte for byte as signed, and the download is audited; an
// official of another agency is refused (and that is audited too), and a
// dossier without a signed receipt has no link and answers 404.
func TestReceiptDownload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	keys, _, err := signing.EnsureDemo(t.TempDir(), "UBND phường Ba Đình")
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := keys.SignReceipt(signing.ReceiptData{DossierID: dossierA, Agency: "UBND phường Ba Đình", ProcedureCode: "1.001193",
		ProcedureName: "Đăng ký khai sinh", Applicant: "cd-079200001234", ReceivedAt: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC), Official: "an.nguyen"})
	if err != nil {
		t.Skipf("no receipt font here: %v", err)
	}
	exec(t, e.pool, `INSERT INTO signed_records (dossier_id, kind, ref, official, content, content_type, signature, signer, sha256)
		VALUES ($1, 'receipt', $1, 'an.nguyen', $2, 'application/pdf', NULL, 'CN=UBND phường Ba Đình', 'x')`, dossierA, pdf)
	link := "/console/dossiers/" + dossierA + "/receipt.pdf"

	an := e.browser(t)
	an.signIn("an.nguyen")
	if _, body := an.get("/console/dossiers/" + dossierA); !strings.Contains(body, `href="`+link+`"`) || !strings.Contains(body, "Tải giấy tiếp nhận (PDF)") {
		t.Fatal("dossier page has no link to the signed receipt")
	}
	resp, err := an.c.Get(an.base + link)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.Equal(got, pdf) {
		t.Fatalf("receipt download: %d %q, %d bytes (want the %d signed bytes)", resp.StatusCode, resp.Header.Get("Content-Type"), len(got), len(pdf))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "bien-nhan-"+dossierA+".pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if n := auditCount(t, e.pool, "receipt.download", dossierA, "an.nguyen"); n != 1 {
		t.Errorf("receipt downloads audited: %d, want 1", n)
	}

	if _, body := an.get("/console/dossiers/" + dossierA2); strings.Contains(body, "receipt.pdf") {
		t.Error("dossier without a signed receipt shows a receipt link")
	}
	if code, _ := an.get("/console/dossiers/" + dossierA2 + "/receipt.pdf"); code != http.StatusNotFound {
		t.Errorf("receipt of a dossier with none: %d, want 404", code)
	}

	dung := e.browser(t)
	dung.signIn("dung.pham") // agency B
	if code, body := dung.get(link); code != http.StatusForbidden || strings.Contains(body, "%PDF") {
		t.Fatalf("receipt of agency A by agency B: %d, want 403", code)
	}
	if n := auditCount(t, e.pool, "receipt.download.denied", dossierA, "dung.pham"); n != 1 {
		t.Errorf("refused receipt downloads audited: %d, want 1", n)
	}
}
