package replay_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/replay"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/vault"
)

// Replaying a recorded dossier under its recorded version reproduces its
// findings exactly; under another version it shows what would change.
func TestReplayReproducesRecordedFindings(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	ss := systemtest.Samples(t)
	names := []string{"khai-sinh-day-du", "khai-sinh-thieu-giay-chung-sinh", "ho-kinh-doanh-uy-quyen"}
	var ids []string
	for _, n := range names {
		res, err := svc.SubmitSample(ctx, ss[n], "r-")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.DossierID)
	}
	systemtest.Wait(t, svc, ids...)
	recorded := svc.Registry.Current().VersionLabel()

	for i, id := range ids {
		t.Run("Exact/"+names[i], func(t *testing.T) {
			rep, err := svc.Replay.Replay(ctx, id, "", "op-lan")
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Exact || len(rep.Mismatches) != 0 {
				t.Fatalf("replay of %s not exact: %+v", names[i], rep.Mismatches)
			}
			if rep.Recorded != recorded || rep.Compared != recorded || len(rep.Changes) != 0 {
				t.Fatalf("same version compared: %s vs %s, changes %+v", rep.Recorded, rep.Compared, rep.Changes)
			}
			if len(rep.AsRecorded.Findings) == 0 || !strings.Contains(rep.Pins["classifier_recorded"], "@") {
				t.Fatalf("replay ran nothing or pinned nothing: %+v", rep.Pins)
			}
		})
	}

	// The regulation index changes after the dossier was checked (here: its
	// recorded citation is rewritten as if the corpus had been re-imported):
	// the replay as recorded pins the recorded citations and stays exact,
	// and the run under the current version shows the citation change.
	t.Run("RegulationIndexPinned", func(t *testing.T) {
		_, err := sys.Pool.Exec(ctx, `UPDATE findings SET citations = '[{"document":"60/2014/QH13","article":16,"clause":1,"point":null,"text":"Hồ sơ đăng ký khai sinh","score":0.9}]'::jsonb
			WHERE dossier_id = $1 AND key = 'req:giay-chung-sinh'`, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Replay.Replay(ctx, ids[0], "", "op-lan")
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Exact {
			t.Fatalf("replay as recorded must use the recorded citations: %+v", rep.Mismatches)
		}
		if rep.Pins["regulation_index"] == "" {
			t.Fatalf("regulation index not pinned: %+v", rep.Pins)
		}
		var cited bool
		for _, c := range rep.Changes {
			cited = cited || strings.Contains(strings.Join(c.Fields, ","), "citations")
		}
		if !cited {
			t.Errorf("the current index cites differently, but no citation change was shown: %+v", rep.Changes)
		}
	})

	strictSrc := strings.Replace(string(pipelinedef.DefaultYAML()), "classify_min_confidence: 0.55", "classify_min_confidence: 0.999", 1)
	strict, _, err := svc.Pipelines.Put(ctx, []byte(strictSrc), "op-lan", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("UnderAnotherVersion", func(t *testing.T) {
		rep, err := svc.Replay.Replay(ctx, ids[0], strict.Label, "op-lan")
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Exact {
			t.Fatalf("as-recorded part not exact: %+v", rep.Mismatches)
		}
		var toMissing int
		for _, c := range rep.Changes {
			if c.Change == "changed" && c.From == dossier.FindingPresent && c.To == dossier.FindingMissing {
				toMissing++
			}
		}
		if toMissing == 0 {
			t.Fatalf("a 0.999 threshold changed no present requirement to missing: %+v", rep.Changes)
		}
		if len(rep.SuggestionChanges) == 0 {
			t.Fatal("no suggestion would change")
		}
		var n int
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM replays WHERE dossier_id = $1`, ids[0]).Scan(&n)
		if n != 3 { // Exact, RegulationIndexPinned, UnderAnotherVersion
			t.Fatalf("replays recorded = %d, want 3", n)
		}
	})
	t.Run("ReplayWritesNoProductionRows", func(t *testing.T) {
		r := systemtest.Wait(t, svc, ids[0])[0]
		for _, k := range ss[names[0]].Expect.Present {
			if got := systemtest.FindingStatus(r, k); got != dossier.FindingPresent {
				t.Fatalf("replay leaked into production: %s = %s", k, got)
			}
		}
	})

	t.Run("ReprocessUnderActiveVersion", func(t *testing.T) {
		if _, _, err := svc.Pipelines.Activate(ctx, strict.Label, "op-lan", ""); err != nil {
			t.Fatal(err)
		}
		systemtest.Eventually(t, "activation", func() bool { return svc.Registry.Current().VersionLabel() == strict.Label })
		sel, err := svc.Reprocess.Select(ctx, replay.Selection{Procedure: ss[names[0]].Procedure})
		if err != nil {
			t.Fatal(err)
		}
		if len(sel) != 2 { // both khai-sinh dossiers
			t.Fatalf("selected %v", sel)
		}
		res, err := svc.Reprocess.Reprocess(ctx, []string{ids[0]}, replay.ReprocessOptions{Version: strict.Label, Rate: 50, Actor: "op-lan", Reason: "ngưỡng mới"})
		if err != nil || res.Republished != 1 {
			t.Fatalf("reprocess: %+v %v", res, err)
		}
		systemtest.Eventually(t, "reprocessed dossier", func() bool {
			d, err := svc.Store.Dossier(ctx, ids[0])
			return err == nil && d.PipelineVersion == strict.Label && d.Status == dossier.StatusPrechecked
		})
		r := systemtest.Wait(t, svc, ids[0])[0]
		for _, k := range ss[names[0]].Expect.Present {
			if got := systemtest.FindingStatus(r, k); got != dossier.FindingMissing {
				t.Errorf("after reprocess: %s = %q, want missing", k, got)
			}
		}
		var runs, audits int
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM stage_runs WHERE dossier_id = $1`, ids[0]).Scan(&runs)
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'dossier.reprocess' AND entity_id = $1`, ids[0]).Scan(&audits)
		if runs != len(dossier.Stages) || audits != 1 {
			t.Fatalf("stage_runs = %d (want %d), audit rows = %d (want 1)", runs, len(dossier.Stages), audits)
		}
		// A replay now reproduces the reprocessed record under its new version.
		rep, err := svc.Replay.Replay(ctx, ids[0], "", "op-lan")
		if err != nil || !rep.Exact || rep.Recorded != strict.Label {
			t.Fatalf("replay after reprocess: exact=%v recorded=%s err=%v %+v", rep.Exact, rep.Recorded, err, rep.Mismatches)
		}
	})
}

// A dossier classified by a remote model is replayed with the model and
// prompt its calls recorded, even after operators moved to another model:
// the shared cache answers exactly as the model did, so the replay is exact
// and spends nothing; the run under the current version calls the new
// model, on the replay's own budget. Production's ledger is untouched.
func TestReplayPinsRecordedModelAndPrompt(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	sys.FakeLLM("gpt-recorded")
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	res, err := svc.SubmitSample(ctx, systemtest.Samples(t)["khai-sinh-day-du"], "rm-")
	if err != nil {
		t.Fatal(err)
	}
	id := res.DossierID
	systemtest.Wait(t, svc, id)
	count := sys.Count
	if count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND task = 'classify' AND model = 'gpt-recorded' AND outcome = 'ok'`, id) == 0 {
		t.Fatal("the dossier was not classified by the remote model: nothing to pin")
	}

	newer, _, err := svc.Pipelines.Put(ctx, systemtest.Variant(t, "classify: {provider: auto}", "classify: {provider: openai, model: gpt-newer}"), "op-lan", "mô hình mới")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Pipelines.Activate(ctx, newer.Label, "op-lan", "mô hình mới"); err != nil {
		t.Fatal(err)
	}
	systemtest.Eventually(t, "activation", func() bool { return svc.Registry.Current().VersionLabel() == newer.Label })

	prodCalls := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'production'`, id)
	var prodUsed int64
	_ = sys.Pool.QueryRow(ctx, `SELECT used_tokens FROM ai_budgets WHERE dossier_id = $1 AND scope = 'production'`, id).Scan(&prodUsed)
	rep, err := svc.Replay.Replay(ctx, id, "", "op-lan")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Exact {
		t.Fatalf("replay with the recorded model is not exact: %+v (warnings %v)", rep.Mismatches, rep.Warnings)
	}
	if pin := rep.Pins["model_classify"]; !strings.HasPrefix(pin, "gpt-recorded · classify_v1#") {
		t.Fatalf("classify pinned to %q", pin)
	}
	for _, c := range rep.AsRecorded.Classifications {
		if c.Model != "gpt-recorded" {
			t.Errorf("as recorded, %s classified by %q", c.DocumentID, c.Model)
		}
	}
	for _, c := range rep.Under.Classifications {
		if c.Model != "gpt-newer" {
			t.Errorf("under %s, %s classified by %q", newer.Label, c.DocumentID, c.Model)
		}
	}
	if n := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'replay' AND model = 'gpt-recorded' AND NOT cached`, id); n != 0 {
		t.Errorf("the pinned run paid for %d calls the cache holds", n)
	}
	if n := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'replay' AND model = 'gpt-newer'`, id); n == 0 {
		t.Error("the run under the current version did not call its model")
	}
	var after int64
	_ = sys.Pool.QueryRow(ctx, `SELECT used_tokens FROM ai_budgets WHERE dossier_id = $1 AND scope = 'production'`, id).Scan(&after)
	if n := count(`SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND scope = 'production'`, id); n != prodCalls || after != prodUsed {
		t.Fatalf("replay touched production: calls %d → %d, tokens %d → %d", prodCalls, n, prodUsed, after)
	}
	// A second replay still pins the production calls, not the first
	// replay's calls to the newer model.
	again, err := svc.Replay.Replay(ctx, id, "", "op-lan")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(again.Pins["ai_calls"], "gpt-newer") || !strings.HasPrefix(again.Pins["model_classify"], "gpt-recorded") || !again.Exact {
		t.Errorf("second replay pinned %v (exact %v)", again.Pins, again.Exact)
	}
}

// A paper the vault supplied (once-only) replays exactly: the check puts the
// rule that allows reuse ahead of the index's citations, and the replay's
// pinned citations must not hold it twice.
func TestReplayOfReusedPaperIsExact(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	ss := systemtest.Samples(t)
	first, err := svc.SubmitSample(ctx, ss["khai-sinh-day-du"], "v1-")
	if err != nil {
		t.Fatal(err)
	}
	systemtest.Wait(t, svc, first.DossierID)
	if _, err := vault.New(sys.Pool).Accept(ctx, first.DossierID, review.Actor{ID: "quantri", Roles: []string{review.RoleAdmin}}, "đủ"); err != nil {
		t.Fatal(err)
	}
	second, err := svc.SubmitSample(ctx, ss["khai-sinh-thieu-giay-chung-sinh"], "v2-")
	if err != nil {
		t.Fatal(err)
	}
	r := systemtest.Wait(t, svc, second.DossierID)[0]
	if got := systemtest.FindingStatus(r, "giay-chung-sinh"); got != dossier.FindingSatisfiedByReuse {
		t.Fatalf("giay-chung-sinh = %q, want satisfied_by_reuse", got)
	}
	rep, err := svc.Replay.Replay(ctx, second.DossierID, "", "op-lan")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Exact {
		t.Fatalf("replay of a reused paper not exact: %+v", rep.Mismatches)
	}
}
