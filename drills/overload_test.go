package drills_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/submission"
)

// TestDrillOverload submits a burst of dossiers (5,000; 40 under -short)
// while the model endpoint — the fake OpenAI server, so that the AI tasks go
// remote — admits only `rate` requests a second and answers the rest with
// 429 and Retry-After. Memory stays bounded, in-flight work never exceeds
// MaxAckPending, nothing is dead-lettered because of rate limits, and the
// queue drains at about the allowed rate.
func TestDrillOverload(t *testing.T) {
	t.Parallel()
	n, rate := scale(5000, 40), scale(40, 15)
	fake := llmtest.NewServer()
	t.Cleanup(fake.Close)
	var admitted, limited atomic.Int64
	var mu sync.Mutex
	tokens, last := float64(rate), time.Now()
	fake.SetResponder(func(prompt string, req llmtest.ChatRequest) llmtest.Reply {
		// Token bucket: rate a second, burst of one second. (The fake holds
		// its own lock while asking the responder.)
		mu.Lock()
		now := time.Now()
		tokens = min(float64(rate), tokens+now.Sub(last).Seconds()*float64(rate))
		last = now
		ok := tokens >= 1
		if ok {
			tokens--
		}
		mu.Unlock()
		if !ok {
			limited.Add(1)
			return llmtest.Reply{Status: 429, RetryAfter: "1",
				Body: `{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}`}
		}
		admitted.Add(1)
		return llmtest.Replay(prompt, req)
	})
	r := newRig(t, rigOptions{})
	r.env["OPENAI_BASE_URL"] = fake.BaseURL()
	r.env["OPENAI_API_KEY"] = "sk-drill"
	r.env["OPENAI_MODEL"] = "drill-model"
	r.env["HOSO_LOG_LEVEL"] = "info"
	ctx := context.Background()

	// Text-only dossiers: the drill loads the model endpoint, not the PDF
	// extractor.
	var proxy []byte
	for _, s := range r.samples {
		if s.Name == "ho-kinh-doanh-uy-quyen" {
			proxy = readSample(t, s.Dir, "giay-uy-quyen.txt")
		}
	}
	start := time.Now()
	ids := make([]string, 0, n)
	var subErr error
	var idMu sync.Mutex
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				req := r.request(i, "ho-kinh-doanh-uy-quyen")
				req.Files = []submission.File{req.Files[len(req.Files)-1], {Name: "giay-uy-quyen.txt", Data: proxy}}
				res, err := r.submitRetry(ctx, req)
				idMu.Lock()
				if err != nil {
					subErr = err
				} else {
					ids = append(ids, res.DossierID)
				}
				idMu.Unlock()
			}
		}()
	}
	wg.Wait()
	if subErr != nil {
		t.Fatal(subErr)
	}
	burst := time.Since(start)
	t.Logf("burst of %d dossiers queued in %s", n, burst.Round(time.Millisecond))

	// Workers start on a full queue.
	ws := []*worker{r.startWorker(t, nil), r.startWorker(t, nil)}
	drainStart := time.Now()
	stop := make(chan struct{})
	var peakRSS int64
	var overPending []string
	maxAckPending := map[string]int{}
	sampler := make(chan struct{})
	go func() {
		defer close(sampler)
		tk := time.NewTicker(500 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
			}
			for _, w := range ws {
				peakRSS = max(peakRSS, w.rss())
			}
			for _, c := range broker.Consumers {
				cons, err := r.Sub.Broker.Consumer(ctx, c.Stage)
				if err != nil {
					continue
				}
				info, err := cons.Info(ctx)
				if err != nil {
					continue
				}
				maxAckPending[c.Stage] = max(maxAckPending[c.Stage], info.NumAckPending)
				if info.NumAckPending > c.MaxAckPending {
					overPending = append(overPending, fmt.Sprintf("%s %d > %d", c.Stage, info.NumAckPending, c.MaxAckPending))
				}
			}
		}
	}()
	o, _ := r.waitSettled(ids, time.Duration(scale(40, 5))*time.Minute)
	drain := time.Since(drainStart)
	close(stop)
	<-sampler

	var rateDead int
	_ = r.Pool.QueryRow(ctx, `SELECT count(*) FROM dead_letters WHERE reason ILIKE '%rate%' OR reason LIKE '%429%'`).Scan(&rateDead)
	got := float64(admitted.Load()) / drain.Seconds()
	figures(t, "overload", "dossiers", o.Submitted, "burst_queued_in", burst, "llm_rate_allowed_per_s", rate,
		"llm_admitted", admitted.Load(), "llm_429", limited.Load(), "llm_admitted_per_s", fmt.Sprintf("%.1f", got),
		"llm_max_in_flight", fake.MaxInFlight(), "max_ack_pending", fmt.Sprint(maxAckPending),
		"peak_worker_rss_mib", peakRSS>>20, "dead_lettered", o.DeadLettered, "dead_lettered_rate_limit", rateDead,
		"lost", o.Lost(), "duplicated", o.Duplicated(), "drained_in", drain,
		"dossiers_per_s", fmt.Sprintf("%.1f", float64(o.Submitted)/drain.Seconds()))
	checkOutcome(t, o)
	if rateDead != 0 || o.DeadLettered != 0 {
		t.Errorf("dead letters: %d (%d for rate limits): %v", o.DeadLettered, rateDead, o.DeadReasons)
	}
	if len(overPending) > 0 {
		t.Errorf("in-flight above MaxAckPending: %v", overPending)
	}
	if admitted.Load() == 0 {
		t.Error("no request reached the model endpoint: the AI tasks did not go remote")
	}
	// Bounded memory: the queue held n dossiers, the workers never more
	// than MaxAckPending of them; 512 MiB is far above what a worker needs
	// and far below what holding the burst would take.
	if peakRSS > 512<<20 {
		t.Errorf("worker RSS peaked at %d MiB", peakRSS>>20)
	}
}
