package pipelinestore

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

// Registry is a pipelines.Registry backed by the Store: it knows every
// stored version (a dossier in flight finds the one it started under) and
// follows the active one, polling PostgreSQL (Run) so that workers pick up
// an activation without a restart. Safe for concurrent use.
type Registry struct {
	store *Store
	log   *slog.Logger

	mu       sync.RWMutex
	versions map[string]*pipelinedef.Definition
	current  *pipelinedef.Definition
	lastAct  int64 // id of the newest activation seen
}

// NewRegistry loads every stored version and the active one. fallback is
// used as the current definition only while nothing is active.
func NewRegistry(ctx context.Context, store *Store, fallback *pipelinedef.Definition, log *slog.Logger) (*Registry, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Registry{store: store, log: log, versions: map[string]*pipelinedef.Definition{}, current: fallback}
	if fallback != nil {
		r.versions[fallback.VersionLabel()] = fallback
	}
	if err := r.Refresh(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Current returns the active definition.
func (r *Registry) Current() *pipelinedef.Definition {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.current
}

// Version returns the stored definition with label. A label stored by
// another process since the last refresh is read from PostgreSQL.
func (r *Registry) Version(label string) (*pipelinedef.Definition, bool) {
	r.mu.RLock()
	d, ok := r.versions[label]
	cur := r.current
	r.mu.RUnlock()
	if ok {
		return d, true
	}
	if label == "" {
		return cur, cur != nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := r.store.Get(ctx, label)
	if err != nil || v.Label != label {
		return nil, false
	}
	d, err = v.Definition()
	if err != nil {
		return nil, false
	}
	r.mu.Lock()
	r.versions[label] = d
	r.mu.Unlock()
	return d, true
}

// Run refreshes every interval (2s when zero) until ctx ends.
func (r *Registry) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := r.Refresh(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("refresh pipeline versions", "err", err)
		}
	}
}

var _ pipelinedef.Registry = (*Registry)(nil)
