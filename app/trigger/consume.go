package trigger

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/workers"
)

// Durable is the name of the events consumer (broker.ConsumerEvents).
func Durable(n broker.Names) string { return n.Durable(broker.ConsumerEvents) }

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

// Handler is the worker of the events consumer (broker.ConsumerEvents),
// run by workers.Runner like every stage: it never acks. An event that can
// never succeed (not JSON, or invalid) is a permanent error, which
// workers.Decide terms with a dead letter; anything else is redelivered
// with the runner's backoff.
func (e *Engine) Handler() workers.Handler {
	return func(ctx context.Context, d workers.Delivery) error {
		err := e.handleMsg(ctx, d.Subject, d.Data)
		if err != nil && dossier.ErrorCode(err) == dossier.CodeInvalid {
			return dossier.Permanent(err)
		}
		return err
	}
}

// Consume runs the events consumer alone, on its own workers.Runner, until
// ctx ends or stop is called (which waits for the handler in flight).
// service.New instead puts Handler in the one Runner of the process.
func (e *Engine) Consume(ctx context.Context, b *broker.Broker) (stop func(), err error) {
	r := &workers.Runner{Broker: b, Handlers: map[string]workers.Handler{broker.ConsumerEvents: e.Handler()},
		Dead: store.New(e.Pool), Log: e.log()}
	if err := r.Start(ctx); err != nil {
		return nil, err
	}
	return func() { _ = r.Stop(context.WithoutCancel(ctx)) }, nil
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
