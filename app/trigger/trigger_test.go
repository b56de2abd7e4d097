package trigger_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/app/trigger"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/workers"
)

const (
	agency  = "ubnd-phuong-1"
	citizen = "079190000111"
)

var approver = review.Actor{ID: "cb-duyet", Agency: agency, Roles: []string{review.RoleApprover}}

type fixture struct {
	pool   *pgxpool.Pool
	b      *broker.Broker
	cat    *catalog.Store
	vault  *vault.Store
	engine *trigger.Engine
	review *review.Service
}

func newFixture(t *testing.T, now time.Time) fixture {
	t.Helper()
	pool, _ := postgrestest.New(t)
	b, _ := brokertest.New(t)
	cat := catalog.NewStore(pool)
	if _, err := cat.Import(context.Background(), "../../data/procedures", nil); err != nil {
		t.Fatal(err)
	}
	rules, err := trigger.Default()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	// review decides only for accounts.
	if _, err := auth.NewStore(pool).AddUser(context.Background(), auth.User{ID: approver.ID, Name: approver.ID, Agency: approver.Agency, Roles: approver.Roles}, ""); err != nil {
		t.Fatal(err)
	}
	v := vault.New(pool)
	return fixture{
		pool: pool, b: b, cat: cat, vault: v,
		engine: &trigger.Engine{Pool: pool, Rules: rules, Procedures: cat, DefaultAgency: agency, Log: log, Now: func() time.Time { return now }},
		review: &review.Service{Pool: pool, Notifier: &workers.Publisher{Broker: b}, Log: log},
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (f fixture) notifications(t *testing.T) uint64 {
	t.Helper()
	s, err := f.b.JS.Stream(context.Background(), f.b.Names.NotifyStream())
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func (f fixture) inbox(t *testing.T, who string) []review.InboxItem {
	t.Helper()
	items, err := review.Inbox(context.Background(), f.pool, who, "")
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// waitFor polls cond until it holds (events are consumed asynchronously);
// it fails after a generous bound, never asserting on speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestBirthReachesNoCitizenUntilApproved: a birth registered in the civil
// status registry, published on the NATS events subject, drafts the linked
// liên thông procedure; nothing reaches the citizen (inbox, notify subject)
// until an official approves it.
func TestBirthReachesNoCitizenUntilApproved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, time.Now())
	stop, err := f.engine.Consume(ctx, f.b)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ev := trigger.Event{ID: "hotich-ks-2026-000123", Kind: trigger.KindBirthRegistered, CitizenID: citizen,
		SubjectID: "001226000777", SubjectName: "Nguyễn Minh An", OccurredAt: time.Now()}
	for range 2 { // a redelivered or republished event drafts nothing twice
		if err := trigger.Publish(ctx, f.b, ev); err != nil {
			t.Fatal(err)
		}
	}
	var sid, status, text, why string
	waitFor(t, "the drafted suggestion", func() bool {
		err := f.pool.QueryRow(ctx, `SELECT s.id, s.status, s.text, s.rationale FROM suggestions s JOIN trigger_suggestions t ON t.suggestion_id = s.id
			WHERE t.rule_id = 'birth-linked'`).Scan(&sid, &status, &text, &why)
		return err == nil
	})
	if status != dossier.SuggestionPending {
		t.Fatalf("status %s, want pending_review", status)
	}
	if !strings.Contains(text, "2.000986") || !strings.Contains(text, "Nguyễn Minh An") {
		t.Errorf("text %q does not name the linked procedure and the child", text)
	}
	if !strings.Contains(why, "birth-linked") || !strings.Contains(why, ev.ID) {
		t.Errorf("rationale %q does not say why (rule and event)", why)
	}
	var n int
	_ = f.pool.QueryRow(ctx, `SELECT count(*) FROM suggestions`).Scan(&n)
	if n != 1 {
		t.Errorf("%d suggestions, want 1 (idempotent)", n)
	}
	if got := f.inbox(t, citizen); len(got) != 0 || f.notifications(t) != 0 {
		t.Fatalf("the citizen saw an unapproved suggestion: inbox %d, notifications %d", len(got), f.notifications(t))
	}
	if _, err := f.review.Approve(ctx, sid, approver, "", nil); err != nil {
		t.Fatal(err)
	}
	if got := f.inbox(t, citizen); len(got) != 1 || f.notifications(t) != 1 {
		t.Fatalf("after approval: inbox %d, notifications %d, want 1 and 1", len(got), f.notifications(t))
	}
}

// TestAcceptedBirthDossierSuggestsLinked: hoso's own result — an official
// accepting a khai sinh dossier — drafts the same follow-up on that dossier.
func TestAcceptedBirthDossierSuggestsLinked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, time.Now())
	seedPrechecked(t, f.pool, "hs-ks-9", "1.001193", time.Now())
	acc, err := f.vault.Accept(ctx, "hs-ks-9", approver, "")
	if err != nil {
		t.Fatal(err)
	}
	// The scheduler's pass processes the acceptance event (the outbox).
	rep, err := f.engine.Scan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pending != 1 || rep.Drafted != 0 {
		// Drafted counts only events the scan found itself.
		t.Logf("scan %+v", rep)
	}
	ds, err := f.engine.HandleStored(ctx, acc.EventID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].DossierID != "hs-ks-9" || ds[0].Procedure != "2.000986" || ds[0].Created {
		t.Fatalf("drafted %+v, want one (already made by the scan) on the accepted dossier", ds)
	}
	if len(f.inbox(t, citizen)) != 0 {
		t.Fatal("the citizen saw an unapproved suggestion")
	}
}

