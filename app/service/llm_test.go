package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
)

func startWithLLM(t *testing.T, srv *llmtest.Server) *system {
	t.Helper()
	sys, _ := startCfg(t, service.Options{}, func(get func(string) string) func(string) string {
		return func(k string) string {
			switch k {
			case "OPENAI_BASE_URL":
				return srv.BaseURL()
			case "OPENAI_API_KEY":
				return "sk-test"
			case "OPENAI_MODEL":
				return "gpt-test"
			case "HOSO_STUCK_AFTER":
				// Longer than a retry delay: a dossier waiting for its
				// redelivery is not stuck.
				return "30s"
			}
			return get(k)
		}
	})
	return sys
}

// With an endpoint configured, classification goes through it; every
// result is recorded with its model and prompt hash.
func TestLLMClassifiesWhenConfigured(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer()
	defer srv.Close()
	srv.SetResponder(llmtest.ClassifyByTitle)
	sys := startWithLLM(t, srv)
	ctx := context.Background()
	res, err := sys.SubmitSample(ctx, samples(t)["khai-sinh-day-du"], "llm-")
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, res.DossierID)[0]
	if got := findingStatus(r, "giay-chung-sinh"); got != dossier.FindingPresent {
		t.Fatalf("giay-chung-sinh = %q\n%s", got, dump(r))
	}
	for _, d := range r.Documents {
		if d.Classification["method"] != "llm" {
			t.Errorf("%s: method %v, want llm", d.Filename, d.Classification["method"])
		}
	}
	var calls int
	_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM ai_calls WHERE dossier_id = $1 AND prompt_hash <> ''`, res.DossierID).Scan(&calls)
	if calls == 0 {
		t.Error("no ai_calls recorded")
	}
	// The same documents again cost no second classify call (cache).
	before := srv.Calls("/v1/chat/completions")
	res2, err := sys.SubmitSample(ctx, samples(t)["khai-sinh-day-du"], "llm-again-")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, sys.Service, res2.DossierID)
	if after := srv.Calls("/v1/chat/completions"); after != before {
		t.Errorf("duplicate documents made %d more calls", after-before)
	}
}

// When the endpoint misbehaves, each document falls back to the local model
// with the reason recorded, and the dossier still gets its report.
func TestLLMFaultsFallBackToLocal(t *testing.T) {
	t.Parallel()
	cases := map[string]llmtest.Reply{
		"ServerError":     llmtest.ServerError,
		"RateLimited":     llmtest.RateLimited("1"),
		"SchemaViolation": llmtest.Content(`{"document_type": 42, "approve": true}`),
		"Truncated":       llmtest.TruncatedContent(`{"document_type":"giay-chung-sinh","confidence":0.9,"evidence":"x"}`),
	}
	for name, reply := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.NewServer()
			defer srv.Close()
			srv.SetResponder(func(prompt string, req llmtest.ChatRequest) llmtest.Reply {
				if prompt == "classify_v1" {
					return reply
				}
				return llmtest.Replay(prompt, req)
			})
			sys := startWithLLM(t, srv)
			res, err := sys.SubmitSample(context.Background(), samples(t)["khai-sinh-thieu-giay-chung-sinh"], "f-")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			reps, err := sys.WaitDone(ctx, []string{res.DossierID}, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := reps[0]
			if r.Dossier.Status != dossier.StatusPrechecked {
				t.Fatalf("status %s", r.Dossier.Status)
			}
			if got := findingStatus(r, "giay-chung-sinh"); got != dossier.FindingMissing {
				t.Errorf("giay-chung-sinh = %q, want missing (local model decided)", got)
			}
			for _, d := range r.Documents {
				if reason, _ := d.Classification["llm_fallback"].(string); reason == "" {
					t.Errorf("%s: no fallback reason recorded: %v", d.Filename, d.Classification)
				}
			}
		})
	}
}

// Activating a version that names another model for classification applies
// to the next dossier without a restart: the dossier records the version,
// and its AI calls record the model and the version whose providers served
// them. The dossier checked before keeps what its own version chose.
func TestActivatedModelChangeAppliesWithoutRestart(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer()
	defer srv.Close()
	srv.SetResponder(llmtest.ClassifyByTitle)
	sys := startWithLLM(t, srv)
	ctx := context.Background()
	before := sys.Registry.Current().VersionLabel()
	first, err := sys.SubmitSample(ctx, samples(t)["khai-sinh-day-du"], "m1-")
	if err != nil {
		t.Fatal(err)
	}
	wait(t, sys.Service, first.DossierID)

	src := systemtest.Variant(t, "classify: {provider: auto}", "classify: {provider: openai, model: gpt-candidate, prompt: classify_v1}")
	v, _, err := sys.Pipelines.Put(ctx, src, "op-lan", "thử mô hình mới")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := sys.Pipelines.Activate(ctx, v.Label, "op-lan", "thử mô hình mới"); err != nil {
		t.Fatal(err)
	}
	systemtest.Eventually(t, "the running workers to pick up "+v.Label, func() bool { return sys.Registry.Current().VersionLabel() == v.Label })
	second, err := sys.SubmitSample(ctx, samples(t)["khai-sinh-day-du"], "m2-")
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, second.DossierID)[0]
	if r.Dossier.PipelineVersion != v.Label {
		t.Fatalf("new dossier ran under %s, want %s", r.Dossier.PipelineVersion, v.Label)
	}
	models := func(id string) map[string]string {
		rows, err := sys.Pool.Query(ctx, `SELECT DISTINCT model, pipeline_version FROM ai_calls WHERE dossier_id = $1 AND task = 'classify' AND scope = 'production'`, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var m, pv string
			if err := rows.Scan(&m, &pv); err != nil {
				t.Fatal(err)
			}
			out[m] = pv
		}
		return out
	}
	if got := models(first.DossierID); len(got) != 1 || got["gpt-test"] != before {
		t.Errorf("first dossier's classify calls: %v, want gpt-test under %s", got, before)
	}
	if got := models(second.DossierID); len(got) != 1 || got["gpt-candidate"] != v.Label {
		t.Errorf("second dossier's classify calls: %v, want gpt-candidate under %s", got, v.Label)
	}
	sent := false
	for _, rq := range srv.Requests() {
		sent = sent || strings.Contains(rq.Body, `"model":"gpt-candidate"`)
	}
	if !sent {
		t.Error("the endpoint never received a request for gpt-candidate")
	}
	for _, d := range r.Documents {
		if d.Classification["method"] == "llm" && d.Classification["model"] != "gpt-candidate" {
			t.Errorf("%s classified by %v", d.Filename, d.Classification["model"])
		}
	}
}

// A version that sends classification to an endpoint this process does not
// have still gets its dossiers checked: classification falls back to the
// local model with the reason, and the citations (local embeddings) need no
// endpoint — nothing is dead-lettered.
func TestVersionNamingAMissingEndpointFallsBackLocally(t *testing.T) {
	t.Parallel()
	sys, _ := start(t, service.Options{})
	ctx := context.Background()
	v, _, err := sys.Pipelines.Put(ctx, systemtest.Variant(t, "classify: {provider: auto}", "classify: {provider: openai, model: gpt-elsewhere}"), "op-lan", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := sys.Pipelines.Activate(ctx, v.Label, "op-lan", "mô hình ở máy khác"); err != nil {
		t.Fatal(err)
	}
	systemtest.Eventually(t, "activation", func() bool { return sys.Registry.Current().VersionLabel() == v.Label })
	res, err := sys.SubmitSample(ctx, samples(t)["khai-sinh-day-du"], "nx-")
	if err != nil {
		t.Fatal(err)
	}
	r := wait(t, sys.Service, res.DossierID)[0]
	if r.Dossier.Status != dossier.StatusPrechecked || r.Dossier.PipelineVersion != v.Label {
		t.Fatalf("status %s under %s", r.Dossier.Status, r.Dossier.PipelineVersion)
	}
	for _, d := range r.Documents {
		if reason, _ := d.Classification["llm_fallback"].(string); !strings.Contains(reason, "OPENAI_BASE_URL") {
			t.Errorf("%s: fallback reason %q", d.Filename, reason)
		}
	}
	if got := findingStatus(r, "giay-chung-sinh"); got != dossier.FindingPresent {
		t.Errorf("giay-chung-sinh = %q, want present (local model)", got)
	}
}
