package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
)

// Input is one execution of a stage for one dossier.
type Input struct {
	DossierID string
	// Delivery is JetStream's delivery count (1 on the first attempt).
	Delivery int
	// Progress extends the message lease during long work; never nil.
	Progress func()
}

// InputHash hashes the parts that determine a stage's result, so that the
// stage inbox recognises a redelivery of the same input.
func InputHash(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%v\x1f", p)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// dossierReader reads a dossier's header.
type dossierReader interface {
	Dossier(ctx context.Context, id string) (dossier.Dossier, error)
}

// Begin is how every stage starts: it reads the dossier and the definition
// it runs under. A dossier that does not exist is a permanent error (the
// message is dead-lettered, not retried).
func Begin(ctx context.Context, r dossierReader, reg pipelinedef.Registry, id string) (dossier.Dossier, *pipelinedef.Definition, error) {
	d, err := r.Dossier(ctx, id)
	if err != nil {
		if dossier.ErrorCode(err) == dossier.CodeNotFound {
			return d, nil, dossier.Permanent(err)
		}
		return d, nil, err
	}
	return d, pipelinedef.For(reg, d.PipelineVersion), nil
}

// dossierDocumentsReader reads a dossier's header and its documents in one
// query (*store.Store).
type dossierDocumentsReader interface {
	DossierDocuments(ctx context.Context, id string) (dossier.Dossier, []store.Document, error)
}

// BeginDocuments is Begin for the stages that read the dossier's documents
// too: in one read when r offers it, else Begin and r.Documents.
func BeginDocuments(ctx context.Context, r Records, reg pipelinedef.Registry, id string) (dossier.Dossier, []store.Document, *pipelinedef.Definition, error) {
	x, ok := r.(dossierDocumentsReader)
	if !ok {
		d, def, err := Begin(ctx, r, reg, id)
		if err != nil {
			return d, nil, nil, err
		}
		docs, err := r.Documents(ctx, d.ID)
		if err != nil {
			return d, nil, nil, err
		}
		return d, docs, def, nil
	}
	d, docs, err := x.DossierDocuments(ctx, id)
	if err != nil {
		if dossier.ErrorCode(err) == dossier.CodeNotFound {
			return d, nil, nil, dossier.Permanent(err)
		}
		return d, nil, nil, err
	}
	return d, docs, pipelinedef.For(reg, d.PipelineVersion), nil
}

// completer records a stage's effects through the stage inbox.
type completer interface {
	CompleteStage(ctx context.Context, run store.StageRun, next string, eff store.Effects) (bool, error)
}

// Done is how every stage ends: it records eff once, keyed by the stage's
// inputs and the definition it ran under, moves the dossier to the next
// stage of def, and returns that stage for the worker to publish to.
func Done(ctx context.Context, c completer, def *pipelinedef.Definition, stage, dossierID string, in Input, started time.Time, inputs []string, detail string, eff store.Effects) (string, error) {
	next := def.Next(stage)
	_, err := c.CompleteStage(ctx, store.StageRun{
		DossierID: dossierID, Stage: stage, InputHash: InputHash(inputs, def.VersionLabel()),
		StartedAt: started, Delivery: in.Delivery, Detail: detail,
	}, next, eff)
	return next, err
}

// Records is what the document stages read and write: the dossier, its
// documents, and the stage inbox (internal/store.Store).
type Records interface {
	dossierReader
	Documents(ctx context.Context, dossierID string) ([]store.Document, error)
	completer
}
