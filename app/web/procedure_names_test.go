package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestSubmitterCannotRenameProcedures (#16.7): metadata.procedure_name and
// processing_days from a submitter neither rename a procedure nor move its
// deadline, on the dossier page, in the queue or in the queue's filter.
func TestSubmitterCannotRenameProcedures(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	const forged = "hs-01JDEMO0000000000000000F"
	exec(t, e.pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage, metadata)
		VALUES ($1, '1.001193', '001195012345', $2, '2026-03-03 02:00:00+00', 'prechecked', 'done',
		'{"procedure_name":"Cấp giấy phép xây dựng mới","processing_days":9999}')`, forged, agencyA)
	b := e.browser(t)
	b.signIn("an.nguyen")
	code, page := b.get("/console/dossiers/" + forged)
	if code != http.StatusOK {
		t.Fatalf("dossier page: %d", code)
	}
	if !strings.Contains(page, "Đăng ký khai sinh") {
		t.Error("dossier page does not show the catalog's name")
	}
	// Received Tuesday 3/3 at 09:00 (UTC+7): three working days → Friday 6/3.
	if !strings.Contains(page, "17:00 06/03/2026") {
		t.Error("dossier page does not show the catalog's deadline")
	}
	for _, body := range []string{page, queue(t, b, "?status=all"), queue(t, b, "?status=all&procedure=1.001193")} {
		if strings.Contains(body, "giấy phép xây dựng") || strings.Contains(body, "/2065") || strings.Contains(body, "/2064") {
			t.Errorf("the submitter's name or deadline is shown:\n%s", excerpt(body, "xây dựng"))
		}
	}
}

func queue(t *testing.T, b *browser, q string) string {
	t.Helper()
	code, body := b.get("/console/queue" + q)
	if code != http.StatusOK {
		t.Fatalf("queue%s: %d", q, code)
	}
	if !strings.Contains(body, "Đăng ký khai sinh") {
		t.Errorf("queue%s lacks the catalog's name", q)
	}
	return body
}

func excerpt(s, near string) string {
	i := strings.Index(s, near)
	if i < 0 {
		return ""
	}
	return s[max(0, i-200):min(len(s), i+200)]
}
