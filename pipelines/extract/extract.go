// Package extract is the second stage: it reads the text of every document
// of a dossier (PDF text layers, OCR for scans, DOCX, plain text) through the
// sandboxed extractor, keeping the text per page. A document that cannot be
// read is marked failed with its reason; the dossier still goes on to get its
// report. A file missing from hoso's own store is hoso's failure, not the
// document's: the dossier is dead-lettered for an operator. Next: classify.
package extract

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/pipelines"
)

type files interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// extractor reads one file. Bad documents are a Result with status failed;
// an error means the machine could not run the extraction (retry).
type extractor interface {
	Extract(ctx context.Context, filename string, data []byte) (doctext.Result, error)
}

// limitable is an extractor whose limits a pipeline version sets
// (*extract.Extractor), so that an activated change of max_pages, a timeout
// or OCR applies to new dossiers without a restart.
type limitable interface {
	Options() doctext.Options
	WithOptions(doctext.Options) *doctext.Extractor
}

// Limits applies a pipeline version's limits to base.
func Limits(base doctext.Options, l pipelinedef.Limits) doctext.Options {
	o := base
	o.MaxPages, o.Timeout, o.OCR = l.MaxPages, l.ExtractTimeout.Duration, l.OCR
	o.OCRMaxPages, o.OCRTimeout = l.OCRMaxPages, l.OCRTimeout.Duration
	if l.ExtractMemoryMB > 0 {
		o.MemoryBytes = uint64(l.ExtractMemoryMB) << 20
	}
	return o
}

// Stage is the extract stage.
type Stage struct {
	Store     pipelines.Records
	Files     files
	Extractor extractor
	Registry  pipelinedef.Registry
	Log       *slog.Logger
}

// Run extracts every document and records the results with the stage.
func (s *Stage) Run(ctx context.Context, in pipelines.Input) (string, error) {
	started := time.Now()
	d, docs, def, err := pipelines.BeginDocuments(ctx, s.Store, s.Registry, in.DossierID)
	if err != nil {
		return "", err
	}
	var xr extractor = s.Extractor
	if l, ok := s.Extractor.(limitable); ok {
		xr = l.WithOptions(Limits(l.Options(), def.Limits))
	}
	var eff store.Effects
	var hashes []string
	for _, doc := range docs {
		hashes = append(hashes, doc.SHA256)
		x, err := s.one(ctx, xr, d.ID, doc)
		if err != nil {
			return "", fmt.Errorf("extract %s: %w", doc.ID, err)
		}
		eff.Extractions = append(eff.Extractions, x)
		in.Progress()
	}
	return pipelines.Done(ctx, s.Store, def, dossier.StageExtract, d.ID, in, started, hashes, "", eff)
}

func (s *Stage) one(ctx context.Context, xr extractor, dossierID string, doc store.Document) (store.Extraction, error) {
	x := store.Extraction{DocumentID: doc.ID}
	data, err := s.Files.Get(ctx, doc.ObjectKey)
	if errors.Is(err, broker.ErrFileNotFound) {
		// The file was accepted and is gone from hoso's own store (a broker
		// that lost its data, an operator's deletion, a submission stored on
		// another server): that is hoso's failure, never the document's. It
		// must not become a finding, which the suggest stage would turn into
		// a request that the citizen upload a clearer copy. Dead-letter the
		// dossier for an operator instead (restore the file, then
		// `hoso dlq retry`).
		return x, dossier.Permanent(fmt.Errorf("lỗi hệ thống, không phải lỗi của người nộp: tệp %q đã tiếp nhận không còn trong kho lưu trữ của hoso "+
			"(system failure, not the applicant's: the accepted file is missing from hoso's object store): %w", doc.Filename, err))
	}
	if err != nil {
		return x, err
	}
	res, err := xr.Extract(ctx, doc.Filename, data)
	if err != nil {
		return x, err
	}
	x.Status, x.Extractor, x.NeedsReview = res.Status, res.Extractor, res.NeedsReview
	if res.Error != "" {
		x.Error = res.Error
		if res.ErrorCode != "" {
			x.Error = res.ErrorCode + ": " + res.Error
		}
	}
	for _, p := range res.Pages {
		x.PageTexts = append(x.PageTexts, p.Text)
	}
	x.Signatures = res.Signatures
	if s.Log != nil {
		s.Log.Info("document extracted", "dossier_id", dossierID,
			"document_id", doc.ID, "stage", dossier.StageExtract, "status", res.Status, "extractor", res.Extractor, "pages", len(res.Pages))
	}
	return x, nil
}
