package telemetry

import (
	"sync"
	"sync/atomic"
	"time"

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

// ruleSQL names the rule behind a suggestion from its key: the check
// ("consistency/name", "validity/expiry") for fix: suggestions, otherwise
// the kind of request (missing, reupload); requirement keys are left out
// to bound the label's cardinality.
const ruleSQL = `CASE WHEN key LIKE 'fix:%' THEN split_part(substr(key, 5), '/', 1) || '/' || split_part(substr(key, 5), '/', 2)
	ELSE split_part(key, ':', 1) END`
