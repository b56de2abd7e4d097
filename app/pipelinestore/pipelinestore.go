// Package pipelinestore provides pipeline definitions as versioned artefacts
// in PostgreSQL: every stored version with its hash, author and time, the
// activation history (rollback is activating the previous version again),
// and a pipelines.Registry that knows every stored version and follows the
// active one without a restart.
package pipelinestore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

// SystemAuthor is the author of versions the service stores by itself (the
// configured definition at start).
const SystemAuthor = "system"

// notifyChannel is the LISTEN/NOTIFY channel an activation signals on.
const notifyChannel = "hoso_pipeline"

// Store reads and writes pipeline versions.
type Store struct {
	Pool *pgxpool.Pool
	// Preflight, when set, checks a version before Activate makes it active
	// — that the regulation index it names is built, that its shadow runs
	// pass the promotion gate; its error refuses the activation. Rollback
	// skips it: going back to what ran before must always be possible.
	Preflight func(ctx context.Context, def *pipelinedef.Definition) error
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{Pool: pool} }

// Version is one stored definition.
type Version struct {
	Label     string    `json:"label"` // name@version#hash12, as recorded on dossiers
	Name      string    `json:"name"`
	Version   string    `json:"version"`
	Hash      string    `json:"hash"`
	Author    string    `json:"author"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Active    bool      `json:"active"`
	YAML      string    `json:"-"`
}

// Definition parses the stored YAML.
func (v Version) Definition() (*pipelinedef.Definition, error) {
	d, err := pipelinedef.Parse([]byte(v.YAML))
	if err != nil {
		return nil, fmt.Errorf("stored pipeline %s: %w", v.Label, err)
	}
	return d, nil
}

// Activation is one row of the activation history.
type Activation struct {
	ID          int64     `json:"id"`
	Label       string    `json:"label"`
	Author      string    `json:"author"`
	Reason      string    `json:"reason,omitempty"`
	ActivatedAt time.Time `json:"activated_at"`
}

func scanVersion(r pgx.Row) (Version, error) {
	var v Version
	err := r.Scan(&v.Label, &v.Name, &v.Version, &v.Hash, &v.Author, &v.Note, &v.CreatedAt, &v.YAML, &v.Active)
	return v, err
}

// Activate makes the stored version ref the active one, audited, and
// notifies the workers. Activating the active version is a no-op that
// returns changed=false.
func (s *Store) Activate(ctx context.Context, ref, author, reason string) (v Version, changed bool, err error) {
	return s.activate(ctx, ref, author, reason, true)
}

// Previous returns the version that was active before the current one.
func (s *Store) Previous(ctx context.Context) (Version, error) {
	hist, err := s.History(ctx, 1000)
	if err != nil {
		return Version{}, err
	}
	if len(hist) == 0 {
		return Version{}, dossier.Errorf(dossier.CodeNotFound, "chưa kích hoạt quy trình nào (no active pipeline)")
	}
	for _, a := range hist[1:] {
		if a.Label != hist[0].Label {
			return s.Get(ctx, a.Label)
		}
	}
	return Version{}, dossier.Errorf(dossier.CodeConflict, "không có phiên bản trước để quay lại (nothing to roll back to)")
}

// Rollback activates the version that was active before the current one.
func (s *Store) Rollback(ctx context.Context, author, reason string) (Version, error) {
	prev, err := s.Previous(ctx)
	if err != nil {
		return prev, err
	}
	if reason == "" {
		reason = "rollback"
	}
	v, _, err := s.activate(ctx, prev.Label, author, reason, false)
	return v, err
}

// Seed stores the configured definition and activates it when nothing is
// active yet, or when the active version was itself seeded by the system
// (a new release changed the default); an operator's activation wins over
// the configuration. It returns the active version.
func (s *Store) Seed(ctx context.Context, yaml []byte) (Version, error) {
	v, _, err := s.Put(ctx, yaml, SystemAuthor, "định nghĩa cấu hình (configured definition)")
	if err != nil {
		return v, err
	}
	hist, err := s.History(ctx, 1)
	if err != nil {
		return v, err
	}
	switch {
	case len(hist) == 0:
		v, _, err = s.Activate(ctx, v.Label, SystemAuthor, "kích hoạt lần đầu (initial activation)")
		return v, err
	case hist[0].Label != v.Label && hist[0].Author == SystemAuthor:
		v, _, err = s.Activate(ctx, v.Label, SystemAuthor, "định nghĩa cấu hình đã đổi (configured definition changed)")
		return v, err
	}
	return s.Active(ctx)
}
