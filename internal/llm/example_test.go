package llm_test

import (
	"context"
	"fmt"
	"time"

	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
)

// A classify stage asks the endpoint when one serves the task, and reads
// the error by behaviour: redeliver later, or fall back now with a reason.
func ExampleClient_ClassifyDocument() {
	srv := llmtest.NewServer() // stands in for OPENAI_BASE_URL
	defer srv.Close()
	srv.Script("classify_v1", llmtest.RateLimited("12"))
	cfg := config.Config{OpenAIBaseURL: srv.BaseURL(), OpenAIAPIKey: "sk-…", OpenAIModel: "gpt-4o-mini", LLMTimeout: 30 * time.Second}
	c, err := llm.New(cfg, nil, nil, nil) // a real stage passes the pgx pool: cache, ledger, budget
	if err != nil {
		panic(err)
	}
	cands := []llm.Candidate{{Key: "to_khai_khai_sinh", Name: "Tờ khai đăng ký khai sinh"}, {Key: "giay_chung_sinh", Name: "Giấy chứng sinh"}}
	meta := llm.CallMeta{DossierID: "hs-1", DocumentID: "hs-1-d1", Names: llmtest.SampleNames}

	for delivery := 1; delivery <= 2; delivery++ {
		res, err := c.ClassifyDocument(context.Background(), meta, llmtest.SampleToKhai, cands)
		if d, ok := dossier.RetryDelay(err); ok {
			fmt.Printf("delivery %d: %s, redeliver in %s\n", delivery, llm.Reason(err), d)
			continue // the worker NakWithDelay(d)s the message
		}
		if llm.ShouldFallback(err) {
			fmt.Println("fall back to the local classifier:", llm.Reason(err))
			return
		}
		fmt.Printf("delivery %d: %s (%.2f) by %s, prompt %s\n", delivery, res.Key, res.Confidence, res.Call.Model, res.Call.Prompt)
	}
	// Output:
	// delivery 1: rate_limited, redeliver in 12s
	// delivery 2: to_khai_khai_sinh (0.93) by gpt-4o-mini, prompt classify_v1
}
