package pipelinestore

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

// Put validates yaml and stores it as a version. Storing the same bytes
// again returns the stored version and created=false.
func (s *Store) Put(ctx context.Context, yaml []byte, author, note string) (v Version, created bool, err error) {
	def, err := pipelinedef.Parse(yaml)
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

// Refresh reloads the versions when the activation history changed.
func (r *Registry) Refresh(ctx context.Context) error {
	var last int64
	if err := r.store.Pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM pipeline_activations`).Scan(&last); err != nil {
		return err
	}
	r.mu.RLock()
	same := last == r.lastAct && last != 0
	r.mu.RUnlock()
	if same {
		return nil
	}
	list, err := r.store.List(ctx)
	if err != nil {
		return err
	}
	versions := map[string]*pipelinedef.Definition{}
	var cur *pipelinedef.Definition
	for _, v := range list {
		d, err := v.Definition()
		if err != nil {
			// A version that no longer parses (a field was removed in a
			// later release) cannot run; say so, keep the others.
			r.log.Error("stored pipeline version does not parse", "version", v.Label, "err", err)
			continue
		}
		versions[v.Label] = d
		if v.Active {
			cur = d
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, d := range r.versions {
		if _, ok := versions[k]; !ok {
			versions[k] = d
		}
	}
	r.versions = versions
	if cur != nil && (r.current == nil || r.current.VersionLabel() != cur.VersionLabel()) {
		prev := ""
		if r.current != nil {
			prev = r.current.VersionLabel()
		}
		r.log.Info("pipeline version activated", "version", cur.VersionLabel(), "previous", prev)
		activeVersion.Reset()
		activeVersion.WithLabelValues(cur.VersionLabel()).Set(1)
	}
	if cur != nil {
		r.current = cur
	}
	r.lastAct = last
	return nil
}
