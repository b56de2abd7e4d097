// Package stageset builds hoso's pipeline stages, one for each stage that
// dossier.Stages declares, from what they read and write. The workers
// (app/service) and the in-memory replay engine (app/replay) both
// build their stages here, so the two cannot drift apart.
package stageset

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/pipelines"
	"github.com/hoso-vn/hoso/pipelines/check"
	"github.com/hoso-vn/hoso/pipelines/classify"
	"github.com/hoso-vn/hoso/pipelines/extract"
	"github.com/hoso-vn/hoso/pipelines/intake"
	"github.com/hoso-vn/hoso/pipelines/suggest"
)

// Stage runs one stage for one dossier and returns the stage it goes to
// next.
type Stage interface {
	Run(ctx context.Context, in pipelines.Input) (next string, err error)
}

// Records is what the stages read and write: the dossier, its documents
// and findings, and the stage inbox (*store.Store, or replay's scratch
// store).
type Records interface {
	pipelines.Records
	Findings(ctx context.Context, dossierID string) ([]dossier.Finding, error)
}

// Files reads submitted files from the object store.
type Files interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// Extractor reads one file.
type Extractor interface {
	Extract(ctx context.Context, filename string, data []byte) (doctext.Result, error)
}

// Procedures reads the catalog.
type Procedures interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
}

// Citations returns a requirement's stored citations.
type Citations interface {
	Citations(ctx context.Context, procedureCode, requirementKey string) ([]dossier.Citation, error)
}

// Indexes cites from the regulation index a version names.
type Indexes interface {
	CitationsUnder(ctx context.Context, def *pipelinedef.Definition, proc *catalog.Procedure, requirementKey string) ([]dossier.Citation, error)
}

// Vault finds reusable records (once-only).
type Vault interface {
	Lookup(ctx context.Context, q vault.Query) (vault.Result, error)
}

// Models gives the AI clients a pipeline version names (*llm.Models).
type Models interface {
	For(def *pipelinedef.Definition) (*llm.Client, error)
}

// Deps is what the stages need. Records, Registry, Procedures and Model are
// required; without Files or Extractor there is no extract stage (a replay
// starts from the recorded text); without Citations and Indexes findings
// carry no citations; without Vault there is no once-only reuse; without
// Models only the local models run.
type Deps struct {
	Records    Records
	Registry   pipelinedef.Registry
	Files      Files
	Extractor  Extractor
	Procedures Procedures
	Citations  Citations
	Indexes    Indexes
	Vault      Vault
	Model      *classifier.Model
	Models     Models
	Log        *slog.Logger
}

// Build returns the stages d can run, by name (a nil field of d is a nil
// field of the stage, which the stage reads as "none"). Every stage of
// dossier.Stages has a constructor here; a stage declared without one
// is an error, so a new stage cannot be declared and silently skipped.
func Build(d Deps) (map[string]Stage, error) {
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	out := map[string]Stage{}
	for _, name := range dossier.Stages {
		var st Stage
		switch name {
		case dossier.StageIntake:
			st = &intake.Stage{Store: d.Records, Registry: d.Registry}
		case dossier.StageExtract:
			if d.Files == nil || d.Extractor == nil {
				continue
			}
			st = &extract.Stage{Store: d.Records, Files: d.Files, Extractor: d.Extractor, Registry: d.Registry, Log: log}
		case dossier.StageClassify:
			st = &classify.Stage{Store: d.Records, Procedures: d.Procedures, Model: d.Model, Remote: d.Models, Registry: d.Registry, Log: log}
		case dossier.StageCheck:
			st = &check.Stage{Store: d.Records, Procedures: d.Procedures, Citations: d.Citations, Indexes: d.Indexes,
				Vault: d.Vault, Registry: d.Registry, Log: log}
		case dossier.StageSuggest:
			st = &suggest.Stage{Store: d.Records, Findings: d.Records, Polisher: d.Models, Registry: d.Registry, Log: log}
		default:
			return nil, fmt.Errorf("stage %q is declared in dossier.Stages but stageset cannot build it", name)
		}
		out[name] = st
	}
	return out, nil
}
