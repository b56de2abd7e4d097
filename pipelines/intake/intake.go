// Package intake is the first stage: it accepts a recorded dossier into the
// pipeline, pins the pipeline version it will run under, and checks that its
// procedure is in the catalog. Next: extract.
package intake

import (
	"context"
	"fmt"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/pipelines"
)

// dossiers is what intake needs from the store.
type dossiers interface {
	Dossier(ctx context.Context, id string) (dossier.Dossier, error)
	Documents(ctx context.Context, dossierID string) ([]store.Document, error)
	CompleteStage(ctx context.Context, run store.StageRun, next string, eff store.Effects) (bool, error)
}

// Stage is the intake stage.
type Stage struct {
	Store    dossiers
	Registry pipelines.Registry
}

// Run records the pipeline version and moves the dossier to the next stage.
func (s *Stage) Run(ctx context.Context, in pipelines.Input) (next string, err error) {
	started := time.Now()
	d, def, err := pipelines.Begin(ctx, s.Store, s.Registry, in.DossierID)
	if err != nil {
		return "", err
	}
	docs, err := s.Store.Documents(ctx, d.ID)
	if err != nil {
		return "", err
	}
	hashes := make([]string, len(docs))
	for i, doc := range docs {
		hashes[i] = doc.SHA256
	}
	next = def.Next(dossier.StageIntake)
	_, err = s.Store.CompleteStage(ctx, store.StageRun{
		DossierID: d.ID, Stage: dossier.StageIntake, InputHash: pipelines.InputHash(hashes, def.VersionLabel()),
		StartedAt: started, Delivery: in.Delivery, Detail: fmt.Sprintf("%d documents", len(docs)),
	}, next, store.Effects{PipelineVersion: def.VersionLabel(), Status: dossier.StatusProcessing})
	return next, err
}
