package web_test

import (
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/signing"
)

// The console shows each document's signatures with a badge, the signer and
// the signing time in Asia/Ho_Chi_Minh.
func TestDocumentSignatureBadges(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	exec(t, e.pool, `UPDATE documents SET signatures = $2 WHERE id = $1`, dossierA+"-d1",
		`[{"field":"Signature1","signer":{"common_name":"Bệnh viện Phụ sản Hà Nội","dn":"CN=Bệnh viện Phụ sản Hà Nội","organization":"Sở Y tế Hà Nội"},
		   "signing_time":"2026-11-20T02:30:00Z","hash":"SHA-256","sub_filter":"adbe.pkcs7.detached","byte_ranges":[[0,10],[20,5]],
		   "covers_whole_file":true,"valid":true,"trust":"trusted","errors":[]},
		  {"field":"Signature2","signer":{"common_name":"Người lạ","dn":"CN=Người lạ","organization":""},
		   "signing_time":"2026-11-21T02:30:00Z","hash":"SHA-256","sub_filter":"adbe.pkcs7.detached","byte_ranges":[[0,10],[20,5]],
		   "covers_whole_file":true,"valid":false,"trust":"untrusted","errors":[{"code":"digest_mismatch","message":"x"}]}]`)
	b := e.browser(t)
	b.signIn("an.nguyen")
	_, body := b.get("/console/dossiers/" + dossierA)
	for _, want := range []string{"Chữ ký hợp lệ, tin cậy", "Bệnh viện Phụ sản Hà Nội", "Sở Y tế Hà Nội", "09:30 20/11/2026 (giờ Việt Nam)",
		`badge st-invalid">Chữ ký không hợp lệ`, "Người lạ"} {
		if !strings.Contains(body, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
}

// The dossier page lists what the agency signed for the dossier, checked
// again on every view: a changed record shows as invalid.
func TestSignedRecordsOnDossierPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	keys, _, err := signing.EnsureDemo(t.TempDir(), "UBND phường Ba Đình")
	if err != nil {
		t.Fatal(err)
	}
	content, sig, err := keys.SignJSON(map[string]any{"suggestion_id": "s1", "decided_by": "an.nguyen", "status": "approved"})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, e.pool, `INSERT INTO signed_records (dossier_id, kind, ref, official, content, content_type, signature, signer, sha256)
		VALUES ($1, 'decision', 's1:approved', 'an.nguyen', $2, 'application/json', $3, 'CN=UBND phường Ba Đình', 'x')`, dossierA, content, sig)
	b := e.browser(t)
	b.signIn("an.nguyen")
	_, body := b.get("/console/dossiers/" + dossierA)
	if !strings.Contains(body, "Quyết định của cán bộ") || !strings.Contains(body, "Đã ký số, hợp lệ") {
		t.Fatalf("signed decision not shown as valid")
	}
	exec(t, e.pool, `UPDATE signed_records SET content = convert_to(replace(convert_from(content, 'UTF8'), 'approved', 'rejected'), 'UTF8') WHERE ref = 's1:approved'`)
	_, body = b.get("/console/dossiers/" + dossierA)
	if !strings.Contains(body, `badge st-invalid">Chữ ký không hợp lệ`) {
		t.Fatalf("changed decision not shown as invalid")
	}
}
