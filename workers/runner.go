package workers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/codes"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/telemetry"
)

// deadLetters records messages that no retry can process.
type deadLetters interface {
	RecordDeadLetter(ctx context.Context, dl store.DeadLetter) error
}

// deferrer pushes a dossier's stage deadline past a scheduled retry.
type deferrer interface {
	Defer(ctx context.Context, id string, d time.Duration) error
}

// Runner consumes every durable consumer of broker.Consumers that has a
// handler (the stages, shadow, events) and dispatches to it.
type Runner struct {
	Broker   *broker.Broker
	Handlers map[string]Handler // by stage
	Dead     deadLetters
	Log      *slog.Logger
	// Timeout bounds one handler call; 0 uses the stage's AckWait × 3.
	Timeout time.Duration
	// Stages limits which stages this process consumes (all when empty), so
	// replicas can be specialised.
	Stages []string
	// StallAfter is the watchdog's patience (see Watchdog): 0 uses
	// DefaultStallAfter, negative disables the watchdog.
	StallAfter time.Duration

	wg      sync.WaitGroup
	mu      sync.Mutex
	iters   []*iterSlot
	subs    []*nats.Subscription
	stopped chan struct{}
}

// Start begins consuming. It returns once every consumer is bound; Stop
// drains them.
func (r *Runner) Start(ctx context.Context) error {
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	r.stopped = make(chan struct{})
	for _, spec := range broker.Consumers {
		h, ok := r.Handlers[spec.Stage]
		if !ok || !r.wants(spec.Stage) {
			continue
		}
		cons, err := r.Broker.Consumer(ctx, spec.Stage)
		if err != nil {
			return fmt.Errorf("bind consumer %s: %w", spec.Stage, err)
		}
		pull := jetstream.PullMaxMessages(max(2, spec.Concurrency*2))
		it, err := cons.Messages(pull)
		if err != nil {
			return fmt.Errorf("consume %s: %w", spec.Stage, err)
		}
		slot := newIterSlot(it)
		r.mu.Lock()
		r.iters = append(r.iters, slot)
		r.mu.Unlock()
		h = chain(h, recoverer(), timeout(r.timeoutFor(spec)), observe(spec.Stage, r.Log))
		for range max(1, spec.Concurrency) {
			r.wg.Add(1)
			go r.loop(ctx, spec, slot, h)
		}
		if r.StallAfter >= 0 {
			wd := &Watchdog{Stage: spec.Stage, StallAfter: r.StallAfter, Log: r.Log, Received: slot.Received,
				Info: func(ctx context.Context) (*jetstream.ConsumerInfo, error) { return cons.Info(ctx) },
				Restart: func(context.Context) error {
					nit, err := cons.Messages(pull)
					if err == nil {
						slot.replace(nit)
					}
					return err
				}}
			r.wg.Add(1)
			go func() { defer r.wg.Done(); wd.Run(ctx, r.stopped) }()
		}
		r.Log.Info("consumer bound", "stage", spec.Stage, "durable", r.Broker.Names.Durable(spec.Stage))
	}
	if err := r.watchMaxDeliveries(ctx); err != nil {
		return err
	}
	return nil
}

func (r *Runner) wants(stage string) bool {
	if len(r.Stages) == 0 {
		return true
	}
	for _, s := range r.Stages {
		if s == stage {
			return true
		}
	}
	return false
}

func (r *Runner) timeoutFor(spec broker.ConsumerSpec) time.Duration {
	if r.Timeout > 0 {
		return r.Timeout
	}
	return spec.AckWait * 3
}

func (r *Runner) loop(ctx context.Context, spec broker.ConsumerSpec, it *iterSlot, h Handler) {
	defer r.wg.Done()
	for {
		msg, err := it.Next()
		if err != nil {
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return
			}
			r.Log.Warn("consumer next", "stage", spec.Stage, "err", err)
			select {
			case <-r.stopped:
				return
			case <-time.After(250 * time.Millisecond):
			}
			continue
		}
		r.handle(ctx, spec, msg, h)
	}
}

