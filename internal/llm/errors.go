package llm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// Kind classifies a provider failure; Reason returns it for recording.
type Kind string

const (
	KindNotSupported   Kind = "not_supported"   // the task is served locally (permanent)
	KindInvalidOutput  Kind = "invalid_output"  // no schema-valid output after one repair (permanent)
	KindBudgetExceeded Kind = "budget_exceeded" // the dossier's token budget is spent (permanent)
	KindRejected       Kind = "rejected"        // the endpoint refuses the request: 400/401/403/404 (permanent)
	KindRateLimited    Kind = "rate_limited"    // 429 (retry after)
	KindUnavailable    Kind = "unavailable"     // 5xx (retry after)
	KindTimeout        Kind = "timeout"         // the call's deadline passed (transient)
	KindTransport      Kind = "transport"       // connection refused, reset… (transient)
)

// Default redelivery delays when the endpoint sends no Retry-After.
const (
	DefaultRateLimitDelay   = 20 * time.Second
	DefaultUnavailableDelay = 10 * time.Second
	maxRetryAfter           = 10 * time.Minute
)

// ErrNotSupported is returned (wrapped, permanent) by the local Chat: chat
// tasks served locally use the classical models in internal/classifier and
// internal/fields instead.
var ErrNotSupported = errors.New("llm: task is served by the local provider")

// Error is a provider failure. Read it with errors.As or Reason; classify it
// with dossier.IsPermanent and dossier.RetryDelay.
type Error struct {
	Kind   Kind
	Task   string
	Status int // HTTP status, when there was one
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("llm")
	if e.Task != "" {
		b.WriteString(" " + e.Task)
	}
	b.WriteString(": " + string(e.Kind))
	if e.Status != 0 {
		b.WriteString(" (HTTP " + strconv.Itoa(e.Status) + ")")
	}
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Reason returns a short stable reason for err to record beside a fallback:
// one of the Kind values, "cancelled", or "error".
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return string(e.Kind)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return string(KindTimeout)
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	return "error"
}

// ShouldFallback reports whether the caller should stop waiting for the
// endpoint and use its local path (or needs_review) now: the error is
// permanent. Transient and retry-after errors should be returned to the
// worker for redelivery until its last delivery.
func ShouldFallback(err error) bool { return err != nil && dossier.IsPermanent(err) }

func permanentErr(kind Kind, task, msg string, err error) error {
	return dossier.Permanent(&Error{Kind: kind, Task: task, Msg: msg, Err: err})
}

// statusError is what the HTTP layer returns for a failure status, before
// go-openai parses the body, so that the Retry-After header is not lost.
type statusError struct {
	status     int
	retryAfter time.Duration
	hasRetry   bool
	body       string
}

func (s *statusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", s.status, s.body)
}

// classify maps an error from an endpoint call onto the behaviour callers
// read: RetryAfter for 429/5xx, Permanent for other 4xx, plain for timeouts
// and transport failures.
func classify(task string, err error, callCtx context.Context) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	var se *statusError
	if errors.As(err, &se) {
		switch {
		case se.status == 429:
			d := DefaultRateLimitDelay
			if se.hasRetry {
				d = se.retryAfter
			}
			return dossier.RetryAfter(&Error{Kind: KindRateLimited, Task: task, Status: se.status, Msg: se.body}, d)
		case se.status >= 500:
			d := DefaultUnavailableDelay
			if se.hasRetry {
				d = se.retryAfter
			}
			return dossier.RetryAfter(&Error{Kind: KindUnavailable, Task: task, Status: se.status, Msg: se.body}, d)
		case se.status == 408:
			return &Error{Kind: KindTimeout, Task: task, Status: se.status, Msg: se.body}
		default:
			return dossier.Permanent(&Error{Kind: KindRejected, Task: task, Status: se.status, Msg: se.body})
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || (callCtx != nil && errors.Is(callCtx.Err(), context.DeadlineExceeded)) {
		return &Error{Kind: KindTimeout, Task: task, Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &Error{Kind: KindTimeout, Task: task, Err: err}
	}
	return &Error{Kind: KindTransport, Task: task, Err: err}
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(secs * float64(time.Second))
	} else if t, err := time.Parse(time.RFC1123, v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	if d < time.Second {
		d = time.Second // JetStream needs a positive delay; 0 would hammer the endpoint
	}
	if d > maxRetryAfter {
		d = maxRetryAfter
	}
	return d, true
}

var timeNow = time.Now
