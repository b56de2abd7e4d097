package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// DossierAgency returns the receiving agency of a dossier (what decides
// which officials may see it), or a CodeNotFound error.
func (s *Store) DossierAgency(ctx context.Context, id string) (string, error) {
	var agency string
	err := s.Pool.QueryRow(ctx, `SELECT agency FROM dossiers WHERE id = $1`, id).Scan(&agency)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", dossier.Errorf(dossier.CodeNotFound, "không có hồ sơ %q (no such dossier)", id)
	}
	return agency, err
}
