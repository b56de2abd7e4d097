package extract_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
)

// TestMissingStoredFileIsASystemFailure: a dossier whose accepted file is
// gone from hoso's object store when extraction runs (the broker lost it,
// or the submission went to a store no worker reads) is hoso's failure. It
// is dead-lettered with a reason that says so, for an operator; no finding
// says the document is unreadable and no suggestion asks the citizen to
// upload it again.
func TestMissingStoredFileIsASystemFailure(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	ctx := context.Background()
	// Intake only: the dossier waits for extraction.
	first := sys.Start(service.Options{Stages: []string{"intake"}})
	res, err := first.SubmitSample(ctx, systemtest.Samples(t)["khai-sinh-day-du"], "lost-")
	if err != nil {
		t.Fatal(err)
	}
	systemtest.Eventually(t, "the dossier waiting for extraction", func() bool {
		d, err := first.Store.Dossier(ctx, res.DossierID)
		return err == nil && d.Stage == "extract"
	})
	docs, err := first.Store.Documents(ctx, res.DossierID)
	if err != nil || len(docs) == 0 {
		t.Fatalf("documents %v %v", docs, err)
	}
	if err := first.Broker.Files.Delete(ctx, docs[0].ObjectKey); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}

	sys.Start(service.Options{}) // every stage
	var reason string
	systemtest.Eventually(t, "a dead letter for the dossier", func() bool {
		return sys.Pool.QueryRow(ctx, `SELECT reason FROM dead_letters WHERE dossier_id = $1`, res.DossierID).Scan(&reason) == nil
	})
	if !strings.Contains(reason, "system failure, not the applicant's") || !strings.Contains(reason, docs[0].Filename) {
		t.Errorf("dead letter reason does not say hoso failed: %q", reason)
	}
	var status string
	var findings, suggestions int
	err = sys.Pool.QueryRow(ctx, `SELECT status, (SELECT count(*) FROM findings WHERE dossier_id = $1),
		(SELECT count(*) FROM suggestions WHERE dossier_id = $1) FROM dossiers WHERE id = $1`, res.DossierID).Scan(&status, &findings, &suggestions)
	if err != nil {
		t.Fatal(err)
	}
	if status != "failed" {
		t.Errorf("dossier status %s, want failed", status)
	}
	if findings != 0 || suggestions != 0 {
		t.Errorf("hoso's storage failure became %d findings and %d suggestions to the citizen", findings, suggestions)
	}
}
