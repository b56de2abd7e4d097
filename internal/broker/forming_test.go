package broker

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// A stream or consumer asked of a cluster whose meta leader has not yet seen
// its peers is refused with "no suitable peers for placement"; ensure waits
// for it rather than failing the worker's start (the drills' flake).
func TestRetryFormingWaitsForPlacement(t *testing.T) {
	ctx := context.Background()
	calls := 0
	err := retryForming(ctx, func() error {
		calls++
		if calls < 3 {
			return &jetstream.APIError{Code: 400, ErrorCode: 10005, Description: "no suitable peers for placement, peer offline"}
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls, want nil after 3", err, calls)
	}

	calls = 0
	bad := &jetstream.APIError{Code: 400, ErrorCode: jetstream.JSErrCodeBadRequest, Description: "bad request"}
	err = retryForming(ctx, func() error { calls++; return bad })
	if !errors.Is(err, bad) || calls != 1 {
		t.Fatalf("a configuration error was retried: %v after %d calls", err, calls)
	}

	ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	err = retryForming(ctx, func() error {
		return &jetstream.APIError{Code: 503, ErrorCode: 10008, Description: "JetStream system temporarily unavailable"}
	})
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != 10008 {
		t.Fatalf("after the deadline want the last cluster error, got %v", err)
	}
}