// TestIDCardExpiringIn20Days: the scheduler finds a card that expires in 20
// days and drafts a renewal prompt; a card with 40 days left is not due.
func TestIDCardExpiringIn20Days(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	f := newFixture(t, now)
	in20, in40 := now.AddDate(0, 0, 20), now.AddDate(0, 0, 40)
	for _, r := range []vault.Record{
		{OwnerID: citizen, Type: "cccd", SubjectIDNumber: citizen, ValidUntil: &in20, SourceRef: "a"},
		{OwnerID: "079190000222", Type: "cccd", SubjectIDNumber: "079190000222", ValidUntil: &in40, SourceRef: "b"},
	} {
		r.Source, r.VerifiedBy = "registry:can-cuoc", "registry:can-cuoc"
		if _, _, err := f.vault.Register(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := f.engine.Scan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Expiring != 1 || rep.Drafted != 1 {
		t.Fatalf("scan %+v, want one expiring card and one renewal", rep)
	}
	var text, kind, owner string
	if err := f.pool.QueryRow(ctx, `SELECT s.text, s.kind, s.citizen_id FROM suggestions s JOIN trigger_suggestions t ON t.suggestion_id = s.id
		WHERE t.rule_id = 'id-card-renewal'`).Scan(&text, &kind, &owner); err != nil {
		t.Fatal(err)
	}
	if kind != "renewal" || owner != citizen || !strings.Contains(text, "21/09/2026") || !strings.Contains(text, "còn 20 ngày") || !strings.Contains(text, "1.014063") {
		t.Errorf("renewal %s for %s: %q", kind, owner, text)
	}
	again, err := f.engine.Scan(ctx)
	if err != nil || again.Drafted != 0 {
		t.Fatalf("second scan %+v %v, want nothing new", again, err)
	}
}

// TestAcceptedPromptCreatesDraft: a citizen accepting an approved prompt
// starts a pre-filled draft dossier that is not sent to the pipeline;
// declining records the answer; every response is kept and counted.
func TestAcceptedPromptCreatesDraft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, time.Now())
	// What the vault holds: the child's birth certificate, the residence record.
	for i, r := range []vault.Record{
		{OwnerID: citizen, Type: "giay_chung_sinh", Fields: []dossier.Field{{Name: "full_name", Value: "Nguyễn Minh An", Subject: "child"},
			{Name: "date_of_birth", Value: "12/03/2026", Normalized: "2026-03-12", Subject: "child"}}},
		{OwnerID: citizen, Type: "xac_nhan_cu_tru", Fields: []dossier.Field{{Name: "address", Value: "số 5 ngõ 12 phố Huế, phường Hai Bà Trưng"}}},
	} {
		r.Source, r.SourceRef, r.VerifiedBy = "registry:t", string(rune('a'+i)), "registry:t"
		if _, _, err := f.vault.Register(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := f.engine.Handle(ctx, trigger.Event{ID: "ks-1", Kind: trigger.KindBirthRegistered, CitizenID: citizen, Origin: "api",
		SubjectName: "NGUYỄN MINH AN"}) // the child the draft is for: the vault's birth certificate must be hers
	if err != nil || len(ds) != 1 {
		t.Fatalf("%+v %v", ds, err)
	}
	if _, err := f.review.Approve(ctx, ds[0].SuggestionID, approver, "", nil); err != nil {
		t.Fatal(err)
	}
	items := f.inbox(t, citizen)
	if len(items) != 1 {
		t.Fatalf("inbox %d", len(items))
	}
	c := &trigger.Consent{Pool: f.pool, Vault: f.vault, Procedures: f.cat}
	ans, err := c.Respond(ctx, citizen, items[0].ID, trigger.ResponseAccepted, "citizen:"+citizen)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Draft == nil || ans.RuleID != "birth-linked" {
		t.Fatalf("answer %+v, want a draft", ans)
	}
	var status, code string
	var meta []byte
	if err := f.pool.QueryRow(ctx, `SELECT status, procedure_code, metadata FROM dossiers WHERE id = $1`, ans.Draft.DossierID).Scan(&status, &code, &meta); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Prefill      map[string]string `json:"prefill"`
		VaultRecords map[string]string `json:"vault_records"`
	}
	_ = json.Unmarshal(meta, &m)
	if status != trigger.StatusDraft || code != "2.000986" {
		t.Errorf("draft %s %s", status, code)
	}
	if m.Prefill["child.full_name"] != "Nguyễn Minh An" || m.Prefill["applicant.address"] == "" {
		t.Errorf("prefill %v", m.Prefill)
	}
	if _, ok := m.VaultRecords["giay-chung-sinh-do-co-so-y-te-noi-tre-em-sinh-ra"]; !ok {
		t.Errorf("vault records %v: the birth certificate should be reused", m.VaultRecords)
	}
	// Not published: nothing on the work stream.
	s, _ := f.b.JS.Stream(ctx, f.b.Names.WorkStream())
	if info, _ := s.Info(ctx); info.State.Msgs != 0 {
		t.Errorf("%d stage messages; a draft must not enter the pipeline", info.State.Msgs)
	}
	t.Run("SameAnswerAgainIsIdempotent", func(t *testing.T) {
		again, err := c.Respond(ctx, citizen, items[0].ID, trigger.ResponseAccepted, "citizen:"+citizen)
		if err != nil || !again.Already || again.Draft == nil || again.Draft.DossierID != ans.Draft.DossierID {
			t.Fatalf("%+v %v", again, err)
		}
	})
	t.Run("ChangingTheAnswerConflicts", func(t *testing.T) {
		_, err := c.Respond(ctx, citizen, items[0].ID, trigger.ResponseDeclined, "citizen:"+citizen)
		if dossier.ErrorCode(err) != dossier.CodeConflict {
			t.Fatalf("err %v, want conflict", err)
		}
	})
	t.Run("AnotherCitizensItem", func(t *testing.T) {
		_, err := c.Respond(ctx, "079190000222", items[0].ID, trigger.ResponseAccepted, "citizen:079190000222")
		if dossier.ErrorCode(err) != dossier.CodeNotFound {
			t.Fatalf("err %v, want not found", err)
		}
	})
	t.Run("DeclineAndStats", func(t *testing.T) {
		ds, err := f.engine.Handle(ctx, trigger.Event{ID: "ks-2", Kind: trigger.KindBirthRegistered, CitizenID: citizen})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.review.Approve(ctx, ds[0].SuggestionID, approver, "", nil); err != nil {
			t.Fatal(err)
		}
		var item int64
		_ = f.pool.QueryRow(ctx, `SELECT id FROM citizen_inbox WHERE suggestion_id = $1`, ds[0].SuggestionID).Scan(&item)
		if a, err := c.Respond(ctx, citizen, item, trigger.ResponseDeclined, "portal"); err != nil || a.Draft != nil {
			t.Fatalf("%+v %v", a, err)
		}
		ds3, _ := f.engine.Handle(ctx, trigger.Event{ID: "ks-3", Kind: trigger.KindBirthRegistered, CitizenID: citizen})
		if _, err := f.review.Reject(ctx, ds3[0].SuggestionID, approver, "trẻ đã có thẻ BHYT"); err != nil {
			t.Fatal(err)
		}
		stats, err := trigger.Stats(ctx, f.pool)
		if err != nil || len(stats) != 1 {
			t.Fatalf("%+v %v", stats, err)
		}
		want := trigger.RuleStats{RuleID: "birth-linked", Made: 3, Approved: 2, Rejected: 1, Accepted: 1, Declined: 1}
		if stats[0] != want {
			t.Errorf("stats %+v, want %+v", stats[0], want)
		}
	})
}

// TestIncompleteConsolidated: a dossier still lacking papers five days
// after its pre-check gets one request listing everything missing.
func TestIncompleteConsolidated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Now()
	f := newFixture(t, now)
	seedPrechecked(t, f.pool, "hs-thieu-1", "1.004222", now,
		dossier.Finding{Key: "req:a", Kind: "completeness", Requirement: "Tờ khai thay đổi thông tin cư trú (CT01)", Status: dossier.FindingMissing},
		dossier.Finding{Key: "req:b", Kind: "completeness", Requirement: "Hợp đồng cho thuê nhà được công chứng", Status: dossier.FindingMissing},
		dossier.Finding{Key: "req:c", Kind: "completeness", Requirement: "Giấy tờ đã nộp", Status: dossier.FindingPresent})
	if rep, err := f.engine.Scan(ctx); err != nil || rep.Incomplete != 0 {
		t.Fatalf("fresh dossier: %+v %v", rep, err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE dossiers SET stage_since = $2 WHERE id = $1`, "hs-thieu-1", now.AddDate(0, 0, -6)); err != nil {
		t.Fatal(err)
	}
	rep, err := f.engine.Scan(ctx)
	if err != nil || rep.Incomplete != 1 || rep.Drafted != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	var text string
	if err := f.pool.QueryRow(ctx, `SELECT text FROM suggestions WHERE dossier_id = 'hs-thieu-1' AND kind = 'request_missing_consolidated'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"thiếu 2 thành phần", "CT01", "Hợp đồng cho thuê nhà", "118/2025/NĐ-CP"} {
		if !strings.Contains(text, want) {
			t.Errorf("text %q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "Giấy tờ đã nộp") {
		t.Error("the request asks for a paper already provided")
	}
}

// TestBusinessFollowups: a registered enterprise gets the tax and seal
// follow-ups; a household business only the tax one.
func TestBusinessFollowups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, time.Now())
	ds, err := f.engine.Handle(ctx, trigger.Event{ID: "dkkd-1", Kind: trigger.KindBusinessRegistered, CitizenID: "0312345678",
		SubjectName: "Công ty TNHH Hoa Sen", Data: map[string]string{"business_type": "doanh_nghiep"}})
	if err != nil || len(ds) != 2 || ds[0].Procedure != "1.011022" || ds[1].Kind != "follow_up_seal" {
		t.Fatalf("%+v %v", ds, err)
	}
	if !strings.Contains(ds[1].Text, "Điều 43 59/2020/QH14") {
		t.Errorf("seal text lacks its basis: %q", ds[1].Text)
	}
	hh, err := f.engine.Handle(ctx, trigger.Event{ID: "dkkd-2", Kind: trigger.KindBusinessRegistered, CitizenID: "038190000333",
		Data: map[string]string{"business_type": "ho_kinh_doanh"}})
	if err != nil || len(hh) != 1 {
		t.Fatalf("%+v %v", hh, err)
	}
}

func TestRulesValidate(t *testing.T) {
	t.Parallel()
	base := func(rule string) string {
		return "version: 1\nrules:\n" + rule
	}
	ok := "  - id: r1\n    on: [birth_registered]\n    suggest:\n      - kind: k\n        text: t\n        rationale: why\n"
	if _, err := trigger.Parse([]byte(base(ok))); err != nil {
		t.Fatalf("valid rules: %v", err)
	}
	for _, tc := range []struct{ name, yaml, field string }{
		{"UnknownKind", strings.Replace(ok, "birth_registered", "wedding", 1), ".on"},
		{"BadProcedure", strings.Replace(ok, "- kind: k", "- kind: k\n        procedure: \"2.98\"", 1), ".procedure"},
		{"NoRationale", strings.Replace(ok, "        rationale: why\n", "", 1), ".rationale"},
		{"BadTemplate", strings.Replace(ok, "text: t", "text: \"{{.Nope}}\"", 1), ".text"},
		{"ExpiringWithoutWindow", strings.Replace(ok, "birth_registered", "document_expiring", 1), ".within_days"},
		{"UnknownDocType", strings.Replace(ok, "on: [birth_registered]", "on: [document_expiring]\n    within_days: 3\n    match: {doc_types: [so_ho_khau]}", 1), ".match.doc_types"},
		{"UnknownField", strings.Replace(ok, "    on:", "    onn: x\n    on:", 1), "onn"},
		{"BadRisk", strings.Replace(ok, "- kind: k", "- kind: k\n        risk: extreme", 1), ".risk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := trigger.Parse([]byte(base(tc.yaml)))
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("err %v, want one naming %s", err, tc.field)
			}
		})
	}
}

