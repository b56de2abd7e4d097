// Package deadletter provides the operators' tools for messages that no
// retry could process (the dead_letters table the workers fill): list, show,
// retry after a fix, and discard with a reason, every decision audited.
package deadletter

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// Statuses of a dead letter.
const (
	StatusOpen      = "open"
	StatusRetried   = "retried"
	StatusDiscarded = "discarded"
)

// Publisher hands a dossier to a stage (workers.Publisher).
type Publisher interface {
	PublishStage(ctx context.Context, dossierID, stage string) error
}

// Service reads and resolves dead letters.
type Service struct {
	Pool *pgxpool.Pool
	// Publisher, when set, publishes a retried dossier at once; without it
	// the dossier is re-armed in PostgreSQL and the reconciler publishes it
	// on its next pass.
	Publisher Publisher
}

// Letter is one dead letter.
type Letter struct {
	ID         int64               `json:"id"`
	Subject    string              `json:"subject"`
	StreamSeq  int64               `json:"stream_seq"`
	Consumer   string              `json:"consumer"`
	DossierID  string              `json:"dossier_id,omitempty"`
	Stage      string              `json:"stage"`
	Reason     string              `json:"reason"`
	Deliveries int                 `json:"deliveries"`
	Status     string              `json:"status"`
	CreatedAt  time.Time           `json:"created_at"`
	ResolvedAt *time.Time          `json:"resolved_at,omitempty"`
	Payload    string              `json:"payload,omitempty"` // show only
	Headers    map[string][]string `json:"headers,omitempty"` // show only
}

// Filter narrows List.
type Filter struct {
	Status string // open (default), retried, discarded, all
	Stage  string
	Limit  int
}

const cols = `id, subject, stream_seq, consumer, coalesce(dossier_id, ''), stage, reason, deliveries, status, created_at, resolved_at`

func scan(r pgx.Row, l *Letter, extra ...any) error {
	return r.Scan(append([]any{&l.ID, &l.Subject, &l.StreamSeq, &l.Consumer, &l.DossierID, &l.Stage, &l.Reason,
		&l.Deliveries, &l.Status, &l.CreatedAt, &l.ResolvedAt}, extra...)...)
}

func isStage(s string) bool {
	for _, st := range dossier.Stages {
		if st == s {
			return true
		}
	}
	return false
}
