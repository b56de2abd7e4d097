package telemetry

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// StageStat is one stage at a glance.
type StageStat struct {
	Stage string `json:"stage"`
	// From PostgreSQL: dossiers waiting in the stage, how many longer than
	// the SLA, and the oldest wait.
	Waiting   int           `json:"waiting"`
	OverSLA   int           `json:"over_sla"`
	Oldest    time.Duration `json:"oldest_ns"`
	OldestAge string        `json:"oldest"`
	SLA       string        `json:"sla"`
	// Completed in the last minute, its rate per second, and the p95 of the
	// stage's duration over the last 15 minutes.
	DoneLastMinute int     `json:"done_last_minute"`
	Rate           float64 `json:"rate_per_second"`
	P95            float64 `json:"p95_seconds"`
	DeadLetters    int     `json:"dead_letters_open"`
	// From JetStream (when a broker is given): messages not yet delivered
	// to the consumer, and delivered but not acked (in flight).
	Pending    uint64 `json:"pending"`
	InFlight   int    `json:"in_flight"`
	Redelivery int    `json:"redelivered"`
}

// Stages returns every stage's figures, in pipeline order; b may be nil.
func Stages(ctx context.Context, pool *pgxpool.Pool, b *broker.Broker, sla time.Duration) ([]StageStat, error) {
	by := map[string]*StageStat{}
	var out []StageStat
	names := append([]string{}, dossier.Stages...)
	for _, c := range broker.Consumers {
		if _, ok := by[c.Stage]; !ok && !contains(names, c.Stage) {
			names = append(names, c.Stage)
		}
	}
	out = make([]StageStat, len(names))
	for i, n := range names {
		out[i] = StageStat{Stage: n, SLA: sla.String()}
		by[n] = &out[i]
	}
	rows, err := pool.Query(ctx, `SELECT stage, count(*), count(*) FILTER (WHERE stage_since < now() - $1::interval),
			coalesce(extract(epoch FROM now() - min(stage_since)), 0)
		FROM dossiers WHERE status IN ('received', 'processing') GROUP BY stage`, sla)
	if err != nil {
		return nil, fmt.Errorf("stage overview: %w", err)
	}
	err = scanEach(rows, func(r pgx.Rows) error {
		var st string
		var n, over int
		var oldest float64
		if err := r.Scan(&st, &n, &over, &oldest); err != nil {
			return err
		}
		if s := by[st]; s != nil {
			s.Waiting, s.OverSLA, s.Oldest = n, over, time.Duration(oldest*float64(time.Second))
			s.OldestAge = s.Oldest.Round(time.Second).String()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = pool.Query(ctx, `SELECT stage, count(*) FILTER (WHERE finished_at > now() - interval '1 minute'),
			coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)), 0)
		FROM stage_runs WHERE finished_at > now() - interval '15 minutes' GROUP BY stage`)
	if err != nil {
		return nil, fmt.Errorf("stage overview: %w", err)
	}
	err = scanEach(rows, func(r pgx.Rows) error {
		var st string
		var n int
		var p95 float64
		if err := r.Scan(&st, &n, &p95); err != nil {
			return err
		}
		if s := by[st]; s != nil {
			s.DoneLastMinute, s.Rate, s.P95 = n, float64(n)/60, p95
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = pool.Query(ctx, `SELECT stage, count(*) FROM dead_letters WHERE status = 'open' GROUP BY stage`)
	if err != nil {
		return nil, fmt.Errorf("stage overview: %w", err)
	}
	err = scanEach(rows, func(r pgx.Rows) error {
		var st string
		var n int
		if err := r.Scan(&st, &n); err != nil {
			return err
		}
		if s := by[st]; s != nil {
			s.DeadLetters = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if b != nil {
		for _, c := range broker.Consumers {
			cons, err := b.Consumer(ctx, c.Stage)
			if err != nil {
				continue
			}
			info, err := cons.Info(ctx)
			if err != nil {
				continue
			}
			if s := by[c.Stage]; s != nil {
				s.Pending, s.InFlight, s.Redelivery = info.NumPending, info.NumAckPending, info.NumRedelivered
			}
		}
	}
	return out, nil
}

// Waiting is one dossier waiting in a stage.
type Waiting struct {
	DossierID       string        `json:"dossier_id"`
	ProcedureCode   string        `json:"procedure_code"`
	Stage           string        `json:"stage"`
	Status          string        `json:"status"`
	Since           time.Time     `json:"since"`
	Age             time.Duration `json:"age_ns"`
	AgeText         string        `json:"age"`
	OverSLA         bool          `json:"over_sla"`
	Attempts        int           `json:"attempts"`
	PipelineVersion string        `json:"pipeline_version"`
}

// WaitingDossiers lists the dossiers waiting in stage ("" for every
// stage), oldest first; overOnly keeps those past the SLA.
func WaitingDossiers(ctx context.Context, pool *pgxpool.Pool, stage string, sla time.Duration, overOnly bool, limit int) ([]Waiting, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := pool.Query(ctx, `SELECT id, procedure_code, stage, status, stage_since, extract(epoch FROM now() - stage_since), attempts, pipeline_version
		FROM dossiers WHERE status IN ('received', 'processing') AND ($1 = '' OR stage = $1)
			AND (NOT $2 OR stage_since < now() - $3::interval)
		ORDER BY stage_since LIMIT $4`, stage, overOnly, sla, limit)
	if err != nil {
		return nil, fmt.Errorf("waiting dossiers: %w", err)
	}
	out := []Waiting{}
	err = scanEach(rows, func(r pgx.Rows) error {
		var w Waiting
		var age float64
		if err := r.Scan(&w.DossierID, &w.ProcedureCode, &w.Stage, &w.Status, &w.Since, &age, &w.Attempts, &w.PipelineVersion); err != nil {
			return err
		}
		w.Age = time.Duration(age * float64(time.Second))
		w.AgeText = w.Age.Round(time.Second).String()
		w.OverSLA = w.Age > sla
		out = append(out, w)
		return nil
	})
	return out, err
}

func scanEach(rows pgx.Rows, f func(pgx.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
