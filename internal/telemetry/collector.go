package telemetry

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Collector exports per-stage and per-pipeline-version figures read from
// PostgreSQL at scrape time. Reading the record (rather than counting in
// one process) gives every replica and the CLI the same numbers, and the
// pipeline version is on the dossier row, not in the message.
type Collector struct {
	pool atomic.Pointer[pgxpool.Pool]
	sla  atomic.Int64
}

var (
	collector    = &Collector{}
	registerOnce sync.Once
)

// RegisterCollector registers the collector on the default registry (once)
// and points it at pool; sla is the waiting time that counts as late.
func RegisterCollector(pool *pgxpool.Pool, sla time.Duration) {
	collector.pool.Store(pool)
	collector.sla.Store(int64(sla))
	registerOnce.Do(func() { prometheus.MustRegister(collector) })
}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc("hoso_"+name, help, labels, nil)
}

var (
	descRuns = desc("pipeline_stage_runs_total", "Stage executions recorded (stage_runs), by stage and pipeline version.", "stage", "pipeline_version")
	descSecs = desc("pipeline_stage_seconds_total", "Total duration of recorded stage executions; divide by runs for the mean latency.", "stage", "pipeline_version")
	descDead = desc("pipeline_dead_letters", "Dead letters by stage, pipeline version and status (open, retried, discarded).", "stage", "pipeline_version", "status")
	descDoss = desc("dossiers", "Dossiers by status and pipeline version.", "status", "pipeline_version")
	descWait = desc("stage_waiting", "Dossiers waiting in a stage.", "stage")
	descOver = desc("stage_over_sla", "Dossiers waiting in a stage longer than the SLA (HOSO_STUCK_AFTER).", "stage")
	descOld  = desc("stage_oldest_wait_seconds", "Age of the oldest dossier waiting in a stage.", "stage")
	descAI   = desc("ai_calls_total", "AI calls (ai_calls ledger) by task, provider, model, outcome, pipeline version and scope (production, shadow, replay, eval).", "task", "provider", "model", "outcome", "pipeline_version", "scope")
	descTok  = desc("ai_tokens_total", "Tokens spent by task, model, pipeline version and scope.", "task", "model", "pipeline_version", "scope")
	descHit  = desc("ai_cache_hits_total", "AI calls answered from the cache, by task, model, pipeline version and scope.", "task", "model", "pipeline_version", "scope")
	descRev  = desc("review_decisions_total", "Officials' decisions on suggestions by kind, rule and decision; rejected = review override.", "kind", "rule", "decision")
	descUp   = desc("telemetry_collect_ok", "1 when the PostgreSQL-backed metrics were read at this scrape.")
)

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descRuns, descSecs, descDead, descDoss, descWait, descOver, descOld, descAI, descTok, descHit, descRev, descUp} {
		ch <- d
	}
}

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

// ruleSQL names the rule behind a suggestion from its key: the check
// ("consistency/name", "validity/expiry") for fix: suggestions, otherwise
// the kind of request (missing, reupload); requirement keys are left out
// to bound the label's cardinality.
const ruleSQL = `CASE WHEN key LIKE 'fix:%' THEN split_part(substr(key, 5), '/', 1) || '/' || split_part(substr(key, 5), '/', 2)
	ELSE split_part(key, ':', 1) END`
