package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/report"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/submission"
	"github.com/hoso-vn/hoso/pipelines"
	"github.com/hoso-vn/hoso/pipelines/extract"
)

func TestMain(m *testing.M) {
	doctext.MaybeRunSandbox() // this test binary doubles as the extraction sandbox
	code := m.Run()
	if err := writePerfDoc(); err != nil { // HOSO_PERF_DOC, after the benchmarks
		fmt.Fprintln(os.Stderr, "write performance doc:", err)
		code = 1
	}
	os.Exit(code)
}

// repoRoot finds the repository root from this file.
func repoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

type system struct {
	*service.Service
	url    string
	prefix string
}

// start builds the whole system on a fresh schema and an embedded NATS
// server, with the sample catalog loaded.
func start(t testing.TB, opts service.Options) (*system, func(service.Options) *service.Service) {
	t.Helper()
	return startCfg(t, opts, nil)
}

// startCfg is start with the environment wrapped by env (nil: unchanged).
func startCfg(t testing.TB, opts service.Options, env func(func(string) string) func(string) string) (*system, func(service.Options) *service.Service) {
	t.Helper()
	ctx := context.Background()
	pool, url := postgrestest.New(t)
	srv := brokertest.Server(t)
	get := func(k string) string {
		switch k {
		case "DATABASE_URL":
			return url
		case "HOSO_STUCK_AFTER":
			return "2s"
		}
		return ""
	}
	if env != nil {
		get = env(get)
	}
	cfg, err := config.Load(get)
	if err != nil {
		t.Fatal(err)
	}
	cfg.StreamPrefix = systemtest.StreamPrefix(t.Name())
	mk := func(o service.Options) *service.Service {
		o.Pool, o.Embedded = pool, srv
		if os.Getenv("HOSO_TEST_LOG") != "" && o.Log == nil {
			o.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
		if o.ReconcileInterval == 0 {
			o.ReconcileInterval = 500 * time.Millisecond
		}
		s, err := service.New(ctx, cfg, o)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := mk(opts)
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	root := repoRoot(t)
	if _, err := s.Catalog.Import(ctx, filepath.Join(root, "data", "procedures"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Catalog.ApplyOverrides(ctx, filepath.Join(root, "pipelines", "catalog")); err != nil {
		t.Fatal(err)
	}
	return &system{Service: s, url: url, prefix: cfg.StreamPrefix}, mk
}

func samples(t *testing.T) map[string]service.SampleDossier {
	t.Helper()
	list, err := service.LoadSamples(filepath.Join(repoRoot(t), "data", "dossiers"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]service.SampleDossier{}
	for _, s := range list {
		m[s.Name] = s
	}
	return m
}

func wait(t *testing.T, s *service.Service, ids ...string) []dossier.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	reps, err := s.WaitDone(ctx, ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	return reps
}

func findingStatus(r dossier.Report, key string) string {
	for _, f := range r.Findings {
		if f.Key == "req:"+key {
			return f.Status
		}
	}
	return ""
}

func TestDossierFlowsEndToEnd(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{})
	ctx := context.Background()
	ss := samples(t)
	var ids []string
	names := []string{"khai-sinh-day-du", "khai-sinh-thieu-giay-chung-sinh", "ho-kinh-doanh-uy-quyen"}
	for _, n := range names {
		res, err := sys.SubmitSample(ctx, ss[n], "t-")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.DossierID)
	}
	reps := wait(t, sys.Service, ids...)

	t.Run("PresentAndMissing", func(t *testing.T) {
		for i, n := range names {
			sd, r := ss[n], reps[i]
			if r.Dossier.Status != dossier.StatusPrechecked {
				t.Fatalf("%s: status %s", n, r.Dossier.Status)
			}
			for _, k := range sd.Expect.Present {
				if got := findingStatus(r, k); got != dossier.FindingPresent {
					t.Errorf("%s: requirement %s = %q, want present\n%s", n, k, got, dump(r))
				}
			}
			for _, k := range sd.Expect.Missing {
				if got := findingStatus(r, k); got != dossier.FindingMissing {
					t.Errorf("%s: requirement %s = %q, want missing\n%s", n, k, got, dump(r))
				}
			}
			if len(r.Timeline) != len(dossier.Stages) {
				t.Errorf("%s: timeline has %d stages, want %d", n, len(r.Timeline), len(dossier.Stages))
			}
		}
	})
	t.Run("MissingBecomesPendingSuggestion", func(t *testing.T) {
		r := reps[1]
		var found bool
		for _, s := range r.Suggestions {
			if s.Kind == "request_missing" {
				found = true
				if s.Status != dossier.SuggestionPending {
					t.Errorf("suggestion %s status %s, want pending_review", s.ID, s.Status)
				}
			}
		}
		if !found {
			t.Errorf("no request_missing suggestion:\n%s", dump(r))
		}
	})
	t.Run("MismatchedNameIsInconsistent", func(t *testing.T) {
		r := reps[1] // the mother's ID card reads LAM, the declaration LAN
		for _, f := range r.Findings {
			if f.Kind == "consistency" && f.Status == dossier.FindingInvalid {
				return
			}
		}
		t.Errorf("no consistency finding for the mismatched name:\n%s", dump(r))
	})
	t.Run("CorruptPDFIsFailedWithReason", func(t *testing.T) {
		r := reps[2]
		for _, d := range r.Documents {
			if d.Filename == "ban-sao-hop-dong-thue-hong.pdf" {
				if d.ExtractionStatus != dossier.ExtractFailed || d.ExtractionError == "" {
					t.Errorf("corrupt PDF: status %s, error %q", d.ExtractionStatus, d.ExtractionError)
				}
				return
			}
		}
		t.Error("corrupt PDF not in report")
	})
}

func dump(r dossier.Report) string {
	b, _ := json.MarshalIndent(r, "", "  ")
	if len(b) > 6000 {
		b = b[:6000]
	}
	return string(b)
}

func TestDuplicateSubmissionIsOneDossier(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{NoWorkers: true, ReconcileInterval: -1})
	ctx := context.Background()
	sd := samples(t)["khai-sinh-day-du"]
	var ids []string
	for range 3 {
		res, err := sys.SubmitSample(ctx, sd, "dup-")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.DossierID)
	}
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Fatalf("same key gave different dossiers: %v", ids)
	}
	var n int
	if err := sys.Pool.QueryRow(ctx, `SELECT count(*) FROM dossiers`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("dossiers = %d (%v), want 1", n, err)
	}
}

