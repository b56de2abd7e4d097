package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/correction"
)

// TestCorrectionForms: a reviewer corrects a finding and sets the case from
// the dossier page; the correction is stored, the dossier goes back to the
// check stage, and another agency's official is refused and audited.
func TestCorrectionForms(t *testing.T) {
	t.Parallel()
	cond := "trẻ em bị bỏ rơi"
	procs := procedures{"1.001193": {Code: "1.001193", Name: "Đăng ký khai sinh", Requirements: []catalog.Requirement{
		{Key: "giay-chung-sinh", Name: "Giấy chứng sinh", Kind: catalog.KindSubmit},
		{Key: "bien-ban-tre-bi-bo-roi", Name: "Biên bản về việc trẻ bị bỏ rơi", Kind: catalog.KindSubmit, Condition: &cond, Optional: true},
	}}}
	e := newEnv(t, func(_ *web.Config, d *web.Deps) {
		d.Procedures = procs
		d.Corrections = &correction.Service{Pool: d.Pool, Procedures: procs}
	})
	ctx := context.Background()
	count := func(q string, args ...any) int {
		var n int
		if err := e.pool.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	b := e.browser(t)
	b.signIn("cuong.le")
	page := "/console/dossiers/" + dossierA
	_, body := b.get(page)
	for _, want := range []string{"Sửa kết quả kiểm tra", `name="kind" value="finding"`, `value="bien-ban-tre-bi-bo-roi"`, cond} {
		if !strings.Contains(body, want) {
			t.Fatalf("dossier page lacks %q", want)
		}
	}
	t.Run("FindingNeedsReason", func(t *testing.T) {
		code, body := b.post(page+"/corrections", url.Values{"csrf": {b.csrf(page)}, "kind": {"finding"}, "finding_key": {"marriage"}, "status": {"present"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "lý do") {
			t.Fatalf("no reason: %d", code)
		}
	})
	code, _ := b.post(page+"/corrections", url.Values{"csrf": {b.csrf(page)}, "kind": {"finding"}, "finding_key": {"marriage"},
		"status": {"not_applicable"}, "reason": {"Cha mẹ không đăng ký kết hôn"}})
	if code != http.StatusSeeOther {
		t.Fatalf("correct finding: %d", code)
	}
	if n := count(`SELECT count(*) FROM corrections WHERE dossier_id = $1 AND kind = 'finding' AND value = 'not_applicable' AND actor = 'cuong.le' AND auto_value = 'missing'`, dossierA); n != 1 {
		t.Fatalf("stored corrections = %d", n)
	}
	if n := count(`SELECT count(*) FROM dossiers WHERE id = $1 AND stage = 'check' AND status = 'processing'`, dossierA); n != 1 {
		t.Fatal("the dossier did not go back to the check stage")
	}
	code, _ = b.post(page+"/corrections", url.Values{"csrf": {b.csrf(page)}, "kind": {"case"}, "case": {cond}})
	if code != http.StatusSeeOther {
		t.Fatalf("set case: %d", code)
	}
	_, body = b.get(page)
	if !strings.Contains(body, "Các lần sửa") || !strings.Contains(body, "Cha mẹ không đăng ký kết hôn") {
		t.Fatal("the page does not list the corrections")
	}

	t.Run("OtherAgencyRefused", func(t *testing.T) {
		d := e.browser(t)
		d.signIn("dung.pham")
		tok := d.csrf("/console/dossiers/" + dossierB)
		code, _ := d.post(page+"/corrections", url.Values{"csrf": {tok}, "kind": {"case"}, "case": {cond}})
		if code != http.StatusForbidden {
			t.Fatalf("other agency: %d", code)
		}
		if n := count(`SELECT count(*) FROM audit_log WHERE actor = 'dung.pham' AND action LIKE 'correction%' AND entity_id = $1`, dossierA); n != 1 {
			t.Fatalf("refusal audit rows = %d", n)
		}
		if n := count(`SELECT count(*) FROM corrections WHERE dossier_id = $1`, dossierA); n != 2 {
			t.Fatalf("corrections = %d, want 2", n)
		}
	})
}

// TestDossierPageShowsCase (#15.3): the dossier page names the dossier's
// case and how it was determined.
func TestDossierPageShowsCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	exec(t, e.pool, `UPDATE procedure_versions SET doc = doc || '{"cases":[{"key":"case-1","name":"(1.1) Cấp cho người được đăng ký","requirements":[]},{"key":"case-2","name":"(1.2) Cấp cho người được ủy quyền","requirements":[]}]}' WHERE code = '2.000635'`)
	exec(t, e.pool, `UPDATE dossiers SET metadata = '{"cases":["case-2"]}' WHERE id = $1`, dossierB)
	b := e.browser(t)
	b.signIn("dung.pham")
	_, body := b.get("/console/dossiers/" + dossierB)
	for _, want := range []string{`id="dossier-case"`, "(1.2) Cấp cho người được ủy quyền", "người nộp khai báo"} {
		if !strings.Contains(body, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
}
