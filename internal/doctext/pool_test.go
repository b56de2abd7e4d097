package doctext

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/pdftext/pdftexttest"
)

func spawned(x *Extractor) int {
	x.pools.mu.Lock()
	defer x.pools.mu.Unlock()
	return x.pools.spawn
}

func extractOK(t *testing.T, x *Extractor, want string) {
	t.Helper()
	res, err := x.Extract(context.Background(), "a.pdf", pdftexttest.Simple(want))
	if err != nil || res.Status != StatusOK || len(res.Pages) == 0 {
		t.Fatalf("extract: %v %+v", err, res)
	}
}

// TestPoolReusesAndReplacesChildren: documents share one long-lived
// sandbox child, which is replaced after its share of documents.
func TestPoolReusesAndReplacesChildren(t *testing.T) {
	t.Parallel()
	x := sandboxed(t)
	defer x.Close()
	for range 4 {
		extractOK(t, x, "hello there")
	}
	if n := spawned(x); n != 1 {
		t.Fatalf("%d children for 4 sequential documents, want 1", n)
	}
	x.pools.docs = 2 // a child now retires after two documents
	x.Retire()
	for range 4 {
		extractOK(t, x, "hello again")
	}
	if n := spawned(x); n != 3 {
		t.Fatalf("%d children started in all, want 1 + 2 (two documents each)", n)
	}
}

// TestPoolWarm: Warm starts the pool's children ahead, once; documents
// that follow, even as many at once as the pool is large, start none.
func TestPoolWarm(t *testing.T) {
	t.Parallel()
	x := sandboxed(t)
	defer x.Close()
	for range 2 {
		if err := x.Warm(); err != nil {
			t.Fatal(err)
		}
	}
	size := x.pools.size
	if n := spawned(x); n != size {
		t.Fatalf("%d children after Warm twice, want the pool's size %d", n, size)
	}
	done := make(chan struct{})
	for range size {
		go func() {
			defer func() { done <- struct{}{} }()
			if res, err := x.Extract(context.Background(), "a.pdf", pdftexttest.Simple("warm start")); err != nil || res.Status != StatusOK {
				t.Errorf("extract: %v %+v", err, res)
			}
		}()
	}
	for range size {
		<-done
	}
	if n := spawned(x); n != size {
		t.Fatalf("%d children after %d documents at once, want %d", n, size, size)
	}
}

// TestPoolSurvivesChildFailures: a pooled child that crashes, loops past its
// CPU limit or deadline, exhausts its memory or floods its output gives the
// same typed error as a one-shot sandbox, is replaced, and the next
// document is read by a fresh child. The limits apply to a child that has
// already parsed documents.
func TestPoolSurvivesChildFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, ct string
		code     Code
		opts     func(*Options)
	}{
		{"StackExhaustion", "test/stack-overflow", CodeCorrupt, nil},
		{"InfiniteLoopHitsCPULimit", "test/infinite-loop", CodeTimeout, func(o *Options) { o.CPUSeconds = 1 }},
		{"InfiniteLoopHitsDeadline", "test/infinite-loop", CodeTimeout, func(o *Options) { o.CPUSeconds = 60; o.Timeout = 1500 * time.Millisecond }},
		{"MemoryExhaustion", "test/oom", CodeTooLarge, func(o *Options) { o.MemoryBytes = 256 << 20 }},
		{"OutputFlood", "test/flood-output", CodeTooLarge, func(o *Options) { o.MaxOutputBytes = 1 << 20 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if raceEnabled && tt.code == CodeTooLarge && tt.name == "MemoryExhaustion" {
				t.Skip("under -race, ThreadSanitizer's own reservations do not fit 256 MiB; TestSandboxSurvivesChildFailures covers the limit")
			}
			o := sandboxed(t).opts
			if tt.opts != nil {
				tt.opts(&o)
			}
			x := New(o, nil)
			defer x.Close()
			// The child has parsed documents before the hostile one.
			extractOK(t, x, "first document")
			extractOK(t, x, "second document")
			req := x.request(tt.ct)
			p := x.pools.get(poolKey{MemoryBytes: req.MemoryBytes, CPUSeconds: req.CPUSeconds})
			_, err := p.parse(context.Background(), req, []byte("x"), o.Timeout, o.MaxOutputBytes)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			extractOK(t, x, "after the failure")
			if n := spawned(x); n != 2 {
				t.Errorf("%d children started, want 2 (the failed one replaced)", n)
			}
		})
	}
}

// TestPoolPanicKeepsChild: a panic recovered inside the parser is an
// answer, not a crash; the child stays.
func TestPoolPanicKeepsChild(t *testing.T) {
	t.Parallel()
	x := sandboxed(t)
	defer x.Close()
	req := x.request("test/panic")
	p := x.pools.get(poolKey{MemoryBytes: req.MemoryBytes, CPUSeconds: req.CPUSeconds})
	if _, err := p.parse(context.Background(), req, []byte("x"), x.opts.Timeout, x.opts.MaxOutputBytes); err != nil {
		t.Fatal(err)
	}
	extractOK(t, x, "after a panic")
	if n := spawned(x); n != 1 {
		t.Errorf("%d children, want 1", n)
	}
}

// TestPoolMoreCallersThanChildren: callers beyond the pool's size wait for
// a child to come back instead of for a free slot only (which, with every
// child idle, never comes).
func TestPoolMoreCallersThanChildren(t *testing.T) {
	t.Parallel()
	x := sandboxed(t)
	defer x.Close()
	x.pools.size = 1
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			res, err := x.Extract(ctx, "a.pdf", pdftexttest.Simple("many callers"))
			if err == nil && res.Status != StatusOK {
				err = errors.New(res.Status + " " + res.Error)
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := spawned(x); n != 1 {
		t.Errorf("%d children for a pool of one, want 1", n)
	}
}
