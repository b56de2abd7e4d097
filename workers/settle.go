package workers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// Action is what settle does with a message.
type Action int

const (
	ActAck Action = iota
	ActTerm
	ActNakDelay
)

func (a Action) String() string {
	return [...]string{"ack", "term", "nak"}[a]
}

// Decision is settle's verdict for one handler result.
type Decision struct {
	Action     Action
	Delay      time.Duration
	DeadLetter bool
	Reason     string
}

// Decide maps a handler's error onto JetStream, in one place:
//
//	nil                         → Ack
//	permanent error             → Term, with a dead letter
//	RetryAfter(d)               → NakWithDelay(d)        (even on the last delivery: rate limits never dead-letter)
//	other, deliveries left      → NakWithDelay(backoff)
//	other, last delivery        → Term, with a dead letter
//	context cancelled (shutdown)→ NakWithDelay(0): another worker takes it now
func Decide(err error, numDelivered, maxDeliver int, shuttingDown bool) Decision {
	switch {
	case err == nil:
		return Decision{Action: ActAck}
	case dossier.IsPermanent(err):
		return Decision{Action: ActTerm, DeadLetter: true, Reason: err.Error()}
	}
	if d, ok := dossier.RetryDelay(err); ok {
		return Decision{Action: ActNakDelay, Delay: d, Reason: err.Error()}
	}
	if shuttingDown && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return Decision{Action: ActNakDelay, Delay: 0, Reason: "shutdown"}
	}
	if maxDeliver > 0 && numDelivered >= maxDeliver-1 {
		// The next delivery would be JetStream's last; dead-letter now, while
		// we can still record why.
		return Decision{Action: ActTerm, DeadLetter: true, Reason: "after " + itoa(numDelivered) + " deliveries: " + err.Error()}
	}
	return Decision{Action: ActNakDelay, Delay: Backoff(numDelivered), Reason: err.Error()}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// logDecision logs a non-ack decision with stable keys.
func logDecision(log *slog.Logger, d Delivery, dec Decision) {
	if dec.Action == ActAck {
		return
	}
	lvl := slog.LevelWarn
	if dec.DeadLetter {
		lvl = slog.LevelError
	}
	log.Log(context.Background(), lvl, "delivery not completed",
		"stage", d.Stage, "subject", d.Subject, "delivery", d.NumDelivered,
		"action", dec.Action.String(), "delay", dec.Delay, "reason", dec.Reason)
}
