package evals

import (
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/evals/dossiergen"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// TestHardFailures: a hard case fails when the pre-check calls the dossier
// complete, raises no case_undetermined (or one with fewer than two
// candidates), reuses what it must not, or misses a modified signature.
func TestHardFailures(t *testing.T) {
	t.Parallel()
	req := func(k, st string) dossier.Finding {
		return dossier.Finding{Key: "req:" + k, Kind: "completeness", Status: st}
	}
	undet := func(n int) dossier.Finding {
		cs := make([]map[string]any, n)
		for i := range cs {
			cs[i] = map[string]any{"key": "case-x"}
		}
		return dossier.Finding{Key: "case_undetermined", Kind: "completeness", Status: dossier.FindingNeedsReview, Details: map[string]any{"candidates": cs}}
	}
	undetermined := &dossiergen.HardExpect{NeverComplete: true, Raise: []string{"case_undetermined"}}
	other := &dossiergen.HardExpect{NeverComplete: true, Status: map[string][]string{"gcs": {dossiergen.Missing}}}
	same := &dossiergen.HardExpect{Status: map[string][]string{"gcs": {dossiergen.Present}}, ReuseOf: "gcs"}
	signed := &dossiergen.HardExpect{SignatureInvalid: true}
	tests := []struct {
		name string
		he   *dossiergen.HardExpect
		fs   []dossier.Finding
		want string // substring of the failure; "" passes
	}{
		{"CalledComplete", undetermined, []dossier.Finding{req("form", dossier.FindingPresent)}, "complete"},
		{"OneCandidate", undetermined, []dossier.Finding{undet(1)}, "candidates"},
		{"Undetermined", undetermined, []dossier.Finding{req("form", dossier.FindingPresent), undet(7)}, ""},
		{"ReusedForAnotherChild", other, []dossier.Finding{req("gcs", dossier.FindingSatisfiedByReuse)}, "gcs"},
		{"NotReusedForAnotherChild", other, []dossier.Finding{req("gcs", dossier.FindingMissing)}, ""},
		{"SameChildFromAFile", same, []dossier.Finding{req("gcs", dossier.FindingPresent)}, "satisfied_by_reuse"},
		{"SameChildReused", same, []dossier.Finding{req("gcs", dossier.FindingSatisfiedByReuse)}, ""},
		{"SignatureMissed", signed, []dossier.Finding{req("gcs", dossier.FindingPresent)}, "signature"},
		{"SignatureCaught", signed, []dossier.Finding{{Key: "document:d1:signature:modified", Kind: "validity", Status: dossier.FindingInvalid}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Join(hardFailures(tc.he, tc.fs), "; ")
			if (tc.want == "") != (bad == "") || !strings.Contains(bad, tc.want) {
				t.Errorf("failures %q, want containing %q", bad, tc.want)
			}
		})
	}
}
