package broker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/internal/broker"
)

// BenchmarkSyncInterval compares JetStream publish throughput (synchronous
// publish, i.e. waiting for the stream's ack as hoso's Publisher does, and
// async publish in windows of 256) on the embedded server under the three
// fsync policies, in the same run, and reports each as a ratio of the
// server default (2 minutes):
//
//	go test -run '^$' -bench SyncInterval -benchtime 3000x ./internal/broker/
//
// docs/reliability.md records the figures and the decision.
func BenchmarkSyncInterval(b *testing.B) {
	policies := []struct {
		name string
		opts broker.EmbeddedOptions
	}{
		{"default-2m", broker.EmbeddedOptions{}},
		{"1s", broker.EmbeddedOptions{SyncInterval: time.Second}},
		{"always", broker.EmbeddedOptions{SyncAlways: true}},
	}
	for _, mode := range []string{"sync", "async"} {
		rates := map[string]float64{}
		for _, p := range policies {
			b.Run(mode+"/"+p.name, func(b *testing.B) {
				o := p.opts
				o.Dir = b.TempDir()
				srv, err := broker.StartEmbedded(o)
				if err != nil {
					b.Fatal(err)
				}
				defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
				nc, err := nats.Connect(srv.ClientURL())
				if err != nil {
					b.Fatal(err)
				}
				defer nc.Close()
				js, _ := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(256))
				ctx := context.Background()
				if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "BENCH", Subjects: []string{"bench.>"},
					Storage: jetstream.FileStorage, Duplicates: broker.DedupWindow}); err != nil {
					b.Fatal(err)
				}
				data := make([]byte, 256) // a stage job is ~100 bytes of JSON
				b.SetBytes(int64(len(data)))
				b.ResetTimer()
				start := time.Now()
				for i := 0; i < b.N; i++ {
					id := fmt.Sprintf("HS%d:intake:0", i)
					if mode == "sync" {
						if _, err := js.Publish(ctx, "bench.intake", data, jetstream.WithMsgID(id)); err != nil {
							b.Fatal(err)
						}
						continue
					}
					if _, err := js.PublishAsync("bench.intake", data, jetstream.WithMsgID(id),
						jetstream.WithStallWait(30*time.Second)); err != nil {
						b.Fatal(err)
					}
				}
				if mode == "async" {
					select {
					case <-js.PublishAsyncComplete():
					case <-time.After(2 * time.Minute):
						b.Fatal("async publishes not acknowledged")
					}
				}
				el := time.Since(start)
				b.StopTimer()
				rate := float64(b.N) / el.Seconds()
				rates[p.name] = rate
				b.ReportMetric(rate, "msgs/s")
				if base, ok := rates["default-2m"]; ok && base > 0 {
					b.ReportMetric(rate/base, "x_default")
				}
			})
		}
	}
}
