package shadow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/service"
	"github.com/hoso-vn/hoso/internal/shadow"
	"github.com/hoso-vn/hoso/internal/systemtest"
	"github.com/hoso-vn/hoso/pipelines"
)

// A candidate shadows live dossiers: production, officials and citizens see
// nothing of it, and the report compares it with production and with the
// officials' decisions.
func TestShadowRunWritesNothingVisible(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	ss := systemtest.Samples(t)
	production := svc.Registry.Current().VersionLabel()

	strictSrc := strings.Replace(string(pipelines.DefaultYAML()), "classify_min_confidence: 0.55", "classify_min_confidence: 0.999", 1)
	cand, _, err := svc.Pipelines.Put(ctx, []byte(strictSrc), "op-lan", "ứng viên")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Shadow.Start(ctx, cand.Label, "op-lan"); err != nil {
		t.Fatal(err)
	}
	names := []string{"khai-sinh-day-du", "khai-sinh-thieu-giay-chung-sinh"}
	var ids []string
	for _, n := range names {
		res, err := svc.SubmitSample(ctx, ss[n], "s-")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.DossierID)
	}
	reps := systemtest.Wait(t, svc, ids...)
	systemtest.Eventually(t, "shadow runs of both dossiers", func() bool {
		var n int
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM shadow_runs WHERE candidate = $1 AND error = ''`, cand.Label).Scan(&n)
		return n == len(ids)
	})

	t.Run("NothingVisible", func(t *testing.T) {
		for i, r := range reps {
			if r.Dossier.PipelineVersion != production {
				t.Errorf("%s ran under %s, want production %s", names[i], r.Dossier.PipelineVersion, production)
			}
			for _, k := range ss[names[i]].Expect.Present {
				if got := systemtest.FindingStatus(r, k); got != dossier.FindingPresent {
					t.Errorf("%s: %s = %q: the candidate's verdict leaked into production", names[i], k, got)
				}
			}
		}
		// The candidate drafts request_missing for every present document;
		// none of those may exist as a real suggestion.
		rows, err := sys.Pool.Query(ctx, `SELECT s.dossier_id, x->>'key' FROM shadow_runs s, jsonb_array_elements(s.suggestions) x
			WHERE s.candidate = $1 AND NOT EXISTS (SELECT 1 FROM suggestions g WHERE g.dossier_id = s.dossier_id AND g.key = x->>'key')`, cand.Label)
		if err != nil {
			t.Fatal(err)
		}
		var shadowOnly int
		for rows.Next() {
			shadowOnly++
		}
		rows.Close()
		if shadowOnly == 0 {
			t.Fatal("the strict candidate drafted nothing production did not: the test proves nothing")
		}
		var inbox, audits int
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM citizen_inbox`).Scan(&inbox)
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action NOT IN ('pipeline.activate', 'shadow.start')`).Scan(&audits)
		if inbox != 0 || audits != 0 {
			t.Fatalf("visible side effects: %d inbox rows, %d audit rows", inbox, audits)
		}
	})

	// Officials decide on production's suggestions: approve the missing
	// birth certificate, reject another.
	official := review.Actor{ID: "cb-01", Agency: ss[names[1]].Agency, Roles: []string{review.RoleApprover, review.RoleReviewer}}
	var approved, rejected int
	for _, sg := range reps[1].Suggestions {
		switch {
		case sg.Risk != "high" && sg.Kind == "request_missing" && approved == 0:
			if _, err := svc.Review.Approve(ctx, sg.ID, official, "đúng", nil); err != nil {
				t.Fatal(err)
			}
			approved++
		case sg.Risk != "high" && rejected == 0 && approved == 1:
			if _, err := svc.Review.Reject(ctx, sg.ID, official, "không cần"); err != nil {
				t.Fatal(err)
			}
			rejected++
		}
	}
	if approved == 0 {
		t.Fatalf("no suggestion to approve: %+v", reps[1].Suggestions)
	}

	t.Run("Report", func(t *testing.T) {
		if _, err := svc.Shadow.Stop(ctx, "op-lan"); err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Shadow.Report(ctx, "", shadow.Gate{Tolerance: 0.02, MinDecided: 1})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Candidate != cand.Label || rep.Dossiers != 2 || rep.Decided != approved+rejected {
			t.Fatalf("report: %+v", rep)
		}
		if rep.Agreement <= 0 || rep.Agreement >= 1 || len(rep.TopDifferences) == 0 {
			t.Fatalf("agreement %.3f with differences %+v: want some but not full agreement", rep.Agreement, rep.TopDifferences)
		}
		if rep.Production.TP != 1 || rep.Production.Recall != 1 {
			t.Fatalf("production score %+v", rep.Production)
		}
		if rep.CandidateScore.TP != 1 {
			t.Fatalf("the strict candidate also asks for the missing paper: %+v", rep.CandidateScore)
		}
		if !rep.Pass {
			t.Fatalf("candidate no worse on decided suggestions, yet gate failed: %v", rep.Reasons)
		}
		gated, _ := svc.Shadow.Report(ctx, cand.Label, shadow.Gate{MinAgreement: 0.99})
		if gated.Pass || len(gated.Reasons) == 0 {
			t.Fatalf("an agreement floor of 0.99 passed at %.3f", gated.Agreement)
		}
	})

	t.Run("CandidateWithoutChecksFailsTheGate", func(t *testing.T) {
		src := strings.Replace(string(pipelines.DefaultYAML()), "stages: [intake, extract, classify, check, suggest]", "stages: [intake, extract, classify]", 1)
		weak, _, err := svc.Pipelines.Put(ctx, []byte(src), "op-lan", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Shadow.Start(ctx, weak.Label, "op-lan"); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := svc.Shadow.Handle(ctx, id, 1); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := svc.Shadow.Report(ctx, weak.Label, shadow.Gate{Tolerance: 0.02, MinDecided: 1})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Pass || rep.CandidateScore.Recall != 0 {
			t.Fatalf("a candidate that checks nothing passed: %+v", rep)
		}
	})
}
