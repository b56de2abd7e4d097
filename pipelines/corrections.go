package pipelines

import (
	"context"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// correctionReader reads the officials' corrections of a dossier
// (*store.Store; replay's scratch store reads the recorded ones).
type correctionReader interface {
	Corrections(ctx context.Context, dossierID string) (dossier.Corrections, error)
}

// Corrections returns the officials' corrections of dossier id when r can
// read them, and none otherwise. The check and suggest stages apply them
// and put Corrections.Hash in their input hash, so that a correction makes
// a new run and a redelivery of the same one writes nothing twice.
func Corrections(ctx context.Context, r any, id string) (dossier.Corrections, error) {
	cr, ok := r.(correctionReader)
	if !ok {
		return nil, nil
	}
	return cr.Corrections(ctx, id)
}
