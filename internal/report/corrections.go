package report

import (
	"context"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// withCorrections shows the officials' decisions as such: a document's type
// an official set (type_source "official", with who, when and hoso's own
// type), a finding an official set (source "official", with who, when and
// why), and the list of corrections. The check stage has already applied
// them to the stored types and findings' statuses.
func withCorrections(ctx context.Context, q store.Querier, r *dossier.Report) error {
	cs, err := store.QueryCorrections(ctx, q, r.Dossier.ID)
	if err != nil {
		return err
	}
	r.Corrections = cs
	for i := range r.Documents {
		d := &r.Documents[i]
		d.TypeSource = dossier.SourceAuto
		if c, ok := cs.Latest(dossier.CorrectDocumentType, d.ID); ok {
			d.Type, d.TypeSource, d.TypeCorrection = c.Value, dossier.SourceOfficial, c.Ref()
			d.Confidence, d.NeedsReview = 1, false
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Source = dossier.SourceAuto
		if c, ok := cs.Latest(dossier.CorrectFinding, f.Key); ok && f.Status == c.Value {
			f.Source, f.Correction = dossier.SourceOfficial, c.Ref()
			continue
		}
		// Set by the official's case (or "other" type) rather than by a
		// finding's override.
		if src, _ := f.Details["source"].(string); src == dossier.SourceOfficial {
			f.Source = dossier.SourceOfficial
			f.Correction = refFromDetails(f.Details)
		} else if src, _ := f.Details["case_source"].(string); src == dossier.SourceOfficial {
			if c, ok := cs.Case(); ok {
				f.Source, f.Correction = dossier.SourceOfficial, c.Ref()
			}
		}
	}
	return nil
}

func refFromDetails(d map[string]any) *dossier.CorrectionRef {
	ref := &dossier.CorrectionRef{}
	ref.By, _ = d["corrected_by"].(string)
	ref.Reason, _ = d["reason"].(string)
	ref.Auto, _ = d["auto_status"].(string)
	if id, ok := d["correction_id"].(float64); ok {
		ref.ID = int64(id)
	}
	if at, ok := d["corrected_at"].(string); ok {
		ref.At, _ = time.Parse(time.RFC3339, at)
	}
	return ref
}
