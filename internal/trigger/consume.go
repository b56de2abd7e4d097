package trigger

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// Consumer settings of the events consumer. Events are small and handled in
// one short transaction; a failure is retried with JetStream's redelivery.
const (
	eventsAckWait    = 30 * time.Second
	eventsMaxDeliver = 6
)

var eventsBackOff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute}

// Durable is the name of the events consumer.
func Durable(n broker.Names) string { return n.Prefix + "_triggers" }

// Publish publishes ev on <prefix>.events.<kind>, de-duplicated by its id
// (what another system, the CLI or a test does).
func Publish(ctx context.Context, b *broker.Broker, ev Event) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return b.Publish(ctx, b.Names.EventSubject(ev.Kind), "event:"+ev.ID, data, map[string]string{"Hoso-Event-Id": ev.ID})
}

// Consume binds the durable events consumer and hands every event to the
// engine until ctx ends; the returned stop function waits for the handler
// in flight. This is the one place the trigger package touches JetStream
// messages: nil → Ack, an invalid event → Term (it can never succeed),
// anything else → NakWithDelay with the consumer's back-off.
func (e *Engine) Consume(ctx context.Context, b *broker.Broker) (stop func(), err error) {
	cons, err := b.JS.CreateOrUpdateConsumer(ctx, b.Names.EventStream(), jetstream.ConsumerConfig{
		Durable:       Durable(b.Names),
		FilterSubject: b.Names.Prefix + ".events.>",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       eventsAckWait,
		MaxDeliver:    eventsMaxDeliver,
		BackOff:       eventsBackOff,
		MaxAckPending: 256,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("ensure events consumer: %w", err)
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		hctx, cancel := context.WithTimeout(ctx, eventsAckWait)
		defer cancel()
		err := e.handleMsg(hctx, m.Subject(), m.Data())
		meta, _ := m.Metadata()
		switch {
		case err == nil:
			_ = m.Ack()
		case dossier.IsPermanent(err) || dossier.ErrorCode(err) == dossier.CodeInvalid:
			e.log().Warn("event rejected", "subject", m.Subject(), "err", err)
			_ = m.TermWithReason(err.Error())
		default:
			d := eventsBackOff[0]
			if meta != nil && int(meta.NumDelivered)-1 < len(eventsBackOff) && meta.NumDelivered > 0 {
				d = eventsBackOff[meta.NumDelivered-1]
			}
			e.log().Warn("event failed; will retry", "subject", m.Subject(), "delay", d, "err", err)
			_ = m.NakWithDelay(d)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("consume events: %w", err)
	}
	return cc.Drain, nil
}

func (e *Engine) handleMsg(ctx context.Context, subject string, data []byte) error {
	var ev Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return dossier.Permanent(dossier.Errorf(dossier.CodeInvalid, "sự kiện không phải JSON hợp lệ: %v (invalid event JSON)", err))
	}
	if ev.Kind == "" {
		ev.Kind = subject[strings.LastIndex(subject, ".")+1:]
	}
	if ev.Origin == "" {
		ev.Origin = "nats"
	}
	_, err := e.Handle(ctx, ev)
	return err
}
