package workers

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/internal/broker/brokertest"
)

// TestHeartbeatKeepsTheLease: while the heartbeat runs, a message held
// three times its AckWait is not redelivered; once it stops, it is.
func TestHeartbeatKeepsTheLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, _ := brokertest.New(t)
	name := b.Names.Durable("heartbeat")
	st, err := b.JS.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{name + ".>"}})
	if err != nil {
		t.Fatal(err)
	}
	const wait = 300 * time.Millisecond
	cons, err := st.CreateConsumer(ctx, jetstream.ConsumerConfig{Durable: name, AckPolicy: jetstream.AckExplicitPolicy, AckWait: wait})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.JS.Publish(ctx, name+".x", []byte("x")); err != nil {
		t.Fatal(err)
	}
	next := func(d time.Duration) jetstream.Msg {
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(d))
		if err != nil {
			t.Fatal(err)
		}
		for m := range batch.Messages() {
			return m
		}
		return nil
	}
	msg := next(2 * time.Second)
	if msg == nil {
		t.Fatal("no message")
	}
	stop := heartbeat(msg, wait/3)
	if again := next(3 * wait); again != nil {
		t.Fatal("redelivered while the heartbeat ran")
	}
	stop()
	if again := next(5 * wait); again == nil {
		t.Fatal("not redelivered after the heartbeat stopped")
	} else {
		_ = again.Ack()
	}
}
