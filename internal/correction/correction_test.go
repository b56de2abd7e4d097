package correction_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/api"
	"github.com/hoso-vn/hoso/app/replay"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/evals"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/correction"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/pipelines"
	"github.com/hoso-vn/hoso/pipelines/check"
)

// officials of the sample's agency and another, added as accounts: a
// correction is authorized from the users table, never the caller's word.
func officials(t *testing.T, sys *systemtest.System, agency string) map[string]review.Actor {
	t.Helper()
	as := map[string]review.Actor{
		"reviewer": {ID: "cb-review", Agency: agency, Roles: []string{review.RoleReviewer}},
		"approver": {ID: "cb-approve", Agency: agency, Roles: []string{review.RoleApprover}},
		"operator": {ID: "cb-ops", Agency: agency, Roles: []string{review.RoleOperator}},
		"outsider": {ID: "cb-other", Agency: "ubnd-khac", Roles: []string{review.RoleReviewer, review.RoleApprover}},
	}
	for _, a := range as {
		if _, err := auth.NewStore(sys.Pool).AddUser(context.Background(), auth.User{ID: a.ID, Name: a.ID, Agency: a.Agency, Roles: a.Roles}, ""); err != nil {
			t.Fatal(err)
		}
	}
	return as
}

// apiServer serves the real API; the X-Test-Official header names the
// account (the console's authentication is tested elsewhere).
func apiServer(t *testing.T, svc *service.Service, as map[string]review.Actor) *httptest.Server {
	a := &api.Server{Pool: svc.Pool, Deps: api.Deps{Corrections: svc.Corrections, Review: svc.Review,
		Actor: func(r *http.Request) (review.Actor, bool) {
			o, ok := as[r.Header.Get("X-Test-Official")]
			return o, ok
		}}}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func post(t *testing.T, srv *httptest.Server, who, id string, in correction.Input) (int, correction.Result, string) {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/dossiers/"+id+"/corrections", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Test-Official", who)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	var res correction.Result
	_ = json.Unmarshal(buf.Bytes(), &res)
	return resp.StatusCode, res, buf.String()
}

func wait(t *testing.T, svc *service.Service, id string) dossier.Report {
	t.Helper()
	return systemtest.Wait(t, svc, id)[0]
}

func finding(r dossier.Report, key string) dossier.Finding {
	for _, f := range r.Findings {
		if f.Key == key {
			return f
		}
	}
	return dossier.Finding{}
}

func count(t *testing.T, sys *systemtest.System, q string, args ...any) int {
	t.Helper()
	return sys.Count(q, args...)
}

