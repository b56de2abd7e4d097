// Package workers is hoso's JetStream edge: it binds each pipeline stage to
// its durable consumer. It is the only package that touches NATS message
// types. A worker is a Handler, func(ctx, Delivery) error; it never acks.
// One function, settle, maps the returned error onto JetStream.
package workers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// Delivery is one message handed to a worker.
type Delivery struct {
	Subject      string
	Data         []byte
	Headers      map[string][]string
	Stage        string
	NumDelivered int
	StreamSeq    uint64
	// InProgress extends the ack lease; long stages call it between steps.
	InProgress func()

	// job is Data decoded, when the runner already decoded it (handle):
	// the span, the handler and the log need it, and decoding three times
	// was a json.Decoder each.
	job *Job
}

// Job returns the delivery's stage message, decoded once by the runner or
// here (DecodeJob) for a Delivery built elsewhere.
func (d Delivery) Job() (Job, error) {
	if d.job != nil {
		return *d.job, nil
	}
	return DecodeJob(d.Data)
}

// Handler processes one delivery. It returns nil when done, an error
// wrapped with dossier.Permanent when no retry can help, one carrying
// RetryAfter when it asks for a delayed redelivery, or any other error to be
// redelivered with backoff.
type Handler func(ctx context.Context, d Delivery) error

// Job is the body of every stage message. Messages carry only references:
// the dossier's state lives in PostgreSQL.
type Job struct {
	DossierID string `json:"dossier_id"`
	Stage     string `json:"stage"`
	Attempt   int    `json:"attempt"`
}

// DecodeJob parses and validates a stage message.
func DecodeJob(data []byte) (Job, error) {
	var j Job
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return j, dossier.Permanent(fmt.Errorf("decode job: %w", err))
	}
	if j.DossierID == "" || len(j.DossierID) > 128 {
		return j, dossier.Permanent(fmt.Errorf("decode job: missing or invalid dossier_id"))
	}
	return j, nil
}

// MsgID is the de-duplication id of a stage message: the same dossier,
// stage and reconciler attempt publish once within the dedup window.
func MsgID(j Job) string { return fmt.Sprintf("%s:%s:%d", j.DossierID, j.Stage, j.Attempt) }

// Backoff is the redelivery delay after the n-th failed delivery of an
// ordinary (not permanent) error: 1s, 2s, 4s… capped at 2 minutes.
func Backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := time.Second << (n - 1)
	if d > 2*time.Minute || d <= 0 {
		d = 2 * time.Minute
	}
	return d
}
