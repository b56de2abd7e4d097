package drills_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// personalID is a 12-digit personal ID number (số định danh cá nhân).
var personalID = regexp.MustCompile(`(^|[^0-9])[0-9]{12}([^0-9]|$)`)

// TestDrillNoPersonalIDLeaves runs generated dossiers — every one carries
// its applicant's 12-digit ID number in a document — through a worker
// process whose model endpoint is treated as non-local (HOSO_LLM_REDACT=on),
// capturing every log line of the submitter and the worker and every request
// body the endpoint received. No ID number may appear in any of them.
func TestDrillNoPersonalIDLeaves(t *testing.T) {
	t.Parallel()
	n := scale(60, 12)
	fake := llmtest.NewServer()
	t.Cleanup(fake.Close)
	var logs syncBuffer
	r := newRig(t, rigOptions{Log: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	r.env["OPENAI_BASE_URL"] = fake.BaseURL()
	r.env["OPENAI_API_KEY"] = "sk-drill"
	r.env["OPENAI_MODEL"] = "drill-model"
	r.env["HOSO_LLM_REDACT"] = "on"
	var mu sync.Mutex
	var leaks []string
	lines := 0
	w := r.startWorker(t, func(m map[string]any) {
		s := fmt.Sprint(m)
		mu.Lock()
		lines++
		if personalID.MatchString(s) {
			leaks = append(leaks, "worker log: "+s)
		}
		mu.Unlock()
	})
	<-w.ready
	ids, _ := r.submitAll(context.Background(), n, 2)
	o, _ := r.waitSettled(ids, 5*time.Minute)
	checkOutcome(t, o)
	time.Sleep(500 * time.Millisecond) // the last log lines
	mu.Lock()                          // the worker's log reader may still be running
	defer mu.Unlock()
	for _, l := range bytes.Split(logs.Bytes(), []byte("\n")) {
		lines++
		if personalID.Match(l) {
			leaks = append(leaks, "submitter log: "+string(l))
		}
	}
	reqs := fake.Requests()
	for _, q := range reqs {
		if personalID.MatchString(q.Body) {
			leaks = append(leaks, "model request: "+q.Body)
		}
	}
	figures(t, "no-personal-id", "dossiers", len(ids), "log_lines", lines, "model_requests", len(reqs), "leaks", len(leaks))
	if len(reqs) == 0 {
		t.Error("no request reached the model endpoint")
	}
	for i, l := range leaks {
		if i == 5 {
			break
		}
		if len(l) > 400 {
			l = l[:400]
		}
		t.Errorf("personal ID number leaked: %s", l)
	}
}

// TestDrillAuditTamper edits, deletes and re-hashes audit rows behind the
// chain's back; audit.Verify must report every kind of tampering.
func TestDrillAuditTamper(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name   string
		tamper string
	}{
		{"EditedActor", `UPDATE audit_log SET actor = 'ke-gian' WHERE seq = (SELECT min(seq) + 2 FROM audit_log)`},
		{"EditedReason", `UPDATE audit_log SET reason = 'đã sửa' WHERE seq = (SELECT max(seq) FROM audit_log)`},
		{"DeletedRow", `DELETE FROM audit_log WHERE seq = (SELECT min(seq) + 1 FROM audit_log)`},
		{"RehashedRow", `UPDATE audit_log SET actor = 'x', hash = md5(random()::text) WHERE seq = (SELECT min(seq) + 3 FROM audit_log)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pool, _ := postgrestest.New(t)
			for i := range 6 {
				if err := audit.Record(ctx, pool, audit.Entry{Actor: "cb-01", Action: "suggestion.approve", Entity: "suggestion",
					EntityID: fmt.Sprintf("s-%d", i), After: map[string]any{"status": "approved"}, Reason: "đúng quy định"}); err != nil {
					t.Fatal(err)
				}
			}
			if _, problems, err := audit.Verify(ctx, pool); err != nil || len(problems) != 0 {
				t.Fatalf("intact chain: %v %v", problems, err)
			}
			if _, err := pool.Exec(ctx, c.tamper); err != nil {
				t.Fatal(err)
			}
			_, problems, err := audit.Verify(ctx, pool)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) == 0 {
				t.Fatalf("%s went unnoticed", c.name)
			}
		})
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.b.Bytes()...)
}
