package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/service"
)

// BenchmarkEndToEnd reports dossiers per second through the whole pipeline
// (submit → intake → extract → classify → check → suggest, real PostgreSQL
// and embedded JetStream, sandboxed extraction) for the sample dossiers,
// beside the raw JetStream publish→consume→ack rate on the same server in
// the same run, and their ratio.
//
//	go test -run '^$' -bench EndToEnd -benchtime 40x ./internal/service/
func BenchmarkEndToEnd(b *testing.B) {
	sys, _ := startB(b)
	ctx := context.Background()
	ss, err := service.LoadSamples(repoRoot(b) + "/data/dossiers")
	if err != nil {
		b.Fatal(err)
	}
	raw := rawJetStreamRate(b, sys.Broker, 20000)

	b.ResetTimer()
	start := time.Now()
	ids := make([]string, 0, b.N)
	for i := 0; i < b.N; i++ {
		sd := ss[i%len(ss)]
		res, err := sys.SubmitSample(ctx, sd, fmt.Sprintf("bench-%d-", i))
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, res.DossierID)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	if _, err := sys.WaitDone(wctx, ids, nil); err != nil {
		b.Fatal(err)
	}
	el := time.Since(start)
	b.StopTimer()
	dps := float64(b.N) / el.Seconds()
	b.ReportMetric(dps, "dossiers/s")
	b.ReportMetric(raw, "raw_js_msgs/s")
	b.ReportMetric(raw/dps, "raw/dossier_ratio")
}

// rawJetStreamRate measures publish (async) then consume+ack of n small
// messages on the same server, as the baseline.
func rawJetStreamRate(b *testing.B, br *broker.Broker, n int) float64 {
	ctx := context.Background()
	name := "RAWBENCH"
	if _, err := br.JS.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{"rawbench.>"}, Storage: jetstream.FileStorage}); err != nil {
		b.Fatal(err)
	}
	defer br.JS.DeleteStream(ctx, name)
	cons, err := br.JS.CreateOrUpdateConsumer(ctx, name, jetstream.ConsumerConfig{Durable: "raw", AckPolicy: jetstream.AckExplicitPolicy, MaxAckPending: 10000})
	if err != nil {
		b.Fatal(err)
	}
	payload := []byte(`{"dossier_id":"HS20261128T000000-00000000","stage":"extract","attempt":0}`)
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := br.JS.PublishAsync("rawbench.x", payload); err != nil {
			b.Fatal(err)
		}
	}
	<-br.JS.PublishAsyncComplete()
	done := make(chan struct{})
	got := 0
	cc, err := cons.Consume(func(m jetstream.Msg) {
		_ = m.Ack()
		got++
		if got == n {
			close(done)
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	<-done
	cc.Stop()
	return float64(n) / time.Since(start).Seconds()
}
