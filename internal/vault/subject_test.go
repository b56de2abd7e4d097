package vault_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/submission"
	"github.com/hoso-vn/hoso/internal/vault"
)

func finding(r dossier.Report, key string) dossier.Finding {
	for _, f := range r.Findings {
		if f.Key == "req:"+key {
			return f
		}
	}
	return dossier.Finding{}
}

// The demo's accepted birth registration (child TRẦN MINH AN, mother
// 001195012345) puts the birth certificate into the mother's vault. A birth
// registration for another child of the same mother must not reuse it; the
// same child's must; a dossier that does not say which child it is about
// reuses nothing; and a replay of the accepted dossier sees the vault as it
// stood when it was checked, not with its own certificate in it.
func TestReuseOnlyForTheSameSubject(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	ss := systemtest.Samples(t)
	first, err := svc.SubmitSample(ctx, ss["khai-sinh-day-du"], "s1-")
	if err != nil {
		t.Fatal(err)
	}
	// The same child's dossier without the certificate, checked before the
	// first is accepted: the vault then offered nothing.
	before, err := svc.SubmitSample(ctx, ss["khai-sinh-thieu-giay-chung-sinh"], "s0-")
	if err != nil {
		t.Fatal(err)
	}
	systemtest.Wait(t, svc, first.DossierID, before.DossierID)
	acc, err := vault.New(sys.Pool).Accept(ctx, first.DossierID, review.Actor{ID: "quantri", Roles: []string{review.RoleAdmin}}, "đủ")
	if err != nil {
		t.Fatal(err)
	}
	var gcs *vault.Record
	for i, r := range acc.Records {
		if r.Type == "giay_chung_sinh" {
			gcs = &acc.Records[i]
		}
	}
	if gcs == nil || gcs.SubjectRole != vault.RoleChild || !strings.EqualFold(gcs.SubjectName, "Trần Minh An") || gcs.SubjectBirthDate != "2026-11-02" {
		t.Fatalf("the accepted birth certificate must carry its child: %+v", gcs)
	}

	read := func(name string) []byte {
		for _, dir := range []string{filepath.Join(systemtest.Root(), "data", "dossiers"), "testdata"} {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
				return b
			}
		}
		t.Fatalf("no file %s", name)
		return nil
	}
	submit := func(key string, files ...string) dossier.Report {
		t.Helper()
		req := submission.Request{ProcedureCode: "1.001193", ApplicantID: "001195012345", Agency: "ubnd-phuong-ba-dinh", IdempotencyKey: key}
		for _, f := range files {
			req.Files = append(req.Files, submission.File{Name: f, Data: read(f)})
		}
		res, err := svc.Submission.Submit(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return systemtest.Wait(t, svc, res.DossierID)[0]
	}

	t.Run("AnotherChildOfTheSameMother", func(t *testing.T) {
		r := submit("s-other-child", "to-khai-khai-sinh-con-thu-hai.txt", "the-can-cuoc-me.pdf")
		f := finding(r, "giay-chung-sinh")
		if f.Status != dossier.FindingMissing {
			t.Fatalf("giay-chung-sinh = %q (%s), want missing: the vault's certificate is TRẦN MINH AN's", f.Status, f.Evidence)
		}
		if !strings.Contains(f.Evidence, "Trần Minh An") || !strings.Contains(f.Evidence, "TRẦN BẢO NGỌC") || !strings.Contains(f.Evidence, "another child") {
			t.Errorf("evidence does not say why the record was not reused: %s", f.Evidence)
		}
	})
	t.Run("SameChild", func(t *testing.T) {
		r := submit("s-same-child", "to-khai-khai-sinh.pdf", "the-can-cuoc-me.pdf")
		f := finding(r, "giay-chung-sinh")
		if f.Status != dossier.FindingSatisfiedByReuse || f.Details["vault_record"] != gcs.ID {
			t.Fatalf("giay-chung-sinh = %q %v (%s), want reused from %s", f.Status, f.Details, f.Evidence, gcs.ID)
		}
	})
	t.Run("ChildUnclear", func(t *testing.T) {
		r := submit("s-no-child", "the-can-cuoc-me.pdf")
		f := finding(r, "giay-chung-sinh")
		if f.Status != dossier.FindingMissing || !strings.Contains(f.Evidence, "does not establish the child") {
			t.Fatalf("giay-chung-sinh = %q (%s), want missing because the dossier names no child", f.Status, f.Evidence)
		}
	})
	t.Run("RegistryRecordOfTheRightChild", func(t *testing.T) {
		res, err := svc.SubmitSample(ctx, ss["khai-sinh-dung-lai-giay-chung-sinh"], "s6-")
		if err != nil {
			t.Fatal(err)
		}
		r := systemtest.Wait(t, svc, res.DossierID)[0]
		if got := systemtest.FindingStatus(r, "giay-chung-sinh"); got != dossier.FindingSatisfiedByReuse {
			t.Fatalf("demo reuse sample: giay-chung-sinh = %q", got)
		}
	})
	t.Run("ReplayOfADossierCheckedBeforeTheRecordExisted", func(t *testing.T) {
		rep, err := svc.Replay.Replay(ctx, before.DossierID, "", "op-lan")
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Exact {
			t.Fatalf("replay used the vault as it is now, not as the check saw it: %+v", rep.Mismatches)
		}
		if got := finding(dossier.Report{Findings: rep.Under.Findings}, "giay-chung-sinh").Status; got != dossier.FindingMissing {
			t.Errorf("under the compared version giay-chung-sinh = %q, want missing (vault pinned)", got)
		}
	})
	t.Run("ReplayPinsTheVault", func(t *testing.T) {
		rep, err := svc.Replay.Replay(ctx, first.DossierID, "", "op-lan")
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Exact {
			t.Fatalf("replay of the accepted dossier is not exact (its own papers stood in for themselves?): %+v", rep.Mismatches)
		}
		if rep.Pins["vault_as_of"] == "" {
			t.Errorf("vault not pinned: %v", rep.Pins)
		}
		for _, f := range rep.AsRecorded.Findings {
			if f.Status == dossier.FindingSatisfiedByReuse {
				t.Errorf("replay reused %s from the vault", f.Key)
			}
		}
	})
}