// handle runs h and settles msg: the only place that acks.
func (r *Runner) handle(ctx context.Context, spec broker.ConsumerSpec, msg jetstream.Msg, h Handler) {
	d := Delivery{Subject: msg.Subject(), Data: msg.Data(), Headers: msg.Headers(), Stage: spec.Stage, NumDelivered: 1}
	if md, err := msg.Metadata(); err == nil {
		d.NumDelivered = int(md.NumDelivered)
		d.StreamSeq = md.Sequence.Stream
	}
	d.InProgress = func() { _ = msg.InProgress() }
	// The span continues the trace the publisher put in the headers, so a
	// dossier's stages form one trace.
	job, jerr := DecodeJob(d.Data)
	if jerr == nil {
		d.job = &job
	}
	tctx, span := telemetry.StartStage(ctx, d.Headers, spec.Stage, job.DossierID, d.NumDelivered)
	defer span.End()
	// Keep the lease while the handler runs (OCR, a slow model): a
	// heartbeat every third of the lease, so that AckWait can stay short and
	// a crashed worker's message is redelivered quickly.
	stopBeat := heartbeat(msg, spec.AckWait/3)
	// Work in flight finishes even when shutdown begins: the handler gets a
	// context that is not cancelled by the stop signal, bounded by timeout.
	err := h(context.WithoutCancel(tctx), d)
	stopBeat()
	dec := Decide(err, d.NumDelivered, spec.MaxDeliver, ctx.Err() != nil)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, dec.Action.String())
	}
	logDecision(r.Log, d, dec)
	r.settle(ctx, spec, msg, d, dec)
}

func (r *Runner) settle(ctx context.Context, spec broker.ConsumerSpec, msg jetstream.Msg, d Delivery, dec Decision) {
	switch dec.Action {
	case ActAck:
		// The ack is not awaited (no DoubleAck): the stage's effects are
		// committed and keyed, so an ack lost on the wire costs a redelivery
		// that the inbox skips, while awaiting it cost every message a round
		// trip to the server on a handler goroutine (River, too, completes
		// jobs asynchronously).
		if err := msg.Ack(); err != nil {
			r.Log.Warn("ack failed; message will be redelivered and skipped by the inbox", "stage", d.Stage, "err", err)
		}
		stageProcessed.WithLabelValues(d.Stage).Inc()
	case ActNakDelay:
		delay := dec.Delay
		if dec.Reason != "shutdown" && delay > 0 {
			// Spread retries so that messages told to come back after the
			// same Retry-After do not all return at once and hit the limit
			// again: up to a quarter more.
			delay += time.Duration(rand.Int64N(int64(delay)/4 + 1))
		}
		_ = msg.NakWithDelay(delay)
		if df, ok := r.Dead.(deferrer); ok && delay > 0 {
			// The dossier waits for this retry; the reconciler must not
			// mistake the wait for a lost message.
			if job, err := d.Job(); err == nil {
				_ = df.Defer(context.WithoutCancel(ctx), job.DossierID, delay)
			}
		}
		stageFailed.WithLabelValues(d.Stage, "retry").Inc()
	case ActTerm:
		if dec.DeadLetter && r.Dead != nil {
			job, _ := d.Job()
			err := r.Dead.RecordDeadLetter(context.WithoutCancel(ctx), store.DeadLetter{
				Subject: d.Subject, StreamSeq: d.StreamSeq, Consumer: r.Broker.Names.Durable(spec.Stage),
				DossierID: job.DossierID, Stage: d.Stage, Reason: dec.Reason, Payload: d.Data,
				Headers: d.Headers, Deliveries: d.NumDelivered,
			})
			if err != nil {
				// Without the dead-letter row the message must not vanish:
				// redeliver it and try again later.
				r.Log.Error("record dead letter failed; redelivering", "stage", d.Stage, "err", err)
				_ = msg.NakWithDelay(Backoff(d.NumDelivered))
				return
			}
		}
		_ = msg.TermWithReason(truncate(dec.Reason, 200))
		stageFailed.WithLabelValues(d.Stage, "dead_letter").Inc()
	}
}