func TestSubmissionLimits(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{NoWorkers: true, ReconcileInterval: -1})
	ctx := context.Background()
	pdf, _ := os.ReadFile(filepath.Join(repoRoot(t), "data", "dossiers", "giay-chung-sinh.pdf"))
	cases := map[string]struct {
		req  submission.Request
		code dossier.Code
	}{
		"ErrWrongMagic":   {submission.Request{ProcedureCode: "1.001193", ApplicantID: "001195012345", Files: []submission.File{{Name: "x.pdf", Data: []byte("MZ\x90\x00 not a pdf")}}}, dossier.CodeUnsupported},
		"ErrNoFiles":      {submission.Request{ProcedureCode: "1.001193", ApplicantID: "001195012345"}, dossier.CodeInvalid},
		"ErrBadProcedure": {submission.Request{ProcedureCode: "khai sinh", ApplicantID: "001195012345", Files: []submission.File{{Name: "a.pdf", Data: pdf}}}, dossier.CodeInvalid},
		"ErrTooMany":      {submission.Request{ProcedureCode: "1.001193", ApplicantID: "001195012345", Files: slices.Repeat([]submission.File{{Name: "a.pdf", Data: pdf}}, 50)}, dossier.CodeTooLarge},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := sys.Submission.Submit(ctx, c.req)
			if dossier.ErrorCode(err) != c.code {
				t.Fatalf("err = %v, want code %s", err, c.code)
			}
		})
	}
	var n int
	_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM dossiers`).Scan(&n)
	if n != 0 {
		t.Fatalf("rejected submissions stored %d dossiers", n)
	}
}

func TestPoisonMessageIsDeadLettered(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{})
	ctx := context.Background()
	b := sys.Broker
	if err := b.Publish(ctx, b.Names.StageSubject("extract"), "poison-1", []byte(`{"dossier_id": 42`), nil); err != nil {
		t.Fatal(err)
	}
	res, err := sys.SubmitSample(ctx, samples(t)["khai-sinh-day-du"], "p-")
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, res.DossierID)[0]
	if r.Dossier.Status != dossier.StatusPrechecked {
		t.Fatalf("healthy dossier status %s", r.Dossier.Status)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var reason string
		err := sys.Pool.QueryRow(ctx, `SELECT reason FROM dead_letters WHERE stage = 'extract'`).Scan(&reason)
		if err == nil {
			if reason == "" {
				t.Fatal("dead letter without reason")
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no dead letter for the poison message: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A worker that committed a stage and died before publishing and acking:
// on restart the message is redelivered, the inbox skips the effects, and the
// dossier completes once.
func TestStoppedMidStageCompletesOnce(t *testing.T) {
	t.Parallel()
	sys, mk := start(t, service.Options{Stages: []string{"intake"}, ReconcileInterval: -1})
	ctx := context.Background()
	res, err := sys.SubmitSample(ctx, samples(t)["khai-sinh-thieu-giay-chung-sinh"], "stop-")
	if err != nil {
		t.Fatal(err)
	}
	waitStage(t, sys.Store, res.DossierID, "extract")
	// Run the extract stage by hand, as the dead worker did: it commits.
	st := &extract.Stage{Store: sys.Store, Files: sys.Broker.Files, Extractor: sys.Extractor, Registry: sys.Registry}
	if _, err := st.Run(ctx, pipelines.Input{DossierID: res.DossierID, Delivery: 1, Progress: func() {}}); err != nil {
		t.Fatal(err)
	}
	if err := sys.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// Restart with every stage: the unacked extract message is delivered.
	s2 := mk(service.Options{})
	t.Cleanup(func() { _ = s2.Close(context.Background()) })
	r := wait(t, s2, res.DossierID)[0]
	if r.Dossier.Status != dossier.StatusPrechecked {
		t.Fatalf("status %s", r.Dossier.Status)
	}
	assertNoDuplicates(t, s2, res.DossierID)
	// Redeliver every stage's message once more, as JetStream may after an
	// ack: nothing changes.
	for _, stg := range []string{"intake", "extract", "classify", "check", "suggest"} {
		if err := s2.Publisher.PublishStage(ctx, res.DossierID, stg); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s2.Store.Touch(ctx, res.DossierID, true); err != nil {
		t.Fatal(err)
	}
	for _, stg := range []string{"extract", "check", "suggest"} {
		if err := s2.Publisher.PublishStage(ctx, res.DossierID, stg); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(2 * time.Second)
	assertNoDuplicates(t, s2, res.DossierID)
}

func waitStage(t *testing.T, st *store.Store, id, stage string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		d, err := st.Dossier(context.Background(), id)
		if err == nil && d.Stage == stage {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("dossier %s never reached %s (at %s, %v)", id, stage, d.Stage, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func assertNoDuplicates(t *testing.T, s *service.Service, id string) {
	t.Helper()
	ctx := context.Background()
	r, err := report.Load(ctx, s.Pool, id)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if seen[f.Key] {
			t.Errorf("duplicate finding %s", f.Key)
		}
		seen[f.Key] = true
	}
	var runs int
	_ = s.Pool.QueryRow(ctx, `SELECT count(*) FROM stage_runs WHERE dossier_id = $1`, id).Scan(&runs)
	if runs != len(dossier.Stages) {
		t.Errorf("stage runs = %d, want %d (each stage's effects once)", runs, len(dossier.Stages))
	}
	var sugg, distinct int
	_ = s.Pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT key) FROM suggestions WHERE dossier_id = $1`, id).Scan(&sugg, &distinct)
	if sugg != distinct || sugg == 0 {
		t.Errorf("suggestions = %d, distinct = %d", sugg, distinct)
	}
}

