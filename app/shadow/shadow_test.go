package shadow_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/shadow"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/review"
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

	strictSrc := strings.Replace(string(pipelinedef.DefaultYAML()), "classify_min_confidence: 0.55", "classify_min_confidence: 0.999", 1)
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
	if _, err := auth.NewStore(sys.Pool).AddUser(ctx, auth.User{ID: official.ID, Name: official.ID, Agency: official.Agency, Roles: official.Roles}, ""); err != nil {
		t.Fatal(err) // review decides only for accounts
	}
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
		if err := svc.Shadow.Check(ctx, cand.Label, shadow.DefaultGate); err != nil {
			t.Fatalf("a passing candidate is refused at activation: %v", err)
		}
	})

	t.Run("CandidateWithoutChecksFailsTheGate", func(t *testing.T) {
		src := strings.Replace(string(pipelinedef.DefaultYAML()), "stages: [intake, extract, classify, check, suggest]", "stages: [intake, extract, classify]", 1)
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
		// The report is the promotion gate: activation is refused.
		if _, _, err := svc.Pipelines.Activate(ctx, weak.Label, "op-lan", "thử"); dossier.ErrorCode(err) != dossier.CodeConflict {
			t.Fatalf("activating a candidate that failed its shadow gate: %v", err)
		}
	})
}

// A candidate that changes the model runs that model on the mirrored
// dossiers, on its own token budget: production's calls, budget and
// results are untouched, and the report says what the candidate spent.
// When the candidate's own budget is spent, its runs fall back to the
// local model; production still spends nothing for it.
func TestShadowCandidateCallsItsOwnModel(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	sys.FakeLLM("gpt-prod")
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	ss := systemtest.Samples(t)

	src := systemtest.Variant(t, "classify: {provider: auto}", "classify: {provider: openai, model: gpt-candidate}")
	cand, _, err := svc.Pipelines.Put(ctx, src, "op-lan", "mô hình ứng viên")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Shadow.Start(ctx, cand.Label, "op-lan"); err != nil {
		t.Fatal(err)
	}
	res, err := svc.SubmitSample(ctx, ss["khai-sinh-day-du"], "sm-")
	if err != nil {
		t.Fatal(err)
	}
	id := res.DossierID
	r := systemtest.Wait(t, svc, id)[0]
	systemtest.Eventually(t, "the shadow run", func() bool {
		var n int
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM shadow_runs WHERE candidate = $1 AND dossier_id = $2 AND error = ''`, cand.Label, id).Scan(&n)
		return n == 1
	})
	count := sys.Count
	if n := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'shadow' AND task = 'classify' AND model = 'gpt-candidate' AND pipeline_version = $2`, id, cand.Label); n == 0 {
		t.Fatal("the candidate's model was never called in the shadow scope")
	}
	if n := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'production' AND model = 'gpt-candidate'`, id); n != 0 {
		t.Fatalf("%d production calls went to the candidate's model", n)
	}
	for _, d := range r.Documents {
		if d.Classification["method"] == "llm" && d.Classification["model"] != "gpt-prod" {
			t.Errorf("production document %s classified by %v", d.Filename, d.Classification["model"])
		}
	}
	var shadowModels []string
	_ = sys.Pool.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT x->>'model'), '{}') FROM shadow_runs, jsonb_array_elements(classifications) x
		WHERE candidate = $1 AND dossier_id = $2`, cand.Label, id).Scan(&shadowModels)
	if !slices.Contains(shadowModels, "gpt-candidate") {
		t.Errorf("shadow classifications by %v, want gpt-candidate", shadowModels)
	}
	// Budgets: production's row counts production calls only.
	var prodUsed, prodTokens int64
	_ = sys.Pool.QueryRow(ctx, `SELECT used_tokens FROM ai_budgets WHERE dossier_id = $1 AND scope = 'production'`, id).Scan(&prodUsed)
	_ = sys.Pool.QueryRow(ctx, `SELECT coalesce(sum(tokens), 0) FROM ai_calls WHERE dossier_id = $1 AND scope = 'production'`, id).Scan(&prodTokens)
	if prodUsed != prodTokens || count(`SELECT count(*) FROM ai_budgets WHERE dossier_id = $1 AND scope = 'shadow:' || $2`, id, cand.Label) != 1 {
		t.Fatalf("production budget used %d for %d production tokens; shadow must have its own row", prodUsed, prodTokens)
	}
	rep, err := svc.Shadow.Report(ctx, cand.Label, shadow.Gate{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.AICalls == 0 || rep.AITokens == 0 {
		t.Fatalf("report does not show the candidate's spend: %+v", rep)
	}

	t.Run("OwnBudgetSpent", func(t *testing.T) {
		tiny := strings.Replace(string(src), "token_budget_per_dossier: 40000", "token_budget_per_dossier: 1", 1)
		tiny = strings.Replace(tiny, "model: gpt-candidate", "model: gpt-tiny", 1)
		small, _, err := svc.Pipelines.Put(ctx, []byte(tiny), "op-lan", "ngân sách nhỏ")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Shadow.Start(ctx, small.Label, "op-lan"); err != nil {
			t.Fatal(err)
		}
		prodBefore := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'production'`, id)
		if err := svc.Shadow.Handle(ctx, id, 1); err != nil {
			t.Fatal(err)
		}
		var fallbacks int
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM shadow_runs, jsonb_array_elements(classifications) x
			WHERE candidate = $1 AND dossier_id = $2 AND x->>'model' NOT LIKE 'gpt-%'`, small.Label, id).Scan(&fallbacks)
		if fallbacks == 0 {
			var dump string
			_ = sys.Pool.QueryRow(ctx, `SELECT classifications::text FROM shadow_runs WHERE candidate = $1 AND dossier_id = $2`, small.Label, id).Scan(&dump)
			t.Fatalf("with its budget spent the candidate should classify locally: %s", dump)
		}
		if n := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'shadow' AND model = 'gpt-tiny' AND outcome = 'budget_exceeded'`, id); n == 0 {
			t.Error("no budget_exceeded call recorded in the shadow scope")
		}
		if after := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'production'`, id); after != prodBefore {
			t.Fatalf("a shadow run added %d production calls", after-prodBefore)
		}
	})
}

