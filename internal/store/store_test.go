package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/store"
)

// TestStoredTextIsCleaned (#16.5): NUL, invalid UTF-8 and control
// characters from a document or a submitter never reach PostgreSQL, which
// refuses NUL in text and jsonb ("unsupported Unicode escape sequence"):
// page texts, errors, fields, details, evidence, file names and metadata are
// stored cleaned, and the stage completes.
func TestStoredTextIsCleaned(t *testing.T) {
	t.Parallel()
	pool, _ := postgrestest.New(t)
	ctx := context.Background()
	st := store.New(pool)
	const id = "HS20261206T000000-CLEAN001"
	dirty := "Giấy\x00 chứng\x01 sinh \xff\r\nhết"
	c, err := st.CreateDossier(ctx, store.NewDossier{ID: id, ProcedureCode: "1.001193", ApplicantID: "001195012345",
		SubmittedAt: time.Now(), Metadata: map[string]any{"note\x00": dirty, "n": 12345678901234567},
		Documents: []store.NewDocument{{Filename: "a\x00b.txt", ContentType: "text/plain", Size: 1, SHA256: "x", ObjectKey: "k"}}})
	if err != nil || !c.Created {
		t.Fatalf("create: %+v, %v", c, err)
	}
	doc := store.DocumentID(id, 1)
	_, err = st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: dossier.StageExtract, InputHash: "h", StartedAt: time.Now()}, dossier.StageClassify, store.Effects{
		Extractions:     []store.Extraction{{DocumentID: doc, Status: dossier.ExtractOK, Error: "lỗi\x00", PageTexts: []string{dirty}}},
		Classifications: []store.Classification{{DocumentID: doc, Type: "giay_chung_sinh", Details: map[string]any{"k\x00": []any{dirty}}, Fields: []dossier.Field{{Name: "full_name", Value: dirty}}}},
		Findings:        []dossier.Finding{{Key: "req:x", Kind: "completeness", Requirement: dirty, Status: dossier.FindingPresent, Evidence: dirty, Details: map[string]any{"e": dirty}}},
	})
	if err != nil {
		t.Fatalf("complete stage with dirty text: %v", err)
	}
	const want = "Giấy chứng sinh \ufffd\nhết"
	var page, field, evidence, filename, note, n, extErr string
	err = pool.QueryRow(ctx, `SELECT d.page_texts->>0, d.fields->0->>'value', f.evidence, d.filename, x.metadata->>'note', x.metadata->>'n', d.extraction_error
		FROM documents d JOIN findings f ON f.dossier_id = d.dossier_id JOIN dossiers x ON x.id = d.dossier_id WHERE d.id = $1`, doc).
		Scan(&page, &field, &evidence, &filename, &note, &n, &extErr)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{"page": page, "field": field, "evidence": evidence, "metadata": note} {
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if filename != "ab.txt" || extErr != "lỗi" || n != "12345678901234567" {
		t.Errorf("filename %q, error %q, number %q", filename, extErr, n)
	}
	if strings.ContainsRune(page+field+evidence, 0) {
		t.Error("NUL stored")
	}
}

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
	c0, err := st.CreateDossier(ctx, store.NewDossier{ID: id, ProcedureCode: "1.001193", ApplicantID: "citizen-1", Agency: "a",
		SubmittedAt: time.Now(), Documents: []store.NewDocument{{Filename: "a.pdf", ObjectKey: "k1"}, {Filename: "b.pdf", ObjectKey: "k2"}}})
	if err != nil || !c0.Created {
		t.Fatal(c0.Created, err)
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

	// An effect PostgreSQL refuses rolls back all. Texts from documents are
	// cleaned before they are written (TestStoredTextIsCleaned), so the
	// refusal here is a NUL in a finding's key, which is hoso's own.
	bad := eff
	bad.Findings = append([]dossier.Finding{{Key: "req:x\x00", Kind: "requirement", Evidence: "nul"}}, eff.Findings...)
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

// TestCompleteStageConcurrent: calls committed together (group commit)
// keep their own outcomes: each dossier moves once, a duplicate delivery of
// a run applies once however the calls are grouped, and a refused effect
// fails its own call only.
func TestCompleteStageConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	st := store.New(pool)
	const n = 40
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("HS20261206T000000-GRP%05d", i)
		if _, err := st.CreateDossier(ctx, store.NewDossier{ID: ids[i], ProcedureCode: "1.001193", ApplicantID: "c", Agency: "a", SubmittedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	type result struct {
		i       int
		bad     bool
		applied bool
		err     error
	}
	results := make(chan result, 3*n)
	var wg sync.WaitGroup
	for i, id := range ids {
		for dup := range 2 {
			wg.Go(func() {
				eff := store.Effects{Findings: []dossier.Finding{{Key: "k", Kind: "trivial", Status: "ok"}}}
				applied, err := st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: dossier.StageIntake, InputHash: "h", StartedAt: time.Now(), Delivery: dup + 1},
					dossier.StageExtract, eff)
				results <- result{i: i, applied: applied, err: err}
			})
		}
		wg.Go(func() {
			eff := store.Effects{Findings: []dossier.Finding{{Key: "bad\x00", Kind: "trivial"}}}
			_, err := st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: dossier.StageCheck, InputHash: "bad", StartedAt: time.Now()}, dossier.StageDone, eff)
			results <- result{i: i, bad: true, err: err}
		})
	}
	wg.Wait()
	close(results)
	applied := make([]int, n)
	for r := range results {
		switch {
		case r.bad && r.err == nil:
			t.Errorf("dossier %d: a refused effect did not fail its call", r.i)
		case !r.bad && r.err != nil:
			t.Errorf("dossier %d: %v", r.i, r.err)
		case r.applied:
			applied[r.i]++
		}
	}
	for i, id := range ids {
		d, err := st.Dossier(ctx, id)
		if applied[i] != 1 || err != nil || d.Stage != dossier.StageExtract {
			t.Errorf("dossier %d applied %d times, stage %q, %v", i, applied[i], d.Stage, err)
		}
	}
	var runs int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM stage_runs WHERE dossier_id LIKE 'HS20261206T000000-GRP%'`).Scan(&runs); err != nil || runs != n {
		t.Errorf("%d inbox rows, want %d (%v)", runs, n, err)
	}
}

// TestCompleteStageManyRows: a stage's rows of one kind are written
// together, in the stage's order; a key given twice (a document, a finding)
// ends as the last one says, at the place of the first, as row-by-row
// statements left it; a document's needs_review is only ever raised.
func TestCompleteStageManyRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	st := store.New(pool)
	id := "HS20261206T000000-0000ROWS"
	if _, err := st.CreateDossier(ctx, store.NewDossier{ID: id, ProcedureCode: "1.001193", ApplicantID: "citizen-1", Agency: "a",
		SubmittedAt: time.Now(), Documents: []store.NewDocument{{Filename: "a.pdf", ObjectKey: "k1"}, {Filename: "b.pdf", ObjectKey: "k2"}}}); err != nil {
		t.Fatal(err)
	}
	d1, d2 := store.DocumentID(id, 1), store.DocumentID(id, 2)
	var many []dossier.Finding
	for i := range 12 {
		many = append(many, dossier.Finding{Key: fmt.Sprintf("req:%02d", 11-i), Kind: "completeness", Status: dossier.FindingPresent, DocumentID: []string{"", d1, d2}[i%3]})
	}
	runs := []struct {
		stage string
		eff   store.Effects
	}{
		{dossier.StageExtract, store.Effects{Extractions: []store.Extraction{
			{DocumentID: d1, Status: "ok", PageTexts: []string{"một", "hai"}, NeedsReview: true},
			{DocumentID: d2, Status: "ok", PageTexts: []string{"ba"}}}}},
		{dossier.StageClassify, store.Effects{Classifications: []store.Classification{
			{DocumentID: d2, Type: "first", Confidence: 0.5, NeedsReview: true},
			{DocumentID: d1, Type: "to_khai", Confidence: 0.9, Fields: []dossier.Field{{Name: "n", Value: "v"}}},
			{DocumentID: d2, Type: "giay_chung_sinh", Confidence: 0.8}}}},
		{dossier.StageCheck, store.Effects{Findings: append(many,
			dossier.Finding{Key: "req:05", Kind: "consistency", Status: dossier.FindingMissing, Evidence: "later"})}},
	}
	for _, r := range runs {
		if _, err := st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: r.stage, InputHash: "h", StartedAt: time.Now()}, dossier.StageSuggest, r.eff); err != nil {
			t.Fatalf("%s: %v", r.stage, err)
		}
	}
	docs, err := st.Documents(ctx, id)
	if err != nil || len(docs) != 2 {
		t.Fatal(len(docs), err)
	}
	if docs[0].Pages != 2 || docs[0].PageTexts[1] != "hai" || docs[0].Type != "to_khai" || len(docs[0].Fields) != 1 || !docs[0].NeedsReview {
		t.Errorf("document 1: %+v", docs[0])
	}
	if docs[1].Pages != 1 || docs[1].Type != "giay_chung_sinh" || docs[1].Confidence != 0.8 || !docs[1].NeedsReview {
		t.Errorf("document 2: %+v", docs[1])
	}
	fs, err := st.Findings(ctx, id)
	if err != nil || len(fs) != 12 {
		t.Fatalf("%d findings, %v", len(fs), err)
	}
	for i, f := range fs {
		want := many[i]
		if f.Key == "req:05" {
			want.Kind, want.Status, want.Evidence = "consistency", dossier.FindingMissing, "later"
		}
		if f.Key != want.Key || f.Kind != want.Kind || f.Status != want.Status || f.Evidence != want.Evidence || f.DocumentID != want.DocumentID || f.Severity != "info" {
			t.Errorf("finding %d = %+v, want %+v", i, f, want)
		}
	}
	// All keys distinct: one statement, the same order.
	id2 := id + "2"
	if _, err := st.CreateDossier(ctx, store.NewDossier{ID: id2, ProcedureCode: "1.001193", ApplicantID: "citizen-1", Agency: "a",
		SubmittedAt: time.Now(), Documents: []store.NewDocument{{Filename: "a.pdf", ObjectKey: "k1"}, {Filename: "b.pdf", ObjectKey: "k2"}}}); err != nil {
		t.Fatal(err)
	}
	for i := range many {
		many[i].DocumentID = strings.Replace(many[i].DocumentID, id, id2, 1)
	}
	if _, err := st.CompleteStage(ctx, store.StageRun{DossierID: id2, Stage: dossier.StageCheck, InputHash: "h", StartedAt: time.Now()}, dossier.StageSuggest, store.Effects{Findings: many}); err != nil {
		t.Fatal(err)
	}
	fs, err = st.Findings(ctx, id2)
	if err != nil || len(fs) != len(many) {
		t.Fatalf("%d findings, %v", len(fs), err)
	}
	for i, f := range fs {
		if f.Key != many[i].Key || f.DocumentID != many[i].DocumentID {
			t.Errorf("finding %d = %+v, want %+v", i, f, many[i])
		}
	}
}

// TestDossierDocuments: the one-query read gives what Dossier and
// Documents give, for a dossier with documents and one without, and a
// missing dossier is not found.
func TestDossierDocuments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	st := store.New(pool)
	for i, docs := range [][]store.NewDocument{{{Filename: "b.pdf", ObjectKey: "k2"}, {Filename: "a.pdf", ObjectKey: "k1"}}, nil} {
		id := fmt.Sprintf("HS20261206T000000-0000DD%02d", i)
		if _, err := st.CreateDossier(ctx, store.NewDossier{ID: id, ProcedureCode: "1.001193", ApplicantID: "c", Agency: "a",
			SubmittedAt: time.Now(), Metadata: map[string]any{"k": "v"}, Documents: docs}); err != nil {
			t.Fatal(err)
		}
		if len(docs) > 0 {
			if _, err := st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: dossier.StageExtract, InputHash: "h", StartedAt: time.Now()}, dossier.StageClassify, store.Effects{
				Extractions: []store.Extraction{{DocumentID: store.DocumentID(id, 2), Status: "ok", PageTexts: []string{"một"}}}}); err != nil {
				t.Fatal(err)
			}
		}
		d, err := st.Dossier(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := st.Documents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		d2, ds2, err := st.DossierDocuments(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d, d2) || !reflect.DeepEqual(ds, ds2) || len(ds2) != len(docs) {
			t.Errorf("dossier %d: %+v %+v, want %+v %+v", i, d2, ds2, d, ds)
		}
	}
	if _, _, err := st.DossierDocuments(ctx, "HS20261206T000000-MISSING0"); dossier.ErrorCode(err) != dossier.CodeNotFound {
		t.Errorf("missing dossier: %v", err)
	}
}

// TestCompleteStageSameDossierConcurrent: concurrent runs of different
// stages of one dossier (a redelivered earlier stage meeting the next one)
// each apply once and say so (a dossier's calls are never in one group:
// its one statement would move the dossier once for both).
func TestCompleteStageSameDossierConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	st := store.New(pool)
	const n = 20
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("HS20261206T000000-SAME%05d", i)
		if _, err := st.CreateDossier(ctx, store.NewDossier{ID: ids[i], ProcedureCode: "1.001193", ApplicantID: "c", Agency: "a", SubmittedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	stages := []string{dossier.StageIntake, dossier.StageExtract, dossier.StageClassify}
	var wg sync.WaitGroup
	var mu sync.Mutex
	applied := map[string]int{}
	for _, id := range ids {
		for _, stage := range stages {
			wg.Go(func() {
				// No findings: a group holding one dossier twice
				// would fail on them and be retried call by call,
				// which hides a wrong outcome.
				ok, err := st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: stage, InputHash: "h", StartedAt: time.Now()}, dossier.StageCheck, store.Effects{})
				if err != nil {
					t.Errorf("%s %s: %v", id, stage, err)
				}
				if ok {
					mu.Lock()
					applied[id+"/"+stage]++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	for _, id := range ids {
		for _, stage := range stages {
			if applied[id+"/"+stage] != 1 {
				t.Errorf("%s %s applied %d times", id, stage, applied[id+"/"+stage])
			}
		}
		if d, err := st.Dossier(ctx, id); err != nil || d.Stage != dossier.StageCheck {
			t.Errorf("%s: stage %q, %v", id, d.Stage, err)
		}
	}
}