func TestApproveNotifiesRejectDoesNot(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{})
	ctx := context.Background()
	sd := samples(t)["khai-sinh-thieu-giay-chung-sinh"]
	res, err := sys.SubmitSample(ctx, sd, "rv-")
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, res.DossierID)[0]
	var normal []dossier.Suggestion
	for _, s := range r.Suggestions {
		if s.Risk != "high" {
			normal = append(normal, s)
		}
	}
	if len(normal) < 1 {
		t.Fatalf("want a normal-risk suggestion:\n%s", dump(r))
	}
	official := review.Actor{ID: "cb-01", Agency: sd.Agency, Roles: []string{review.RoleApprover}}
	outsider := review.Actor{ID: "cb-99", Agency: "ubnd-khac", Roles: []string{review.RoleApprover}}
	for _, a := range []review.Actor{official, outsider} { // review decides only for accounts
		if _, err := auth.NewStore(sys.Pool).AddUser(ctx, auth.User{ID: a.ID, Name: a.ID, Agency: a.Agency, Roles: a.Roles}, ""); err != nil {
			t.Fatal(err)
		}
	}
	cons, err := sys.Broker.JS.CreateOrUpdateConsumer(ctx, sys.Broker.Names.NotifyStream(), jetstream.ConsumerConfig{
		FilterSubject: sys.Broker.Names.NotifySubject(sd.Applicant), AckPolicy: jetstream.AckExplicitPolicy})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing reaches the citizen before an approval.
	if n := inboxCount(t, sys, sd.Applicant); n != 0 {
		t.Fatalf("inbox has %d items before approval", n)
	}
	if _, err := sys.Review.Approve(ctx, normal[0].ID, official, "đúng quy định", nil); err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var got int
	for m := range batch.Messages() {
		var n review.Notification
		if err := json.Unmarshal(m.Data(), &n); err != nil || n.SuggestionID != normal[0].ID {
			t.Errorf("notification %s: %v", m.Data(), err)
		}
		got++
	}
	if got != 1 || inboxCount(t, sys, sd.Applicant) != 1 {
		t.Fatalf("after approve: %d messages, %d inbox rows", got, inboxCount(t, sys, sd.Applicant))
	}
	t.Run("Reject", func(t *testing.T) {
		var other *dossier.Suggestion
		for i := range r.Suggestions {
			if r.Suggestions[i].ID != normal[0].ID {
				other = &r.Suggestions[i]
			}
		}
		if other == nil {
			t.Skip("one suggestion only")
		}
		if _, err := sys.Review.Reject(ctx, other.ID, official, "không cần thiết"); err != nil {
			t.Fatal(err)
		}
		if n := inboxCount(t, sys, sd.Applicant); n != 1 {
			t.Fatalf("reject changed the inbox: %d rows", n)
		}
		b, _ := cons.Fetch(1, jetstream.FetchMaxWait(500*time.Millisecond))
		for m := range b.Messages() {
			t.Fatalf("reject published %s", m.Data())
		}
	})
	t.Run("OtherAgencyForbidden", func(t *testing.T) {
		_, err := sys.Review.Approve(ctx, normal[0].ID, outsider, "", nil)
		if dossier.ErrorCode(err) != dossier.CodeForbidden {
			t.Fatalf("err = %v, want forbidden", err)
		}
	})
	var audits int
	_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'suggestion'`).Scan(&audits)
	if audits < 1 {
		t.Fatal("no audit rows")
	}
}

func inboxCount(t *testing.T, s *system, citizen string) int {
	items, err := review.Inbox(context.Background(), s.Pool, citizen, "")
	if err != nil {
		t.Fatal(err)
	}
	return len(items)
}

var _ = broker.DedupWindow

func startB(b *testing.B) (*system, func(service.Options) *service.Service) {
	return start(b, service.Options{ReconcileInterval: -1})
}