// A candidate that names another embedding model cites from that model's
// vectors — a candidate regulation index, built beforehand with
// hoso regs reembed --pipeline — while production keeps the citations
// stored at import; the report measures how often they agree. A candidate
// whose index was never built fails its shadow runs with a message that
// says how to build it, and production is untouched.
func TestShadowCandidateRegulationIndex(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	srv := sys.FakeLLM("gpt-prod")
	srv.SetEmbeddingDimension(768)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	sd := systemtest.Samples(t)["khai-sinh-day-du"]

	legal := filepath.Join(systemtest.Root(), "data", "legal", "legal-texts-rightly")
	if _, err := svc.Regulations.Import(ctx, []string{
		filepath.Join(legal, "laws", "03-2026-QH16 Luật Hộ tịch.txt"),
		filepath.Join(legal, "decrees", "401-VBHN-BTP 2026 Nghị định Quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch.txt"),
	}, nil); err != nil {
		t.Fatal(err)
	}
	proc, err := svc.Catalog.Get(ctx, sd.Procedure, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Regulations.CiteProcedure(ctx, proc); err != nil {
		t.Fatal(err)
	}

	cand, _, err := svc.Pipelines.Put(ctx, systemtest.Variant(t, "embed: {provider: local}", "embed: {provider: openai, model: nomic-embed-text}"), "op-lan", "chỉ mục nomic")
	if err != nil {
		t.Fatal(err)
	}
	candDef, _ := svc.Registry.Version(cand.Label)
	emb, err := svc.Indexes.Embedder(candDef)
	if err != nil {
		t.Fatal(err)
	}
	if emb.Name() != "openai:nomic-embed-text" {
		t.Fatalf("candidate embedder %s", emb.Name())
	}
	if _, err := svc.Regulations.WithEmbedder(emb).Reembed(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Shadow.Start(ctx, cand.Label, "op-lan"); err != nil {
		t.Fatal(err)
	}
	embedCalls := srv.Calls("/v1/embeddings")
	res, err := svc.SubmitSample(ctx, sd, "ri-")
	if err != nil {
		t.Fatal(err)
	}
	id := res.DossierID
	r := systemtest.Wait(t, svc, id)[0]
	systemtest.Eventually(t, "the shadow run", func() bool {
		var n int
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM shadow_runs WHERE candidate = $1 AND dossier_id = $2`, cand.Label, id).Scan(&n)
		return n == 1
	})
	var runErr string
	_ = sys.Pool.QueryRow(ctx, `SELECT error FROM shadow_runs WHERE candidate = $1 AND dossier_id = $2`, cand.Label, id).Scan(&runErr)
	if runErr != "" {
		t.Fatalf("shadow run failed: %s", runErr)
	}
	stored, err := svc.Regulations.Citations(ctx, sd.Procedure, "giay-chung-sinh")
	if err != nil || len(stored) == 0 {
		t.Fatalf("no stored citations to compare with: %v", err)
	}
	for _, f := range r.Findings {
		if f.Key == "req:giay-chung-sinh" && (len(f.Citations) == 0 || f.Citations[0].Document != stored[0].Document || f.Citations[0].Article != stored[0].Article) {
			t.Errorf("production cites %+v, want the stored %+v", f.Citations, stored[0])
		}
	}
	var shadowCited int
	_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM shadow_runs, jsonb_array_elements(findings) f
		WHERE candidate = $1 AND dossier_id = $2 AND jsonb_array_length(f->'citations') > 0`, cand.Label, id).Scan(&shadowCited)
	if shadowCited == 0 {
		t.Fatal("the candidate's findings carry no citations")
	}
	if srv.Calls("/v1/embeddings") == embedCalls {
		t.Error("the candidate never embedded a query with its model")
	}
	rep, err := svc.Shadow.Report(ctx, cand.Label, shadow.Gate{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("candidate index: %d cited findings, citation agreement %.3f, top differences %v", rep.Cited, rep.CitationAgreement, rep.TopDifferences)
	if rep.Cited == 0 || rep.CitationAgreement < 0 || rep.CitationAgreement > 1 {
		t.Fatalf("report: %d cited findings, agreement %.3f", rep.Cited, rep.CitationAgreement)
	}

	t.Run("IndexNotBuilt", func(t *testing.T) {
		unbuilt, _, err := svc.Pipelines.Put(ctx, systemtest.Variant(t, "embed: {provider: local}", "embed: {provider: openai, model: bge-m3}"), "op-lan", "chỉ mục chưa tạo")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Shadow.Start(ctx, unbuilt.Label, "op-lan"); err != nil {
			t.Fatal(err)
		}
		if err := svc.Shadow.Handle(ctx, id, 3); err != nil { // the last delivery records the failure
			t.Fatal(err)
		}
		var msg string
		_ = sys.Pool.QueryRow(ctx, `SELECT error FROM shadow_runs WHERE candidate = $1 AND dossier_id = $2`, unbuilt.Label, id).Scan(&msg)
		if !strings.Contains(msg, "hoso regs reembed --pipeline "+unbuilt.Label) {
			t.Fatalf("shadow error %q does not say how to build the index", msg)
		}
		// Activating it would fail every dossier's check: refused.
		before := svc.Registry.Current().VersionLabel()
		_, _, err = svc.Pipelines.Activate(ctx, unbuilt.Label, "op-lan", "thử")
		if dossier.ErrorCode(err) != dossier.CodeConflict || !strings.Contains(err.Error(), "reembed") {
			t.Fatalf("activating a version with an unbuilt index: %v", err)
		}
		if act, _ := svc.Pipelines.Active(ctx); act.Label != before {
			t.Fatalf("active version changed to %s", act.Label)
		}
		// The candidate whose index is built passes that check, but no
		// official has decided anything on its dossiers yet: the shadow
		// gate refuses it too.
		_, _, err = svc.Pipelines.Activate(ctx, cand.Label, "op-lan", "chỉ mục đã tạo")
		if dossier.ErrorCode(err) != dossier.CodeConflict || !strings.Contains(err.Error(), "shadow gate failed") {
			t.Fatalf("activating a candidate that fails its shadow gate: %v", err)
		}
	})
}
