package explain_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/explain"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
)

// seed writes a pre-checked khai sinh dossier with two missing papers; the
// official approves the request for one and leaves the other pending.
func seed(t *testing.T) (*explain.Builder, string) {
	t.Helper()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	cat := catalog.NewStore(pool)
	if _, err := cat.Import(ctx, "../../data/procedures", nil); err != nil {
		t.Fatal(err)
	}
	st := store.New(pool)
	id := "hs-gt-1"
	at := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	if _, err := st.CreateDossier(ctx, store.NewDossier{ID: id, ProcedureCode: "1.004222", ApplicantID: "079190000111", Agency: "cap-xa-1", SubmittedAt: at}); err != nil {
		t.Fatal(err)
	}
	clause := 1
	fs := []dossier.Finding{
		{Key: "req:ct01", Kind: "completeness", Requirement: "Tờ khai thay đổi thông tin cư trú (CT01)", Status: dossier.FindingMissing,
			Citations: []dossier.Citation{{Document: "68/2020/QH14", Article: 21, Clause: &clause, Text: "Tờ khai thay đổi thông tin cư trú"}}},
		{Key: "req:hop-dong", Kind: "completeness", Requirement: "Hợp đồng cho thuê nhà", Status: dossier.FindingMissing, Citations: []dossier.Citation{}},
	}
	sgs := []dossier.Suggestion{
		{Key: "missing:req:ct01", Kind: "request_missing", Text: "Đề nghị ông/bà bổ sung: Tờ khai thay đổi thông tin cư trú (CT01)."},
		{Key: "missing:req:hop-dong", Kind: "request_missing", Text: "Đề nghị ông/bà bổ sung: Hợp đồng cho thuê nhà."},
	}
	if _, err := st.CompleteStage(ctx, store.StageRun{DossierID: id, Stage: "suggest", InputHash: "x", StartedAt: at}, dossier.StageDone,
		store.Effects{Findings: fs, Suggestions: sgs, Status: dossier.StatusPrechecked}); err != nil {
		t.Fatal(err)
	}
	// The officials who decide below are accounts: review refuses names.
	for _, u := range []string{"cb", "cb2"} {
		if _, err := auth.NewStore(pool).AddUser(ctx, auth.User{ID: u, Name: u, Agency: "quan-tri", Roles: []string{review.RoleAdmin}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	rv := &review.Service{Pool: pool}
	if _, err := rv.Approve(ctx, store.SuggestionID(id, "missing:req:ct01"), review.Actor{ID: "cb", Roles: []string{review.RoleAdmin}}, "", nil); err != nil {
		t.Fatal(err)
	}
	return &explain.Builder{Pool: pool, Procedures: cat}, id
}

func TestExplanationUsesOnlyApproved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, id := seed(t)
	now := time.Date(2026, 4, 29, 10, 0, 0, 0, time.UTC) // before the 30/4–1/5 holidays
	msg, err := b.Build(ctx, id, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg.Text, "CT01") || !strings.Contains(msg.Text, "khoản 1 Điều 21 68/2020/QH14") {
		t.Errorf("text lacks the approved request or its clause:\n%s", msg.Text)
	}
	if strings.Contains(msg.Text, "Hợp đồng cho thuê") {
		t.Errorf("text states a suggestion no official approved:\n%s", msg.Text)
	}
	// 7 working days from 29/4/2026 skip 30/4, 1/5 and the weekend.
	if msg.Deadline.IsZero() || !strings.Contains(msg.Text, "7 ngày làm việc") || !msg.Deadline.After(now.AddDate(0, 0, 9)) {
		t.Errorf("deadline %v, text:\n%s", msg.Deadline, msg.Text)
	}
	sg, _, err := b.Draft(ctx, id, now)
	if err != nil || sg.Kind != "explanation" || sg.Status != dossier.SuggestionPending {
		t.Fatalf("%+v %v", sg, err)
	}
	// The official edits the explanation before approving it.
	rv := &review.Service{Pool: b.Pool}
	admin := review.Actor{ID: "cb2", Roles: []string{review.RoleAdmin}}
	if _, err := rv.Edit(ctx, sg.ID, admin, msg.Text+"\nMọi thắc mắc xin liên hệ Bộ phận Một cửa."); err != nil {
		t.Fatal(err)
	}
	if _, err := rv.Approve(ctx, sg.ID, admin, "", nil); err != nil {
		t.Fatal(err)
	}
	items, _ := review.Inbox(ctx, b.Pool, "079190000111", "")
	if len(items) != 2 || !strings.Contains(items[0].Text, "Bộ phận Một cửa") {
		t.Fatalf("inbox %+v", items)
	}
}

// TestPolishNeverAddsFacts runs the explanation through the fake
// OpenAI-compatible server: a wording that adds a fact is refused and the
// local text is kept; a faithful rewording is used.
func TestPolishNeverAddsFacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 4, 29, 10, 0, 0, 0, time.UTC)
	srv := llmtest.NewServer()
	t.Cleanup(srv.Close)
	// Each case has its own schema: the provider layer caches results by
	// input, and every case asks about the same explanation.
	setup := func(t *testing.T) (*explain.Builder, string, explain.Message) {
		b, id := seed(t)
		local, err := b.Build(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		c, err := llm.New(config.Config{OpenAIBaseURL: srv.BaseURL(), OpenAIAPIKey: "sk-test", OpenAIModel: "gpt-4o-mini", LLMTimeout: 5 * time.Second},
			b.Pool, map[string]llm.TaskConfig{llm.TaskSuggestWording: {Provider: llm.ProviderOpenAI}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Enabled(llm.TaskSuggestWording) {
			t.Fatal("wording task not enabled against the fake server")
		}
		b.Polisher = c
		return b, id, local
	}
	reply := func(s string) llmtest.Reply {
		j, _ := json.Marshal(map[string]string{"text": s})
		return llmtest.Content(string(j))
	}
	for _, tc := range []struct {
		name     string
		text     func(local string) string
		polished bool
	}{
		{"AddsDeadline", func(l string) string { return strings.Replace(l, "7 ngày", "5 ngày", 1) + " Hạn chót 15/05/2026." }, false},
		{"AddsDocument", func(l string) string {
			return l + " Ông/bà cũng cần nộp Giấy xác nhận tình trạng hôn nhân."
		}, false},
		{"ClaimsApproval", func(l string) string { return "Hồ sơ đã được phê duyệt. " + l }, false},
		{"Faithful", func(l string) string { return "Kính gửi ông/bà,\n" + l }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, id, local := setup(t)
			srv.Script("suggest_wording_v1", reply(tc.text(local.Text)))
			msg, err := b.Build(ctx, id, now)
			if err != nil {
				t.Fatal(err)
			}
			if msg.Polished != tc.polished {
				t.Fatalf("polished=%v (rejected %q), want %v", msg.Polished, msg.Rejected, tc.polished)
			}
			if !tc.polished && msg.Text != local.Text {
				t.Errorf("a refused wording changed the text:\n%s", msg.Text)
			}
		})
	}
}
