package agency

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// Store reads and writes the agencies table.
type Store struct{ pool *pgxpool.Pool }

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

const cols = `code, name, province, active, updated_at`

func scan(row pgx.Row) (Agency, error) {
	var a Agency
	err := row.Scan(&a.Code, &a.Name, &a.Province, &a.Active, &a.UpdatedAt)
	return a, err
}

// List returns every agency, active first, by name.
func (s *Store) List(ctx context.Context) ([]Agency, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+cols+` FROM agencies ORDER BY active DESC, name, code`)
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	defer rows.Close()
	var out []Agency
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list agencies: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Names maps every agency code to its name.
func (s *Store) Names(ctx context.Context) (map[string]string, error) {
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(all))
	for _, a := range all {
		m[a.Code] = a.Name
	}
	return m, nil
}

// Get returns one agency, or an error with dossier.CodeNotFound.
func (s *Store) Get(ctx context.Context, code string) (Agency, error) {
	a, err := scan(s.pool.QueryRow(ctx, `SELECT `+cols+` FROM agencies WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, dossier.Errorf(dossier.CodeNotFound, "không có cơ quan mã %q (no such agency)", code)
	}
	if err != nil {
		return a, fmt.Errorf("load agency %q: %w", code, err)
	}
	return a, nil
}

// Active returns the agency when it exists and is active; otherwise an error
// with dossier.CodeInvalid that lists a few valid codes.
func (s *Store) Active(ctx context.Context, code string) (Agency, error) {
	a, err := s.Get(ctx, code)
	if err == nil && a.Active {
		return a, nil
	}
	if err != nil && dossier.ErrorCode(err) != dossier.CodeNotFound {
		return a, err
	}
	all, lerr := s.List(ctx)
	if lerr != nil {
		return a, lerr
	}
	var codes []string
	for _, x := range all {
		if x.Active && len(codes) < 8 {
			codes = append(codes, x.Code)
		}
	}
	what := "không tồn tại (unknown agency)"
	if err == nil {
		what = "đã ngừng hoạt động (agency inactive)"
	}
	return a, dossier.Errorf(dossier.CodeInvalid, "cơ quan %q %s; mã hợp lệ (valid codes): %v", code, what, codes)
}

// Put creates or updates an agency (idempotent, keyed by code) and returns
// it as stored, with the row before (zero when new).
func (s *Store) Put(ctx context.Context, a Agency) (before, after Agency, err error) {
	if a, err = a.Normalize(); err != nil {
		return before, after, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b, err := scan(tx.QueryRow(ctx, `SELECT `+cols+` FROM agencies WHERE code = $1 FOR UPDATE`, a.Code))
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		before = b
		after, err = scan(tx.QueryRow(ctx, `INSERT INTO agencies (code, name, province, active) VALUES ($1, $2, $3, $4)
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, province = EXCLUDED.province, active = EXCLUDED.active,
				updated_at = CASE WHEN (agencies.name, agencies.province, agencies.active) = (EXCLUDED.name, EXCLUDED.province, EXCLUDED.active)
					THEN agencies.updated_at ELSE now() END
			RETURNING `+cols, a.Code, a.Name, a.Province, a.Active))
		return err
	})
	if err != nil {
		err = fmt.Errorf("save agency %q: %w", a.Code, err)
	}
	return before, after, err
}

// Import writes every agency of list (Put each) and returns how many were
// new or changed.
func (s *Store) Import(ctx context.Context, list []Agency) (changed int, err error) {
	for _, a := range list {
		before, after, err := s.Put(ctx, a)
		if err != nil {
			return changed, err
		}
		if !before.UpdatedAt.Equal(after.UpdatedAt) {
			changed++
		}
	}
	return changed, nil
}
