// Package pipelinestore provides pipeline definitions as versioned artefacts
// in PostgreSQL: every stored version with its hash, author and time, the
// activation history (rollback is activating the previous version again),
// and a pipelines.Registry that knows every stored version and follows the
// active one without a restart.
package pipelinestore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/pipelines"
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
	Preflight func(ctx context.Context, def *pipelines.Definition) error
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
func (v Version) Definition() (*pipelines.Definition, error) {
	d, err := pipelines.Parse([]byte(v.YAML))
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

// Put validates yaml and stores it as a version. Storing the same bytes
// again returns the stored version and created=false.
func (s *Store) Put(ctx context.Context, yaml []byte, author, note string) (v Version, created bool, err error) {
	def, err := pipelines.Parse(yaml)
	if err != nil {
		return v, false, dossier.Errorf(dossier.CodeInvalid, "%v", err)
	}
	if author == "" {
		return v, false, dossier.Errorf(dossier.CodeInvalid, "cần tác giả (author required)")
	}
	tag, err := s.Pool.Exec(ctx, `INSERT INTO pipeline_versions (label, name, version, hash, yaml, author, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		def.VersionLabel(), def.Name, def.Version, def.Hash, string(yaml), author, note)
	if err != nil {
		return v, false, fmt.Errorf("store pipeline %s: %w", def.VersionLabel(), err)
	}
	v, err = s.Get(ctx, def.VersionLabel())
	return v, tag.RowsAffected() == 1, err
}

const selectVersion = `SELECT v.label, v.name, v.version, v.hash, v.author, v.note, v.created_at, v.yaml,
		coalesce(v.label = (SELECT label FROM pipeline_activations ORDER BY id DESC LIMIT 1), false)
	FROM pipeline_versions v`

func scanVersion(r pgx.Row) (Version, error) {
	var v Version
	err := r.Scan(&v.Label, &v.Name, &v.Version, &v.Hash, &v.Author, &v.Note, &v.CreatedAt, &v.YAML, &v.Active)
	return v, err
}

// Get returns the version named by ref: a full label, a label without its
// hash (name@version, the newest such), or a hash prefix of 6+ characters.
func (s *Store) Get(ctx context.Context, ref string) (Version, error) {
	ref = strings.TrimSpace(ref)
	row := s.Pool.QueryRow(ctx, selectVersion+` WHERE v.label = $1
		OR (strpos($1, '#') = 0 AND v.name || '@' || v.version = $1)
		OR (length($1) >= 6 AND v.hash LIKE $1 || '%')
		ORDER BY (v.label = $1) DESC, v.created_at DESC LIMIT 1`, ref)
	v, err := scanVersion(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, dossier.Errorf(dossier.CodeNotFound, "không có phiên bản quy trình %q (no such pipeline version)", ref)
	}
	if err != nil {
		return v, fmt.Errorf("read pipeline %s: %w", ref, err)
	}
	return v, nil
}

// List returns every stored version, newest first.
func (s *Store) List(ctx context.Context) ([]Version, error) {
	rows, err := s.Pool.Query(ctx, selectVersion+` ORDER BY v.created_at DESC, v.label`)
	if err != nil {
		return nil, fmt.Errorf("list pipelines: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Version, error) { return scanVersion(r) })
}

// Active returns the active version; CodeNotFound when none was activated.
func (s *Store) Active(ctx context.Context) (Version, error) {
	row := s.Pool.QueryRow(ctx, selectVersion+` WHERE v.label = (SELECT label FROM pipeline_activations ORDER BY id DESC LIMIT 1)`)
	v, err := scanVersion(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, dossier.Errorf(dossier.CodeNotFound, "chưa kích hoạt quy trình nào (no active pipeline)")
	}
	if err != nil {
		return v, fmt.Errorf("read active pipeline: %w", err)
	}
	return v, nil
}

// History returns the activations, newest first.
func (s *Store) History(ctx context.Context, limit int) ([]Activation, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.Pool.Query(ctx, `SELECT id, label, author, reason, activated_at FROM pipeline_activations ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("pipeline history: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Activation, error) {
		var a Activation
		err := r.Scan(&a.ID, &a.Label, &a.Author, &a.Reason, &a.ActivatedAt)
		return a, err
	})
}

// Activate makes the stored version ref the active one, audited, and
// notifies the workers. Activating the active version is a no-op that
// returns changed=false.
func (s *Store) Activate(ctx context.Context, ref, author, reason string) (v Version, changed bool, err error) {
	return s.activate(ctx, ref, author, reason, true)
}

func (s *Store) activate(ctx context.Context, ref, author, reason string, preflight bool) (v Version, changed bool, err error) {
	if author == "" {
		return v, false, dossier.Errorf(dossier.CodeInvalid, "cần tác giả (author required)")
	}
	v, err = s.Get(ctx, ref)
	if err != nil {
		return v, false, err
	}
	if s.Preflight != nil && preflight {
		def, err := v.Definition()
		if err != nil {
			return v, false, err
		}
		if err := s.Preflight(ctx, def); err != nil {
			return v, false, dossier.Errorf(dossier.CodeConflict, "không kích hoạt %s: %v (activation refused)", v.Label, err)
		}
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		// One activation at a time, so that "previous" is well defined.
		if _, err := tx.Exec(ctx, `LOCK TABLE pipeline_activations IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		var prev string
		err := tx.QueryRow(ctx, `SELECT label FROM pipeline_activations ORDER BY id DESC LIMIT 1`).Scan(&prev)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if prev == v.Label {
			return nil
		}
		changed = true
		if _, err := tx.Exec(ctx, `INSERT INTO pipeline_activations (label, author, reason) VALUES ($1, $2, $3)`, v.Label, author, reason); err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, audit.Entry{Actor: author, Action: "pipeline.activate", Entity: "pipeline", EntityID: v.Label,
			Before: map[string]string{"active": prev}, After: map[string]string{"active": v.Label, "hash": v.Hash}, Reason: reason}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, v.Label)
		return err
	})
	if err != nil {
		return v, false, fmt.Errorf("activate pipeline %s: %w", v.Label, err)
	}
	v.Active = true
	return v, changed, nil
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
