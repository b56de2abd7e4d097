package replay

import (
	"context"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/pipelines"
)

// Corrections returns the officials' recorded corrections of the dossier
// (when the source keeps them, as *store.Store does), so that a replay
// applies every human decision the production run applied: a replay never
// overturns an official's case, document type or finding.
func (s *scratch) Corrections(ctx context.Context, id string) (dossier.Corrections, error) {
	if s.src == nil {
		return nil, nil
	}
	return pipelines.Corrections(ctx, s.src, id)
}
