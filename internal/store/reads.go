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

// CountDossiers counts every dossier (backup and restore report it).
func (s *Store) CountDossiers(ctx context.Context) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM dossiers`).Scan(&n)
	return n, err
}

// CountUnsettled counts the dossiers of ids still received or processing:
// the cheap wait of the demo and the benchmark, which must not load whole
// reports to learn that nothing changed.
func (s *Store) CountUnsettled(ctx context.Context, ids []string) (int, error) {
	var n int
	err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM dossiers WHERE id = ANY($1) AND status IN ('received', 'processing')`, ids).Scan(&n)
	return n, err
}