// seedPrechecked writes a pre-checked dossier with findings.
func seedPrechecked(t *testing.T, pool *pgxpool.Pool, id, code string, at time.Time, fs ...dossier.Finding) {
	t.Helper()
	st := store.New(pool)
	ctx := context.Background()
	if _, err := st.CreateDossier(ctx, store.NewDossier{ID: id, ProcedureCode: code, ApplicantID: citizen, Agency: agency, SubmittedAt: at}); err != nil {
		t.Fatal(err)
	}
	for i := range fs {
		if fs[i].Citations == nil {
			fs[i].Citations = []dossier.Citation{}
		}
	}
	if _, err := st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: "check", InputHash: "x", StartedAt: at}, dossier.StageDone,
		store.Effects{Findings: fs, Status: dossier.StatusPrechecked}); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentPassesDraftOnce: two workers handling the same event at the
// same moment (both run the scheduler pass at start) draft one suggestion,
// and neither fails on the race between the suggestion's two unique keys.
func TestConcurrentPassesDraftOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, time.Now())
	for round := range 20 {
		ev := trigger.Event{ID: fmt.Sprintf("hotich-ks-race-%02d", round), Kind: trigger.KindBirthRegistered, CitizenID: citizen,
			SubjectID: fmt.Sprintf("0012260%05d", round), SubjectName: "Nguyễn Minh An", OccurredAt: time.Now()}
		start := make(chan struct{})
		errs := make(chan error, 8)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := f.engine.Handle(ctx, ev)
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
	var n int
	_ = f.pool.QueryRow(ctx, `SELECT count(*) FROM suggestions`).Scan(&n)
	if n != 20 {
		t.Fatalf("%d suggestions for 20 events, want 20", n)
	}
}

