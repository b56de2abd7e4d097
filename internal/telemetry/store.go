package telemetry

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	pool := c.pool.Load()
	if pool == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ok := 1.0
	q := func(sql string, f func(pgx.Rows) error, args ...any) {
		rows, err := pool.Query(ctx, sql, args...)
		if err == nil {
			err = scanEach(rows, f)
		}
		if err != nil {
			ok = 0
		}
	}
	q(`SELECT r.stage, d.pipeline_version, count(*), coalesce(sum(extract(epoch FROM r.finished_at - r.started_at)), 0)
		FROM stage_runs r JOIN dossiers d ON d.id = r.dossier_id GROUP BY 1, 2`, func(r pgx.Rows) error {
		var st, v string
		var n, secs float64
		if err := r.Scan(&st, &v, &n, &secs); err != nil {
			return err
		}
		ch <- prometheus.MustNewConstMetric(descRuns, prometheus.CounterValue, n, st, v)
		ch <- prometheus.MustNewConstMetric(descSecs, prometheus.CounterValue, secs, st, v)
		return nil
	})
	q(`SELECT l.stage, coalesce(d.pipeline_version, ''), l.status, count(*)
		FROM dead_letters l LEFT JOIN dossiers d ON d.id = l.dossier_id GROUP BY 1, 2, 3`, func(r pgx.Rows) error {
		var st, v, s string
		var n float64
		if err := r.Scan(&st, &v, &s, &n); err != nil {
			return err
		}
		ch <- prometheus.MustNewConstMetric(descDead, prometheus.GaugeValue, n, st, v, s)
		return nil
	})
	q(`SELECT status, pipeline_version, count(*) FROM dossiers GROUP BY 1, 2`, func(r pgx.Rows) error {
		var s, v string
		var n float64
		if err := r.Scan(&s, &v, &n); err != nil {
			return err
		}
		ch <- prometheus.MustNewConstMetric(descDoss, prometheus.GaugeValue, n, s, v)
		return nil
	})
	sla := time.Duration(c.sla.Load())
	toks := map[[4]string][2]float64{}
	q(`SELECT stage, count(*), count(*) FILTER (WHERE stage_since < now() - $1::interval),
			coalesce(extract(epoch FROM now() - min(stage_since)), 0)
		FROM dossiers WHERE status IN ('received', 'processing') GROUP BY stage`, func(r pgx.Rows) error {
		var st string
		var n, over, old float64
		if err := r.Scan(&st, &n, &over, &old); err != nil {
			return err
		}
		ch <- prometheus.MustNewConstMetric(descWait, prometheus.GaugeValue, n, st)
		ch <- prometheus.MustNewConstMetric(descOver, prometheus.GaugeValue, over, st)
		ch <- prometheus.MustNewConstMetric(descOld, prometheus.GaugeValue, old, st)
		return nil
	}, sla)
	// The version is the one whose providers served the call (a shadow
	// candidate's, not the dossier's); older rows fall back to the dossier's.
	q(`SELECT a.task, a.provider, a.model, a.outcome, coalesce(nullif(a.pipeline_version, ''), d.pipeline_version, ''), a.scope,
			count(*), coalesce(sum(a.tokens), 0), count(*) FILTER (WHERE a.cached)
		FROM ai_calls a LEFT JOIN dossiers d ON d.id = a.dossier_id GROUP BY 1, 2, 3, 4, 5, 6`, func(r pgx.Rows) error {
		var task, prov, model, outcome, v, scope string
		var n, tok, hits float64
		if err := r.Scan(&task, &prov, &model, &outcome, &v, &scope, &n, &tok, &hits); err != nil {
			return err
		}
		ch <- prometheus.MustNewConstMetric(descAI, prometheus.CounterValue, n, task, prov, model, outcome, v, scope)
		// Tokens and hits are summed across providers and outcomes below.
		k := [4]string{task, model, v, scope}
		x := toks[k]
		toks[k] = [2]float64{x[0] + tok, x[1] + hits}
		return nil
	})
	for k, x := range toks {
		ch <- prometheus.MustNewConstMetric(descTok, prometheus.CounterValue, x[0], k[0], k[1], k[2], k[3])
		ch <- prometheus.MustNewConstMetric(descHit, prometheus.CounterValue, x[1], k[0], k[1], k[2], k[3])
	}
	q(`SELECT kind, `+ruleSQL+`, status, count(*) FROM suggestions
		WHERE status IN ('approved', 'rejected', 'sent') GROUP BY 1, 2, 3`, func(r pgx.Rows) error {
		var kind, rule, s string
		var n float64
		if err := r.Scan(&kind, &rule, &s, &n); err != nil {
			return err
		}
		ch <- prometheus.MustNewConstMetric(descRev, prometheus.CounterValue, n, kind, rule, s)
		return nil
	})
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, ok)
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
