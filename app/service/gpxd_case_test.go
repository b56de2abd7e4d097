package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// TestBuildingPermitCaseFromTheForm is the acceptance case of issue #15:
// the building-permit form alone, which says "Loại công trình: Nhà ở riêng
// lẻ", is never complete — the land papers are missing, and so are the
// drawings of case (1.7) nhà ở riêng lẻ, which the form itself states, with
// that evidence in the finding.
func TestBuildingPermitCaseFromTheForm(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{})
	ctx := context.Background()
	res, err := sys.SubmitSample(ctx, samples(t)["giay-phep-xay-dung"], "case-")
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, res.DossierID)[0]
	missing := map[string]dossier.Finding{}
	for _, f := range r.Findings {
		if f.Status == dossier.FindingMissing {
			missing[strings.TrimPrefix(f.Key, "req:")] = f
		}
	}
	for k, f := range missing {
		t.Logf("missing %s: %s", k, f.Requirement)
	}
	t.Logf("%d suggestions", len(r.Suggestions))
	if len(missing) == 0 {
		t.Fatalf("no missing finding: the dossier looks complete\n%s", dump(r))
	}
	if _, ok := missing["mot-trong-nhung-giay-to-hop-phap-ve-dat-dai"]; !ok {
		t.Errorf("land papers not reported missing\n%s", dump(r))
	}
	f, ok := missing["ho-so-thiet-ke-xay-dung-doi-voi-nha-o-rieng-le"]
	if !ok {
		t.Fatalf("drawings of nhà ở riêng lẻ not reported missing\n%s", dump(r))
	}
	if !strings.Contains(f.Evidence, "Nhà ở riêng lẻ") {
		t.Errorf("the finding does not carry the form's evidence: %q", f.Evidence)
	}
}
