package workers

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/telemetry"
)

// attempts reads a dossier's reconciler attempt, part of the dedup id.
type attempts interface {
	Attempt(ctx context.Context, id string) (int, error)
}

// Publisher hands dossiers to stages and approved suggestions to citizens'
// subjects.
type Publisher struct {
	Broker   *broker.Broker
	Attempts attempts
}

// PublishStage publishes the job for dossierID at stage. The message id is
// (dossier, stage, attempt), so that publishing twice — a redelivered stage
// that already committed, or a retried submission — enqueues one message.
func (p *Publisher) PublishStage(ctx context.Context, dossierID, stage string) error {
	if stage == dossier.StageDone || stage == "" {
		return nil
	}
	attempt := 0
	if p.Attempts != nil {
		a, err := p.Attempts.Attempt(ctx, dossierID)
		if err != nil {
			return fmt.Errorf("publish %s to %s: %w", dossierID, stage, err)
		}
		attempt = a
	}
	return p.publishJob(ctx, Job{DossierID: dossierID, Stage: stage, Attempt: attempt})
}

// PublishNew publishes the first job of a dossier just created, whose
// attempt is 0 (the column's default): submission needs no read to publish.
func (p *Publisher) PublishNew(ctx context.Context, dossierID, stage string) error {
	return p.PublishNext(ctx, Job{DossierID: dossierID}, stage)
}

// PublishNext publishes the job that follows from at stage. The attempt
// is from's: a chain of stages keeps the attempt its first message was
// published with (by submission, the reconciler, a retry or a replay, which
// read it from the dossier), so a stage needs no read to hand on.
func (p *Publisher) PublishNext(ctx context.Context, from Job, stage string) error {
	if stage == dossier.StageDone || stage == "" {
		return nil
	}
	return p.publishJob(ctx, Job{DossierID: from.DossierID, Stage: stage, Attempt: from.Attempt})
}

func (p *Publisher) publishJob(ctx context.Context, j Job) error {
	data, _ := json.Marshal(j)
	hdr := map[string]string{"Hoso-Dossier-Id": j.DossierID}
	telemetry.Inject(ctx, hdr) // traceparent: the next stage continues this trace
	return p.Broker.Publish(ctx, p.Broker.Names.StageSubject(j.Stage), MsgID(j), data, hdr)
}

// Notify publishes an approved suggestion on the citizen's subject, once per
// suggestion id.
func (p *Publisher) Notify(ctx context.Context, n review.Notification) error {
	data, err := json.Marshal(n)
	if err != nil {
		return err
	}
	return p.Broker.Publish(ctx, p.Broker.Names.NotifySubject(n.CitizenID), "notify:"+n.SuggestionID, data,
		map[string]string{"Hoso-Suggestion-Id": n.SuggestionID})
}
