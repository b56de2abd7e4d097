// Package shadow runs a candidate pipeline version on live dossiers with no
// side effects. The workers mirror every dossier that production has
// checked to a separate durable consumer (broker "shadow"); for each, the
// candidate re-runs the real stages in memory (replay.Engine) and its
// conclusions go to shadow_runs only: no suggestion reaches an official or
// a citizen, nothing is written to the vault or the production rows, and no
// remote model is called on the dossier's token budget. Report compares the
// candidate with production and with officials' decisions; it is the
// promotion gate.
package shadow

import (
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/app/replay"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

// Service starts, stops and runs shadow candidates.
type Service struct {
	Pool     *pgxpool.Pool
	Engine   *replay.Engine
	Registry pipelinedef.Registry
	Log      *slog.Logger
	// GiveUpAfter is the delivery after which a failing shadow run is
	// recorded as failed instead of retried (3 when zero): a shadow must
	// never dead-letter, since a dead letter marks the production dossier
	// failed.
	GiveUpAfter int
}

// Candidate is a shadow run of a version.
type Candidate struct {
	ID        int64      `json:"id"`
	Label     string     `json:"label"`
	Author    string     `json:"author"`
	StartedAt time.Time  `json:"started_at"`
	StoppedAt *time.Time `json:"stopped_at,omitempty"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
