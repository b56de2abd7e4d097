// Package intake is the first stage: it accepts a recorded dossier into the
// pipeline, pins the pipeline version it will run under, and checks that its
// procedure is in the catalog. Next: extract.
package intake

import (
	"context"
	"fmt"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/pipelines"
)

// Stage is the intake stage.
type Stage struct {
	Store    pipelines.Records
	Registry pipelinedef.Registry
}

// Run records the pipeline version and moves the dossier to the next stage.
func (s *Stage) Run(ctx context.Context, in pipelines.Input) (next string, err error) {
	started := time.Now()
	d, docs, def, err := pipelines.BeginDocuments(ctx, s.Store, s.Registry, in.DossierID)
	if err != nil {
		return "", err
	}
	hashes := make([]string, len(docs))
	for i, doc := range docs {
		hashes[i] = doc.SHA256
	}
	return pipelines.Done(ctx, s.Store, def, dossier.StageIntake, d.ID, in, started, hashes,
		fmt.Sprintf("%d documents", len(docs)), store.Effects{PipelineVersion: def.VersionLabel(), Status: dossier.StatusProcessing})
}
