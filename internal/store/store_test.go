package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/store"
)

// TestCompleteStageWritesOnceInOneRoundTrip: a stage's effects (documents,
// findings, suggestions and the dossier's move) are written together, once:
// a redelivery writes nothing, an effect that fails leaves no trace (not
// even the inbox row, so the retry applies it), and the connection goes
// back to the pool usable.
func TestCompleteStageWritesOnceInOneRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	st := store.New(pool)
	id := "HS20261206T000000-0000ABCD"
	_, created, err := st.CreateDossier(ctx, store.NewDossier{ID: id, ProcedureCode: "1.001193", ApplicantID: "citizen-1", Agency: "a",
		SubmittedAt: time.Now(), Documents: []store.NewDocument{{Filename: "a.pdf", ObjectKey: "k1"}, {Filename: "b.pdf", ObjectKey: "k2"}}})
	if err != nil || !created {
		t.Fatal(created, err)
	}
	docs, err := st.Documents(ctx, id)
	if err != nil || len(docs) != 2 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	run := store.StageRun{DossierID: id, Stage: dossier.StageCheck, InputHash: "h1", StartedAt: time.Now(), Delivery: 1}
	eff := store.Effects{
		Extractions: []store.Extraction{{DocumentID: docs[0].ID, Status: "ok", PageTexts: []string{"một", "hai"}},
			{DocumentID: docs[1].ID, Status: "ok", PageTexts: []string{"ba"}}},
		Findings:    []dossier.Finding{{Key: "req:a", Kind: "requirement", Status: dossier.FindingPresent}, {Key: "req:b", Kind: "requirement", Status: dossier.FindingMissing}},
		Suggestions: []dossier.Suggestion{{Key: "missing:b", Kind: "request_missing", Text: "Bổ sung"}},
	}

	// An effect PostgreSQL refuses (a NUL byte in text) rolls back all.
	bad := eff
	bad.Findings = append([]dossier.Finding{{Key: "req:x", Kind: "requirement", Evidence: "nul\x00"}}, eff.Findings...)
	if _, err := st.CompleteStage(ctx, run, dossier.StageSuggest, bad); err == nil {
		t.Fatal("a refused effect did not fail the stage")
	}
	if f, _ := st.Findings(ctx, id); len(f) != 0 {
		t.Fatalf("%d findings after a failed stage, want 0", len(f))
	}

	for i := range 3 {
		e := eff
		if i > 0 {
			// A redelivery whose effects differ writes none of them.
			e.Findings = append([]dossier.Finding{{Key: fmt.Sprintf("req:again%d", i), Kind: "requirement"}}, eff.Findings...)
			e.Extractions = []store.Extraction{{DocumentID: docs[0].ID, Status: "failed"}}
		}
		applied, err := st.CompleteStage(ctx, run, dossier.StageSuggest, e)
		if err != nil {
			t.Fatal(err)
		}
		if applied != (i == 0) {
			t.Fatalf("attempt %d applied=%v", i, applied)
		}
	}
	d, err := st.Dossier(ctx, id)
	if err != nil || d.Stage != dossier.StageSuggest || d.Status != dossier.StatusProcessing {
		t.Fatalf("dossier %+v %v", d, err)
	}
	docs, _ = st.Documents(ctx, id)
	if docs[0].Pages != 2 || docs[0].ExtractionStatus != "ok" || docs[1].PageTexts[0] != "ba" {
		t.Errorf("documents not updated: %+v", docs)
	}
	if f, _ := st.Findings(ctx, id); len(f) != 2 {
		t.Errorf("%d findings, want 2", len(f))
	}
	sg, err := store.QuerySuggestions(ctx, pool, id)
	if err != nil || len(sg) != 1 {
		t.Fatalf("%d suggestions, %v", len(sg), err)
	}
	var citizen string
	if err := pool.QueryRow(ctx, `SELECT citizen_id FROM suggestions WHERE dossier_id = $1`, id).Scan(&citizen); err != nil || citizen != "citizen-1" {
		t.Errorf("suggestion citizen %q, %v", citizen, err)
	}
	for _, c := range pool.AcquireAllIdle(ctx) {
		if c.Conn().PgConn().TxStatus() != 'I' {
			t.Error("a connection went back to the pool inside a transaction")
		}
		c.Release()
	}
}