// lockedWriter collects log lines for assertions and passes them to t.Log.
type lockedWriter struct {
	t  *testing.T
	mu *sync.Mutex
	b  *strings.Builder
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.b.Write(p)
	w.mu.Unlock()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (w lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestEventsSettleThroughDecide: the events consumer is one of the runner's
// consumers, so its messages are settled by workers.Decide like a stage's —
// an event that can never succeed is terminated with a dead letter (the old
// consumer terminated it without one), and one that fails for a while is
// redelivered with the runner's backoff until it succeeds.
func TestEventsSettleThroughDecide(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, time.Now())
	logs := lockedWriter{t: t, mu: &sync.Mutex{}, b: &strings.Builder{}}
	r := &workers.Runner{Broker: f.b, Handlers: map[string]workers.Handler{broker.ConsumerEvents: f.engine.Handler()},
		Dead: store.New(f.pool), Log: slog.New(slog.NewTextHandler(logs, nil)), Timeout: time.Second}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Stop(ctx) }()

	t.Run("InvalidEventDeadLettered", func(t *testing.T) {
		if err := f.b.Publish(ctx, f.b.Names.EventSubject(trigger.KindBirthRegistered), "bad-event-1", []byte(`{"id": 42`), nil); err != nil {
			t.Fatal(err)
		}
		var stage, consumer string
		var deliveries int
		waitFor(t, "the dead letter of the invalid event", func() bool {
			return f.pool.QueryRow(ctx, `SELECT stage, consumer, deliveries FROM dead_letters`).Scan(&stage, &consumer, &deliveries) == nil
		})
		if stage != broker.ConsumerEvents || consumer != trigger.Durable(f.b.Names) || deliveries != 1 {
			t.Fatalf("dead letter stage %q consumer %q deliveries %d, want %q %q 1", stage, consumer, deliveries,
				broker.ConsumerEvents, trigger.Durable(f.b.Names))
		}
	})

	t.Run("FailedEventRedelivered", func(t *testing.T) {
		// While the events table is locked the handler times out: an
		// ordinary error, which Decide answers with a delayed redelivery.
		tx, err := f.pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if _, err := tx.Exec(ctx, `LOCK TABLE trigger_events IN ACCESS EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
		ev := trigger.Event{ID: "hotich-ks-2026-000999", Kind: trigger.KindBirthRegistered, CitizenID: citizen,
			SubjectID: "001226000888", SubjectName: "Trần Thu Hà", OccurredAt: time.Now()}
		if err := trigger.Publish(ctx, f.b, ev); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the runner's retry decision", func() bool {
			return strings.Contains(logs.String(), "stage="+broker.ConsumerEvents) && strings.Contains(logs.String(), "action=nak")
		})
		_ = tx.Rollback(ctx)
		waitFor(t, "the redelivered event processed", func() bool {
			var done bool
			err := f.pool.QueryRow(ctx, `SELECT processed_at IS NOT NULL FROM trigger_events WHERE id = $1`, ev.ID).Scan(&done)
			return err == nil && done
		})
		var n int
		_ = f.pool.QueryRow(ctx, `SELECT count(*) FROM dead_letters`).Scan(&n)
		if n != 1 { // the invalid event's, from the first subtest
			t.Errorf("%d dead letters, want 1: the retried event was dead-lettered", n)
		}
	})
}
