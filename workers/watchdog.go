package workers

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// DefaultStallAfter is how long a stage may receive nothing while its
// consumer has undelivered messages before the watchdog recreates the
// message iterator.
const DefaultStallAfter = 20 * time.Second

// iterSlot holds a stage's current message iterator, shared by the stage's
// handler goroutines, so that the watchdog can replace a stalled iterator
// without restarting the worker.
type iterSlot struct {
	mu       sync.Mutex
	it       jetstream.MessagesContext
	gen      int
	stopped  bool
	received atomic.Uint64
}

func newIterSlot(it jetstream.MessagesContext) *iterSlot { return &iterSlot{it: it} }

// Next returns the next message of the current iterator. When the watchdog
// replaced the iterator while Next waited on the old one, it continues on the
// new one; it returns ErrMsgIteratorClosed only after Drain or Stop.
func (s *iterSlot) Next() (jetstream.Msg, error) {
	for {
		s.mu.Lock()
		it, gen := s.it, s.gen
		s.mu.Unlock()
		msg, err := it.Next()
		if err == nil {
			s.received.Add(1)
			return msg, nil
		}
		if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
			s.mu.Lock()
			replaced := s.gen != gen && !s.stopped
			s.mu.Unlock()
			if replaced {
				continue
			}
		}
		return nil, err
	}
}

// Received counts the messages handed out, for the watchdog.
func (s *iterSlot) Received() uint64 { return s.received.Load() }

// replace installs it and stops the old iterator. Messages the old one had
// buffered but not handed out are redelivered by JetStream after AckWait.
func (s *iterSlot) replace(it jetstream.MessagesContext) {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		it.Stop()
		return
	}
	old := s.it
	s.it = it
	s.gen++
	s.mu.Unlock()
	old.Stop()
}

// drain stops pulling; buffered messages are still handed out.
func (s *iterSlot) drain() {
	s.mu.Lock()
	s.stopped = true
	it := s.it
	s.mu.Unlock()
	it.Drain()
}

func (s *iterSlot) stop() {
	s.mu.Lock()
	s.stopped = true
	it := s.it
	s.mu.Unlock()
	it.Stop()
}

// Watchdog detects a stage consumer that has stalled in this process — the
// consumer has undelivered messages and room for more in flight, yet this
// process received nothing for StallAfter — and recreates the message
// iterator. After a JetStream leader change a pull subscription can be left
// waiting on requests that the new leader never saw; heartbeats usually catch
// that, and the watchdog is the backstop that does not depend on them.
//
// Check and Run are not safe for concurrent use; one goroutine owns a
// Watchdog.
type Watchdog struct {
	Stage string
	// Info reads the consumer's state (any process's view is the same).
	Info func(ctx context.Context) (*jetstream.ConsumerInfo, error)
	// Received counts the messages this process got from the consumer.
	Received func() uint64
	// Restart recreates the iterator.
	Restart    func(ctx context.Context) error
	StallAfter time.Duration // 0: DefaultStallAfter
	Interval   time.Duration // 0: StallAfter / 4
	Log        *slog.Logger

	// Restarts counts the iterator re-creations.
	Restarts atomic.Int64

	last  uint64
	since time.Time
}

// Check looks once at the consumer at time now and restarts the iterator
// when it is stalled. It reports whether it restarted.
func (w *Watchdog) Check(ctx context.Context, now time.Time) (bool, error) {
	stall := w.StallAfter
	if stall <= 0 {
		stall = DefaultStallAfter
	}
	got := w.Received()
	if w.since.IsZero() || got != w.last {
		w.last, w.since = got, now
		return false, nil
	}
	info, err := w.Info(ctx)
	if err != nil {
		// During a leader election the consumer cannot answer; that is not
		// a stall of this iterator.
		return false, err
	}
	saturated := info.Config.MaxAckPending > 0 && info.NumAckPending >= info.Config.MaxAckPending
	if info.NumPending == 0 || saturated {
		w.since = now
		return false, nil
	}
	if now.Sub(w.since) < stall {
		return false, nil
	}
	if w.Log != nil {
		w.Log.Warn("consumer stalled; recreating the message iterator", "stage", w.Stage,
			"pending", info.NumPending, "ack_pending", info.NumAckPending, "idle", now.Sub(w.since).Round(time.Second))
	}
	if err := w.Restart(ctx); err != nil {
		return false, err
	}
	w.Restarts.Add(1)
	stageFailed.WithLabelValues(w.Stage, "stall_restart").Inc()
	w.since = now
	return true, nil
}

// Run calls Check every Interval until ctx ends or stop is closed.
func (w *Watchdog) Run(ctx context.Context, stop <-chan struct{}) {
	iv := w.Interval
	if iv <= 0 {
		iv = DefaultStallAfter / 4
		if w.StallAfter > 0 {
			iv = w.StallAfter / 4
		}
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case now := <-t.C:
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if _, err := w.Check(cctx, now); err != nil && w.Log != nil && ctx.Err() == nil {
				w.Log.Debug("watchdog check", "stage", w.Stage, "err", err)
			}
			cancel()
		}
	}
}