// TestOfficialCorrections takes the building-permit sample (one paper,
// 1.013225, many cases) through each correction kind by the API, and
// checks the re-run, idempotency, the report's marks, that a reprocess and
// a replay keep the human decisions, that an approved suggestion is left
// alone, and that other agencies and roles are refused and audited.
func TestOfficialCorrections(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	sd := systemtest.Samples(t)["giay-phep-xay-dung"]
	res, err := svc.SubmitSample(ctx, sd, "corr-")
	if err != nil {
		t.Fatal(err)
	}
	id := res.DossierID
	before := wait(t, svc, id)
	as := officials(t, sys, sd.Agency)
	srv := apiServer(t, svc, as)
	proc, err := svc.Catalog.Get(ctx, sd.Procedure, before.Dossier.SubmittedAt)
	if err != nil {
		t.Fatal(err)
	}
	cases := correction.Cases(proc)
	house, ok := catalog.MatchCase(cases, "1.7")
	if !ok {
		t.Fatalf("no case 1.7 among %q", cases)
	}
	checkRuns := func() int {
		return count(t, sys, `SELECT count(*) FROM stage_runs WHERE dossier_id = $1 AND stage = 'check'`, id)
	}
	suggestRuns := func() int {
		return count(t, sys, `SELECT count(*) FROM stage_runs WHERE dossier_id = $1 AND stage = 'suggest'`, id)
	}
	runs0 := checkRuns()

	t.Run("UnknownCase", func(t *testing.T) {
		code, _, body := post(t, srv, "reviewer", id, correction.Input{Kind: "case", Case: "9.99 trường hợp không có"})
		if code != http.StatusBadRequest || !strings.Contains(body, "unknown case") {
			t.Fatalf("unknown case: %d %s", code, body)
		}
	})
	t.Run("FindingWithoutReason", func(t *testing.T) {
		code, _, body := post(t, srv, "reviewer", id, correction.Input{Kind: "finding", FindingKey: before.Findings[0].Key, Status: "present"})
		if code != http.StatusBadRequest {
			t.Fatalf("no reason: %d %s", code, body)
		}
	})

	// The case: 1.7 (nhà ở riêng lẻ). Its requirements apply, the others'
	// do not; each is marked as an official's decision.
	code, got, body := post(t, srv, "reviewer", id, correction.Input{Kind: "case", Case: "1.7", Reason: "Đơn ghi Loại công trình: Nhà ở riêng lẻ"})
	if code != http.StatusCreated || !got.Created || !got.Rerun || got.Correction.Value != house {
		t.Fatalf("set case: %d %s", code, body)
	}
	after := wait(t, svc, id)
	if checkRuns() != runs0+1 {
		t.Fatalf("check runs %d → %d, want one more", runs0, checkRuns())
	}
	var missing, other int
	for _, r := range proc.Requirements {
		f := finding(after, "req:"+r.Key)
		if !r.Optional || r.Condition == nil {
			continue
		}
		if *r.Condition == house && f.Status == dossier.FindingMissing {
			missing++
		}
		if *r.Condition != house {
			if f.Status != dossier.FindingNotApplicable && f.Status != dossier.FindingPresent {
				t.Errorf("%s of case %q: %s, want not_applicable", r.Key, *r.Condition, f.Status)
			}
			other++
		}
		if f.Source != dossier.SourceOfficial || f.Correction == nil || f.Correction.By != as["reviewer"].ID {
			t.Errorf("%s: source %q correction %+v, want the official's", r.Key, f.Source, f.Correction)
		}
	}
	if missing == 0 {
		t.Errorf("case %q: nothing missing (the drawings and land papers are not in the dossier)", house)
	}
	if after.Dossier.Status != dossier.StatusPrechecked {
		t.Errorf("status %s", after.Dossier.Status)
	}

	t.Run("SameCorrectionTwiceIsOneRun", func(t *testing.T) {
		n, s := checkRuns(), suggestRuns()
		code, got, body := post(t, srv, "reviewer", id, correction.Input{Kind: "case", Case: "1.7", Reason: "Đơn ghi Loại công trình: Nhà ở riêng lẻ"})
		if code != http.StatusOK || got.Created || got.Rerun {
			t.Fatalf("again: %d %s", code, body)
		}
		wait(t, svc, id)
		if checkRuns() != n || suggestRuns() != s {
			t.Fatalf("runs check %d → %d, suggest %d → %d; want none", n, checkRuns(), s, suggestRuns())
		}
		if c := count(t, sys, `SELECT count(*) FROM corrections WHERE dossier_id = $1`, id); c != 1 {
			t.Fatalf("corrections = %d, want 1", c)
		}
	})

	// An approved suggestion stays as it was when a finding is overridden.
	var approved dossier.Suggestion
	for _, sg := range after.Suggestions {
		if sg.Kind == "request_missing" && sg.Risk != "high" {
			approved = sg
			break
		}
	}
	if approved.ID == "" {
		t.Fatalf("no suggestion to approve:\n%+v", after.Suggestions)
	}
	if _, err := svc.Review.Approve(ctx, approved.ID, as["approver"], "đúng", nil); err != nil {
		t.Fatal(err)
	}
	fkey := strings.TrimPrefix(approved.Key, "missing:")
	extra := 0 // corrections made by subtests that may skip

	t.Run("OverrideFinding", func(t *testing.T) {
		code, got, body := post(t, srv, "approver", id, correction.Input{Kind: "finding", FindingKey: fkey, Status: "not_applicable",
			Reason: "Công trình cấp IV, không cần thẩm duyệt"})
		if code != http.StatusCreated || got.Correction.AutoValue != dossier.FindingMissing {
			t.Fatalf("override: %d %s", code, body)
		}
		r := wait(t, svc, id)
		f := finding(r, fkey)
		if f.Status != dossier.FindingNotApplicable || f.Source != dossier.SourceOfficial || f.Correction == nil ||
			f.Correction.Reason != "Công trình cấp IV, không cần thẩm duyệt" || f.Correction.Auto != dossier.FindingMissing {
			t.Fatalf("finding after override: %+v", f)
		}
		for _, sg := range r.Suggestions {
			if sg.ID == approved.ID && (sg.Status != dossier.SuggestionApproved || sg.Text != approved.Text) {
				t.Fatalf("approved suggestion changed: %+v", sg)
			}
		}
	})

	doc := after.Documents[0]
	formKey := doc.Type
	t.Run("OverrideWithdrawsPendingRequest", func(t *testing.T) {
		var pending dossier.Suggestion
		for _, sg := range after.Suggestions {
			if sg.Kind == "request_missing" && sg.ID != approved.ID && sg.Status == dossier.SuggestionPending {
				pending = sg
				break
			}
		}
		if pending.ID == "" {
			t.Skip("no second pending request")
		}
		key := strings.TrimPrefix(pending.Key, "missing:")
		code, got, body := post(t, srv, "reviewer", id, correction.Input{Kind: "finding", FindingKey: key, Status: "present", Reason: "Bản chính đã xuất trình tại quầy"})
		if code != http.StatusCreated || len(got.Withdrawn) != 1 || got.Withdrawn[0] != pending.ID {
			t.Fatalf("override: %d %s", code, body)
		}
		r := wait(t, svc, id)
		for _, sg := range r.Suggestions {
			if sg.ID == pending.ID && (sg.Status != dossier.SuggestionRejected || sg.DecidedBy != as["reviewer"].ID || !strings.Contains(sg.Reason, "Bản chính đã xuất trình")) {
				t.Fatalf("pending request after the override: %+v", sg)
			}
		}
		if f := finding(r, key); f.Status != dossier.FindingPresent || f.Source != dossier.SourceOfficial {
			t.Fatalf("finding after override: %+v", f)
		}
		extra++
	})

	t.Run("ReclassifyDocument", func(t *testing.T) {
		code, got, body := post(t, srv, "reviewer", id, correction.Input{Kind: "document_type", DocumentID: doc.ID, Type: "other"})
		if code != http.StatusCreated || got.Correction.AutoValue != formKey {
			t.Fatalf("reclassify: %d %s", code, body)
		}
		r := wait(t, svc, id)
		if r.Documents[0].Type != "other" || r.Documents[0].TypeSource != dossier.SourceOfficial || r.Documents[0].TypeCorrection == nil {
			t.Fatalf("document after reclassify: %+v", r.Documents[0])
		}
		if f := finding(r, "req:"+formKey); formKey != "" && f.Status == dossier.FindingPresent {
			t.Fatalf("%s still present after its only paper became other: %+v", formKey, f)
		}
		// And back: the paper is the application form.
		code, _, body = post(t, srv, "reviewer", id, correction.Input{Kind: "document_type", DocumentID: doc.ID, Type: formKey})
		if code != http.StatusCreated {
			t.Fatalf("reclassify back: %d %s", code, body)
		}
		r = wait(t, svc, id)
		if f := finding(r, "req:"+formKey); f.Status != dossier.FindingPresent || r.Documents[0].TypeSource != dossier.SourceOfficial {
			t.Fatalf("after reclassify back: %+v / %+v", f, r.Documents[0])
		}
	})

	t.Run("RedeliveryWritesNothing", func(t *testing.T) {
		// The check message delivered again after its run committed: the
		// inbox key (documents, corrections, version) is the same, so the
		// stage writes nothing — not even the findings this instance,
		// without citations, would compute differently.
		n := checkRuns()
		var findings string
		_ = sys.Pool.QueryRow(ctx, `SELECT string_agg(key || status || citations::text, ',' ORDER BY key) FROM findings WHERE dossier_id = $1`, id).Scan(&findings)
		st := &check.Stage{Store: svc.Store, Procedures: svc.Catalog, Registry: svc.Registry}
		for delivery := 2; delivery <= 3; delivery++ {
			if _, err := st.Run(ctx, pipelines.Input{DossierID: id, Delivery: delivery, Progress: func() {}}); err != nil {
				t.Fatal(err)
			}
		}
		var again string
		_ = sys.Pool.QueryRow(ctx, `SELECT string_agg(key || status || citations::text, ',' ORDER BY key) FROM findings WHERE dossier_id = $1`, id).Scan(&again)
		if checkRuns() != n || again != findings {
			t.Fatalf("redelivery: check runs %d → %d, findings changed %v", n, checkRuns(), again != findings)
		}
	})

	t.Run("ReprocessKeepsDecisions", func(t *testing.T) {
		if _, err := svc.Reprocess.Reprocess(ctx, []string{id}, replay.ReprocessOptions{From: dossier.StageClassify, Actor: "operator", Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		r := wait(t, svc, id)
		if f := finding(r, fkey); f.Status != dossier.FindingNotApplicable || f.Source != dossier.SourceOfficial {
			t.Fatalf("after reprocess the override is %+v", f)
		}
		if r.Documents[0].Type != formKey || r.Documents[0].TypeSource != dossier.SourceOfficial {
			t.Fatalf("after reprocess the document is %+v", r.Documents[0])
		}
		for _, req := range proc.Requirements {
			if req.Optional && req.Condition != nil && *req.Condition != house {
				if f := finding(r, "req:"+req.Key); f.Status != dossier.FindingNotApplicable && f.Status != dossier.FindingPresent {
					t.Fatalf("after reprocess %s is %s", req.Key, f.Status)
				}
			}
		}
	})

	t.Run("ReplayAppliesCorrections", func(t *testing.T) {
		rep, err := svc.Replay.Replay(ctx, id, "", "operator")
		if err != nil {
			t.Fatal(err)
		}
		var f dossier.Finding
		for _, g := range rep.AsRecorded.Findings {
			if g.Key == fkey {
				f = g
			}
		}
		if f.Status != dossier.FindingNotApplicable {
			t.Fatalf("replayed %s = %+v, want the official's not_applicable", fkey, f)
		}
		for _, m := range rep.Mismatches {
			if m.Key == fkey || strings.HasPrefix(m.Key, "req:") {
				t.Errorf("replay mismatch on %s: %+v", m.Key, m)
			}
		}
	})

	t.Run("RefusedAndAudited", func(t *testing.T) {
		for _, who := range []string{"outsider", "operator"} {
			code, _, body := post(t, srv, who, id, correction.Input{Kind: "case", Case: cases[0]})
			if code != http.StatusForbidden {
				t.Errorf("%s: %d %s, want 403", who, code, body)
			}
			if n := count(t, sys, `SELECT count(*) FROM audit_log WHERE action = 'correction.denied' AND actor = $1 AND entity_id = $2`, as[who].ID, id); n != 1 {
				t.Errorf("%s: %d refusal audit rows, want 1", who, n)
			}
		}
		if n := count(t, sys, `SELECT count(*) FROM audit_log WHERE action LIKE 'correction.%' AND action <> 'correction.denied' AND entity_id = $1`, id); n != 4+extra {
			t.Errorf("audited corrections = %d, want %d", n, 4+extra)
		}
		if n := count(t, sys, `SELECT count(*) FROM corrections WHERE dossier_id = $1`, id); n != 4+extra {
			t.Errorf("corrections = %d, want %d", n, 4+extra)
		}
	})

	t.Run("Harvest", func(t *testing.T) {
		var buf bytes.Buffer
		n, err := evals.Harvest(ctx, sys.Pool, store.New(sys.Pool), svc.Catalog, time.Time{}, &buf)
		if err != nil {
			t.Fatal(err)
		}
		// In force: the case, the findings, the document's last type.
		if n != 3+extra {
			t.Fatalf("harvested %d, want 3:\n%s", n, buf.String())
		}
		out := buf.String()
		if strings.Contains(out, sd.Applicant) || strings.Contains(out, id) {
			t.Errorf("the export names the applicant or the dossier:\n%s", out)
		}
		kinds := map[string]evals.Harvested{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var h evals.Harvested
			if err := json.Unmarshal([]byte(line), &h); err != nil {
				t.Fatal(err)
			}
			if h.Kind != "finding" || h.Finding == fkey {
				kinds[h.Kind] = h
			}
		}
		if h := kinds["case"]; h.Label != house || h.Procedure != sd.Procedure || len(h.Documents) != 1 {
			t.Errorf("case example %+v", h)
		}
		if h := kinds["document_type"]; h.Label != formKey || h.Auto != formKey || h.Text == "" || strings.Contains(h.Text, "Đỗ Minh Tuấn") || len(h.Requirements) == 0 {
			t.Errorf("document example %+v", h)
		}
		if h := kinds["finding"]; h.Label != dossier.FindingNotApplicable || h.Auto != dossier.FindingMissing || h.Finding != fkey || h.Reason == "" {
			t.Errorf("finding example %+v", h)
		}
		for _, doc := range after.Documents {
			for _, f := range doc.Fields {
				if (strings.Contains(f.Name, "name") || f.Name == "id_number") && len([]rune(f.Value)) > 3 && strings.Contains(out, f.Value) {
					t.Errorf("the export holds %s %q", f.Name, f.Value)
				}
			}
		}
	})
}
