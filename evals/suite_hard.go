package evals

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hoso-vn/hoso/evals/dossiergen"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// hardScore scores the hard cases of dossiergen.Hard: per scenario, the
// share of dossiers on which everything the scenario expects holds.
type hardScore struct {
	byScenario map[string][2]int // scenario → (passed, total)
}

func newHardScore() *hardScore { return &hardScore{byScenario: map[string][2]int{}} }

// hardFailures lists what a report gets wrong against a hard expectation.
func hardFailures(he *dossiergen.HardExpect, fs []dossier.Finding) []string {
	got, raw := map[string]string{}, map[string]string{}
	raised := map[string]dossier.Finding{}
	incomplete, sigInvalid := false, false
	for _, f := range fs {
		if f.Kind == "validity" && strings.Contains(f.Key, ":signature:") && f.Status == dossier.FindingInvalid {
			sigInvalid = true
		}
		if f.Kind != "completeness" && f.Kind != "reuse" {
			continue
		}
		if f.Status == dossier.FindingMissing || f.Status == dossier.FindingNeedsReview {
			incomplete = true
		}
		if k, ok := strings.CutPrefix(f.Key, "req:"); ok {
			got[k], raw[k] = statusOf(f), f.Status
		} else {
			raised[f.Key] = f
		}
	}
	var bad []string
	for k, ok := range he.Status {
		if g := got[k]; !slices.Contains(ok, g) {
			if g == "" {
				g = "(none)"
			}
			bad = append(bad, fmt.Sprintf("%s: cần %s, được %s", k, strings.Join(ok, "|"), g))
		}
	}
	for _, k := range he.Raise {
		f, ok := raised[k]
		if !ok {
			bad = append(bad, k+": không có (not raised)")
			continue
		}
		if k == "case_undetermined" {
			if n := candidates(f); n < 2 {
				bad = append(bad, fmt.Sprintf("case_undetermined: %d trường hợp ứng viên (candidates), cần ≥ 2", n))
			}
		}
	}
	for _, k := range he.NotRaise {
		if _, ok := raised[k]; ok {
			bad = append(bad, k+": không được có (must not be raised)")
		}
	}
	if he.SignatureInvalid && !sigInvalid {
		bad = append(bad, "chữ ký số bị sửa sau khi ký không được báo (signature modified after signing not reported)")
	}
	if he.ReuseOf != "" && raw[he.ReuseOf] != dossier.FindingSatisfiedByReuse {
		bad = append(bad, fmt.Sprintf("%s: cần dùng lại từ kho (want satisfied_by_reuse), được %q", he.ReuseOf, raw[he.ReuseOf]))
	}
	if he.NeverComplete && !incomplete {
		bad = append(bad, "hồ sơ bị coi là đầy đủ (dossier called complete)")
	}
	slices.Sort(bad)
	return bad
}

// candidates counts case_undetermined's candidates whatever their Go type
// (a typed slice in process, []any after JSON).
func candidates(f dossier.Finding) int {
	b, err := json.Marshal(f.Details["candidates"])
	if err != nil {
		return 0
	}
	var cs []any
	_ = json.Unmarshal(b, &cs)
	return len(cs)
}

func (h *hardScore) add(d dossiergen.Dossier, rep dossier.Report, r *Result) {
	t := h.byScenario[d.Hard]
	t[1]++
	if bad := hardFailures(d.HardExpect, rep.Findings); len(bad) == 0 {
		t[0]++
	} else {
		r.Worst = append(r.Worst, Case{ID: d.ID, Want: "hard case " + d.Hard, Got: strings.Join(bad, "; "), Detail: d.Procedure, Score: 2})
	}
	h.byScenario[d.Hard] = t
}

func (h *hardScore) report(r *Result) {
	var pass, total int
	for _, sc := range dossiergen.HardScenarios {
		t := h.byScenario[sc]
		if t[1] == 0 {
			continue
		}
		pass, total = pass+t[0], total+t[1]
		r.add("hard_"+sc, "Ca khó (hard case): "+sc, float64(t[0])/float64(t[1]), "ratio")
	}
	if total > 0 {
		r.add("hard_cases_passed", "Ca khó đạt (hard cases passed)", float64(pass)/float64(total), "ratio")
	}
}
