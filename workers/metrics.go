package workers

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hoso-vn/hoso/internal/broker"
)

// Prometheus metrics per stage. Registered on the default registry, served
// at /metrics by `hoso serve`.
var (
	stageProcessed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "hoso", Name: "stage_processed_total", Help: "Messages a stage completed (acked).",
	}, []string{"stage"})
	stageFailed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "hoso", Name: "stage_failed_total", Help: "Messages a stage failed, by outcome (retry, dead_letter).",
	}, []string{"stage", "outcome"})
	stageDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "hoso", Name: "stage_duration_seconds", Help: "Handler duration per stage.",
		Buckets: prometheus.ExponentialBuckets(0.001, 3, 12),
	}, []string{"stage"})
	consumerPending = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "hoso", Name: "consumer_pending", Help: "Messages waiting for a stage's consumer (lag).",
	}, []string{"stage"})
	consumerAckPending = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "hoso", Name: "consumer_ack_pending", Help: "Messages delivered to a stage and not yet acked.",
	}, []string{"stage"})
)

func init() {
	prometheus.MustRegister(stageProcessed, stageFailed, stageDuration, consumerPending, consumerAckPending)
}

// WatchLag updates the consumer lag gauges every interval until ctx ends.
func WatchLag(ctx context.Context, b *broker.Broker, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, c := range broker.Consumers {
			cons, err := b.Consumer(ctx, c.Stage)
			if err != nil {
				continue
			}
			info, err := cons.Info(ctx)
			if err != nil {
				continue
			}
			consumerPending.WithLabelValues(c.Stage).Set(float64(info.NumPending))
			consumerAckPending.WithLabelValues(c.Stage).Set(float64(info.NumAckPending))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
