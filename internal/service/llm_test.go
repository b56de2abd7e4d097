package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/service"
)

// classifyLikeAModel answers classify_v1 the way a capable model would, with
// the real catalog's requirement keys, and replays recorded replies for the
// other prompts.
func classifyLikeAModel(prompt string, req llmtest.ChatRequest) llmtest.Reply {
	if prompt != "classify_v1" {
		return llmtest.Replay(prompt, req)
	}
	u := req.User()
	key := "other"
	switch {
	case strings.Contains(u, "GIẤY CHỨNG SINH"):
		key = "giay-chung-sinh"
	case strings.Contains(u, "TỜ KHAI ĐĂNG KÝ KHAI SINH"):
		key = "to-khai-dang-ky-khai-sinh-theo-mau"
	case strings.Contains(u, "THẺ CĂN CƯỚC"):
		key = "ho-chieu-the-can-cuoc-cong-dan-the-can-cuoc-can"
	}
	return llmtest.Content(`{"document_type":"` + key + `","confidence":0.93,"evidence":"tiêu đề văn bản"}`)
}

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
	srv.SetResponder(classifyLikeAModel)
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
