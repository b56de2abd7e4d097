package trigger

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	madeTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "hoso_trigger_suggestions_made_total",
		Help: "Proactive suggestions drafted by this process, by rule.",
	}, []string{"rule"})
	responseTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "hoso_citizen_responses_total",
		Help: "Citizens' answers to inbox prompts recorded by this process, by rule (empty for non-proactive prompts) and response.",
	}, []string{"rule", "response"})
)

// RuleStats is one row of the operators' view of a rule's outcomes.
type RuleStats struct {
	RuleID   string `json:"rule_id"`
	Made     int    `json:"made"`
	Pending  int    `json:"pending"`
	Approved int    `json:"approved"`
	Rejected int    `json:"rejected"`
	Accepted int    `json:"accepted"`
	Declined int    `json:"declined"`
}

// RejectionRate is the share of decided suggestions that officials
// rejected; a high rate means the rule drafts prompts officials do not want.
func (s RuleStats) RejectionRate() float64 {
	if d := s.Approved + s.Rejected; d > 0 {
		return float64(s.Rejected) / float64(d)
	}
	return 0
}

// collector exposes the view as gauges at scrape time, so the figures are
// the system's (every process's decisions), not one process's counters.
type collector struct {
	pool *pgxpool.Pool
	desc *prometheus.Desc
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	stats, err := Stats(ctx, c.pool)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, s := range stats {
		for _, o := range []struct {
			name string
			n    int
		}{{"made", s.Made}, {"pending", s.Pending}, {"approved", s.Approved}, {"rejected", s.Rejected}, {"accepted", s.Accepted}, {"declined", s.Declined}} {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(o.n), s.RuleID, o.name)
		}
	}
}

var registerOnce sync.Once

// RegisterMetrics exposes hoso_trigger_suggestions{rule,outcome} (made,
// pending, approved, rejected, accepted, declined) from the database on the
// default Prometheus registry. Only the first call registers.
func RegisterMetrics(pool *pgxpool.Pool) {
	registerOnce.Do(func() {
		prometheus.MustRegister(&collector{pool: pool, desc: prometheus.NewDesc("hoso_trigger_suggestions",
			"Proactive suggestions by rule and outcome (made, pending, approved, rejected by officials; accepted, declined by citizens).",
			[]string{"rule", "outcome"}, nil)})
	})
}
