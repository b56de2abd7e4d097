package broker

import (
	"slices"
	"testing"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// nats-server takes BackOff[0] as the lease when a BackOff is set; the
// table must not silently shorten the AckWait it declares.
func TestConsumerLeases(t *testing.T) {
	t.Parallel()
	for _, c := range Consumers {
		t.Run(c.Stage, func(t *testing.T) {
			if len(c.BackOff) > 0 && c.BackOff[0] != c.AckWait {
				t.Errorf("BackOff[0] = %s, AckWait = %s: the server would use %s as the lease", c.BackOff[0], c.AckWait, c.BackOff[0])
			}
			if c.MaxDeliver <= len(c.BackOff) {
				t.Errorf("MaxDeliver %d must exceed len(BackOff) %d", c.MaxDeliver, len(c.BackOff))
			}
			if c.MaxAckPending <= 0 || c.Concurrency <= 0 {
				t.Errorf("MaxAckPending %d, Concurrency %d", c.MaxAckPending, c.Concurrency)
			}
		})
	}
}

// TestConsumersFollowStages: the table derives from dossier.Stages — one
// consumer per declared stage, in order — and holds no settings for a stage
// that is not declared.
func TestConsumersFollowStages(t *testing.T) {
	t.Parallel()
	for i, st := range dossier.Stages {
		if i >= len(Consumers) || Consumers[i].Stage != st {
			t.Fatalf("Consumers[%d] is not stage %q: %+v", i, st, Consumers)
		}
	}
	for st := range stageSettings {
		if !slices.Contains(dossier.Stages, st) {
			t.Errorf("stageSettings has %q, which dossier.Stages does not declare", st)
		}
	}
	if c, ok := Spec(ConsumerEvents); !ok || !c.Events {
		t.Errorf("the events consumer is not declared: %+v", c)
	}
}
