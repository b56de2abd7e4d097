package telemetry

import (
	"time"

	"github.com/jackc/pgx/v5"
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
