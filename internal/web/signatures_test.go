package web_test

import (
	"strings"
	"testing"
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
	for _, want := range []string{"Chữ ký hợp lệ, tin cậy", "Bệnh viện Phụ sản Hà Nội", "Sở Y tế Hà Nội", "20/11/2026 09:30",
		`badge st-invalid">Chữ ký không hợp lệ`, "Người lạ"} {
		if !strings.Contains(body, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
}
