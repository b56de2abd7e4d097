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
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/replay"
	"github.com/hoso-vn/hoso/pipelines"
)

// Service starts, stops and runs shadow candidates.
type Service struct {
	Pool     *pgxpool.Pool
	Engine   *replay.Engine
	Registry pipelines.Registry
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

// Start begins shadowing the stored version label. Only one candidate runs
// at a time; starting another stops the running one.
func (s *Service) Start(ctx context.Context, label, author string) (Candidate, error) {
	var c Candidate
	if author == "" {
		return c, dossier.Errorf(dossier.CodeInvalid, "cần người thực hiện (actor required)")
	}
	if _, ok := s.Registry.Version(label); !ok {
		return c, dossier.Errorf(dossier.CodeNotFound, "không có phiên bản quy trình %q; lưu nó trước bằng hoso pipeline validate --store (no such stored version)", label)
	}
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE shadow_candidates SET stopped_at = now() WHERE stopped_at IS NULL`); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO shadow_candidates (label, author) VALUES ($1, $2) RETURNING id, label, author, started_at`,
			label, author).Scan(&c.ID, &c.Label, &c.Author, &c.StartedAt)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: author, Action: "shadow.start", Entity: "pipeline", EntityID: label})
	})
	if err != nil {
		return c, fmt.Errorf("start shadow %s: %w", label, err)
	}
	return c, nil
}

// Stop ends the running shadow; its results stay for Report.
func (s *Service) Stop(ctx context.Context, author string) (Candidate, error) {
	var c Candidate
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE shadow_candidates SET stopped_at = now() WHERE stopped_at IS NULL
			RETURNING id, label, author, started_at, stopped_at`).Scan(&c.ID, &c.Label, &c.Author, &c.StartedAt, &c.StoppedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return dossier.Errorf(dossier.CodeNotFound, "không có bản chạy bóng nào đang chạy (no shadow running)")
		}
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: author, Action: "shadow.stop", Entity: "pipeline", EntityID: c.Label})
	})
	return c, err
}

// Running returns the running candidate; ok is false when none runs.
func (s *Service) Running(ctx context.Context) (c Candidate, ok bool, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT id, label, author, started_at FROM shadow_candidates WHERE stopped_at IS NULL`).
		Scan(&c.ID, &c.Label, &c.Author, &c.StartedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read running shadow: %w", err)
	}
	return c, true, nil
}

// Handle runs the running candidate, if any, on a dossier production has
// checked. It is the shadow consumer's worker body.
func (s *Service) Handle(ctx context.Context, dossierID string, delivery int) error {
	c, ok, err := s.Running(ctx)
	if err != nil || !ok {
		return err
	}
	d, err := s.Engine.Source.Dossier(ctx, dossierID)
	if dossier.ErrorCode(err) == dossier.CodeNotFound {
		return nil // deleted since: nothing to compare
	}
	if err != nil {
		return err
	}
	def, ok := s.Registry.Version(c.Label)
	if !ok {
		return fmt.Errorf("shadow candidate %s is not stored", c.Label)
	}
	start := time.Now()
	out, err := s.Engine.Run(ctx, dossierID, def)
	msg := ""
	if err != nil {
		limit := s.GiveUpAfter
		if limit <= 0 {
			limit = 3
		}
		if delivery < limit {
			return err
		}
		msg = err.Error()
		if s.Log != nil {
			s.Log.Warn("shadow run failed", "dossier_id", dossierID, "stage", "shadow", "candidate", c.Label, "err", err)
		}
	}
	cls, _ := json.Marshal(nonNil(out.Classifications))
	fs, _ := json.Marshal(nonNil(out.Findings))
	sg, _ := json.Marshal(nonNil(out.Suggestions))
	_, err = s.Pool.Exec(ctx, `INSERT INTO shadow_runs (candidate, dossier_id, production, classifications, findings, suggestions, error, duration_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (candidate, dossier_id) DO UPDATE SET production = EXCLUDED.production, classifications = EXCLUDED.classifications,
			findings = EXCLUDED.findings, suggestions = EXCLUDED.suggestions, error = EXCLUDED.error,
			duration_ms = EXCLUDED.duration_ms, ran_at = now()`,
		c.Label, dossierID, d.PipelineVersion, cls, fs, sg, msg, time.Since(start).Milliseconds())
	if err != nil {
		return fmt.Errorf("record shadow run of %s: %w", dossierID, err)
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
