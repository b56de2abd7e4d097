package pipelinestore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// variant returns the default definition with one line replaced.
func TestStoreVersions(t *testing.T) {
	t.Parallel()
	pool, _ := postgrestest.New(t)
	ctx := context.Background()
	st := pipelinestore.New(pool)
	v1, err := st.Seed(ctx, pipelinedef.DefaultYAML())
	if err != nil {
		t.Fatal(err)
	}
	v2src := systemtest.Variant(t, `version: "2026.11-1"`, `version: "2026.11-2"`)
	v2src = []byte(strings.Replace(string(v2src), "classify_min_confidence: 0.55", "classify_min_confidence: 0.70", 1))

	t.Run("PutIsIdempotent", func(t *testing.T) {
		a, created, err := st.Put(ctx, v2src, "op-lan", "stricter")
		if err != nil || !created {
			t.Fatalf("first put: %v created=%v", err, created)
		}
		b, created, err := st.Put(ctx, v2src, "op-lan", "again")
		if err != nil || created || a.Label != b.Label {
			t.Fatalf("second put: %v created=%v %s/%s", err, created, a.Label, b.Label)
		}
	})
	t.Run("InvalidIsRejected", func(t *testing.T) {
		_, _, err := st.Put(ctx, systemtest.Variant(t, "audit_rate: 0.10", "audit_rate: 2"), "op-lan", "")
		if dossier.ErrorCode(err) != dossier.CodeInvalid || !strings.Contains(err.Error(), "audit_rate") {
			t.Fatalf("err = %v, want invalid naming audit_rate", err)
		}
	})
	t.Run("ActivateThenRollback", func(t *testing.T) {
		v2, changed, err := st.Activate(ctx, "default@2026.11-2", "op-lan", "try stricter")
		if err != nil || !changed {
			t.Fatalf("activate: %v changed=%v", err, changed)
		}
		act, _ := st.Active(ctx)
		if act.Label != v2.Label {
			t.Fatalf("active %s, want %s", act.Label, v2.Label)
		}
		if _, changed, _ := st.Activate(ctx, v2.Label, "op-lan", ""); changed {
			t.Fatal("re-activating the active version changed something")
		}
		back, err := st.Rollback(ctx, "op-lan", "")
		if err != nil || back.Label != v1.Label {
			t.Fatalf("rollback = %s, %v; want %s", back.Label, err, v1.Label)
		}
		hist, _ := st.History(ctx, 10)
		if len(hist) != 3 || hist[0].Reason != "rollback" {
			t.Fatalf("history = %+v", hist)
		}
		var audits int
		_ = pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'pipeline.activate'`).Scan(&audits)
		if audits != 3 {
			t.Fatalf("audit rows = %d, want 3", audits)
		}
	})
	t.Run("SeedKeepsOperatorsChoice", func(t *testing.T) {
		if _, _, err := st.Activate(ctx, "default@2026.11-2", "op-lan", ""); err != nil {
			t.Fatal(err)
		}
		act, err := st.Seed(ctx, pipelinedef.DefaultYAML())
		if err != nil || act.Version != "2026.11-2" {
			t.Fatalf("seed replaced the operator's activation: %s %v", act.Label, err)
		}
	})
	t.Run("Diff", func(t *testing.T) {
		a, _ := pipelinedef.Parse(pipelinedef.DefaultYAML())
		b, _ := pipelinedef.Parse(v2src)
		got := pipelinestore.Diff(a, b)
		want := map[string]bool{"version": true, "thresholds.classify_min_confidence": true}
		if len(got) != 2 || !want[got[0].Field] || !want[got[1].Field] {
			t.Fatalf("diff = %+v", got)
		}
	})
}

// An activation reaches a running worker without a restart; dossiers in
// flight keep the version recorded at intake; rollback is activating the
// previous version again.
func TestActivationWithoutRestart(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	ctx := context.Background()
	sd := systemtest.Samples(t)["khai-sinh-day-du"]
	// front runs intake only, so a dossier it takes in waits at extract
	// (in flight) until the back workers start.
	front := sys.Start(service.Options{Stages: []string{"intake"}})
	v1 := front.Registry.Current().VersionLabel()

	resA, err := front.SubmitSample(ctx, sd, "a-")
	if err != nil {
		t.Fatal(err)
	}
	waitVersion(t, front, resA.DossierID, v1)

	// A threshold no document reaches: every document goes to review and
	// its requirement counts as missing.
	strict, _, err := front.Pipelines.Put(ctx, systemtest.Variant(t, "classify_min_confidence: 0.55", "classify_min_confidence: 0.999"), "op-lan", "ngưỡng chặt")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := front.Pipelines.Activate(ctx, strict.Label, "op-lan", "thử ngưỡng chặt"); err != nil {
		t.Fatal(err)
	}
	systemtest.Eventually(t, "the running intake worker to pick up the activation", func() bool {
		return front.Registry.Current().VersionLabel() == strict.Label
	})
	resB, err := front.SubmitSample(ctx, sd, "b-")
	if err != nil {
		t.Fatal(err)
	}
	waitVersion(t, front, resB.DossierID, strict.Label)

	back := sys.Start(service.Options{Stages: []string{"extract", "classify", "check", "suggest"}})
	reps := systemtest.Wait(t, back, resA.DossierID, resB.DossierID)
	a, b := reps[0], reps[1]
	if a.Dossier.PipelineVersion != v1 || b.Dossier.PipelineVersion != strict.Label {
		t.Fatalf("versions: in flight %s (want %s), new %s (want %s)", a.Dossier.PipelineVersion, v1, b.Dossier.PipelineVersion, strict.Label)
	}
	for _, k := range sd.Expect.Present {
		if got := systemtest.FindingStatus(a, k); got != dossier.FindingPresent {
			t.Errorf("in-flight dossier: %s = %q, want present (old threshold)", k, got)
		}
		if got := systemtest.FindingStatus(b, k); got != dossier.FindingMissing {
			t.Errorf("new dossier: %s = %q, want missing (new threshold)", k, got)
		}
	}

	t.Run("RollbackReachesRunningWorkers", func(t *testing.T) {
		if _, err := front.Pipelines.Rollback(ctx, "op-lan", "quá chặt"); err != nil {
			t.Fatal(err)
		}
		systemtest.Eventually(t, "rollback to reach both processes", func() bool {
			return front.Registry.Current().VersionLabel() == v1 && back.Registry.Current().VersionLabel() == v1
		})
		resC, err := front.SubmitSample(ctx, sd, "c-")
		if err != nil {
			t.Fatal(err)
		}
		c := systemtest.Wait(t, back, resC.DossierID)[0]
		if c.Dossier.PipelineVersion != v1 {
			t.Fatalf("after rollback: version %s, want %s", c.Dossier.PipelineVersion, v1)
		}
		for _, k := range sd.Expect.Present {
			if got := systemtest.FindingStatus(c, k); got != dossier.FindingPresent {
				t.Errorf("after rollback: %s = %q, want present", k, got)
			}
		}
	})
}

// Limits are part of a version too: activating max_pages: 1 makes the
// running extract workers read one page of the two-page form on the next
// dossier, without a restart.
func TestActivatedLimitsApplyWithoutRestart(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	ctx := context.Background()
	svc := sys.Start(service.Options{})
	sd := systemtest.Samples(t)["khai-sinh-day-du"]
	pages := func(id string) int {
		r := systemtest.Wait(t, svc, id)[0]
		for _, d := range r.Documents {
			if d.Filename == "to-khai-khai-sinh.pdf" {
				return d.Pages
			}
		}
		t.Fatalf("no to-khai-khai-sinh.pdf in %s", id)
		return 0
	}
	before, err := svc.SubmitSample(ctx, sd, "p2-")
	if err != nil {
		t.Fatal(err)
	}
	if n := pages(before.DossierID); n != 2 {
		t.Fatalf("the form has %d pages under the default limits, want 2", n)
	}
	one, _, err := svc.Pipelines.Put(ctx, systemtest.Variant(t, "max_pages: 60", "max_pages: 1"), "op-lan", "một trang")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Pipelines.Activate(ctx, one.Label, "op-lan", "thử giới hạn trang"); err != nil {
		t.Fatal(err)
	}
	systemtest.Eventually(t, "activation", func() bool { return svc.Registry.Current().VersionLabel() == one.Label })
	after, err := svc.SubmitSample(ctx, sd, "p1-")
	if err != nil {
		t.Fatal(err)
	}
	if n := pages(after.DossierID); n != 1 {
		t.Fatalf("under max_pages: 1 the form has %d pages", n)
	}
}

func waitVersion(t *testing.T, svc *service.Service, id, version string) {
	t.Helper()
	systemtest.Eventually(t, "intake of "+id, func() bool {
		d, err := svc.Store.Dossier(context.Background(), id)
		return err == nil && d.Stage == dossier.StageExtract && d.PipelineVersion == version
	})
}