// watchMaxDeliveries captures JetStream's max-deliveries advisories: a
// message that exhausted its deliveries without the worker recording why
// (for example the process was killed on every attempt) still gets a dead
// letter.
func (r *Runner) watchMaxDeliveries(ctx context.Context) error {
	for _, stream := range []string{r.Broker.Names.WorkStream(), r.Broker.Names.EventStream()} {
		subj := fmt.Sprintf("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.%s.*", stream)
		sub, err := r.Broker.NC.Subscribe(subj, r.maxDeliveries(ctx))
		if err != nil {
			return fmt.Errorf("subscribe to advisories: %w", err)
		}
		r.mu.Lock()
		r.subs = append(r.subs, sub)
		r.mu.Unlock()
	}
	return nil
}

// maxDeliveries records a dead letter for one max-deliveries advisory.
func (r *Runner) maxDeliveries(ctx context.Context) nats.MsgHandler {
	return func(m *nats.Msg) {
		var adv struct {
			Stream     string `json:"stream"`
			Consumer   string `json:"consumer"`
			StreamSeq  uint64 `json:"stream_seq"`
			Deliveries int    `json:"deliveries"`
		}
		if json.Unmarshal(m.Data, &adv) != nil || r.Dead == nil {
			return
		}
		dl := store.DeadLetter{Consumer: adv.Consumer, StreamSeq: adv.StreamSeq, Deliveries: adv.Deliveries,
			Reason: fmt.Sprintf("JetStream max deliveries (%d) reached", adv.Deliveries)}
		if raw, err := r.Broker.JS.Stream(ctx, adv.Stream); err == nil {
			if sm, err := raw.GetMsg(ctx, adv.StreamSeq); err == nil {
				dl.Subject, dl.Payload = sm.Subject, sm.Data
				if j, err := DecodeJob(sm.Data); err == nil {
					dl.DossierID, dl.Stage = j.DossierID, j.Stage
				}
			}
		}
		if err := r.Dead.RecordDeadLetter(context.WithoutCancel(ctx), dl); err != nil {
			r.Log.Error("record max-deliveries dead letter", "err", err)
		}
	}
}

// Stop drains every consumer (no new messages are pulled; buffered ones are
// still handled) and waits, at most until ctx is done, for handlers to
// finish.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	iters, subs := r.iters, r.subs
	r.iters, r.subs = nil, nil
	r.mu.Unlock()
	if r.stopped != nil {
		select {
		case <-r.stopped:
		default:
			close(r.stopped)
		}
	}
	for _, it := range iters {
		it.drain()
	}
	for _, s := range subs {
		_ = s.Unsubscribe()
	}
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, it := range iters {
			it.stop()
		}
		return fmt.Errorf("stop workers: %w", ctx.Err())
	}
}

// Middleware wraps a Handler.
type Middleware func(Handler) Handler

func chain(h Handler, ms ...Middleware) Handler {
	for i := len(ms) - 1; i >= 0; i-- {
		h = ms[i](h)
	}
	return h
}

// recoverer turns a panic in a handler into an error, so that one bad
// message cannot take the worker down; it is retried, then dead-lettered.
func recoverer() Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, d Delivery) (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic in %s handler: %v\n%s", d.Stage, p, truncate(string(debug.Stack()), 2000))
				}
			}()
			return next(ctx, d)
		}
	}
}

func timeout(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, dl Delivery) error {
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return next(ctx, dl)
		}
	}
}

func observe(stage string, log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, d Delivery) error {
			start := time.Now()
			err := next(ctx, d)
			stageDuration.WithLabelValues(stage).Observe(time.Since(start).Seconds())
			job, _ := d.Job()
			log.Debug("delivery handled", "stage", stage, "dossier_id", job.DossierID, "delivery", d.NumDelivered,
				"duration", time.Since(start), "err", errString(err))
			return err
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

var _ = dossier.StageDone

// heartbeat calls InProgress on msg every interval until the returned stop
// function is called. A timer, not a goroutine and a ticker: most
// handlers end before the first beat, so most messages start nothing.
func heartbeat(msg jetstream.Msg, interval time.Duration) (stop func()) {
	if interval <= 0 {
		return func() {}
	}
	var mu sync.Mutex
	stopped := false
	var t *time.Timer
	mu.Lock()
	t = time.AfterFunc(interval, func() {
		_ = msg.InProgress()
		mu.Lock()
		defer mu.Unlock()
		if !stopped {
			t.Reset(interval)
		}
	})
	mu.Unlock()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		t.Stop()
	}
}
