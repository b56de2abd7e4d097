package regulation

import (
	"context"
	"fmt"
	"sync"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

// WithEmbedder returns a store on the same database that embeds (and
// searches the vectors of) emb: another regulation index over the same
// texts.
func (s *Store) WithEmbedder(emb Embedder) *Store {
	c := *s
	c.emb = emb
	return &c
}

// Indexes gives each pipeline version the regulation index it cites from:
// the vectors of the embedding model its embed provider names. When that is
// Base's model, findings carry the citations stored at import (hoso regs
// cite); a version naming another model — a candidate index tried in
// shadow — cites live from that model's vectors (built with hoso regs
// reembed --pipeline), each procedure version once per process.
type Indexes struct {
	Base *Store
	// Embedder returns the embedder def names.
	Embedder func(def *pipelinedef.Definition) (Embedder, error)

	mu   sync.Mutex
	live map[string]map[string][]dossier.Citation // model → code@version@effective → req key…
}

// liveCacheLimit bounds the procedure versions cited live per model.
const liveCacheLimit = 4096

// Name returns the embedding model def cites with.
func (ix *Indexes) Name(def *pipelinedef.Definition) (string, error) {
	emb, err := ix.Embedder(def)
	if err != nil {
		return "", err
	}
	return emb.Name(), nil
}

// Ready reports whether def's regulation index can serve: its embedder can
// be built here and, when it is not Base's, its vectors exist. It is the
// activation preflight (pipelinestore.Store.Preflight).
func (ix *Indexes) Ready(ctx context.Context, def *pipelinedef.Definition) error {
	emb, err := ix.Embedder(def)
	if err != nil {
		return err
	}
	if emb.Name() == ix.Base.Embedder().Name() {
		return nil
	}
	built, err := ix.Base.WithEmbedder(emb).Built(ctx)
	if err != nil {
		return err
	}
	if !built {
		return fmt.Errorf("chỉ mục văn bản pháp luật cho mô hình %s chưa được tạo; chạy: hoso regs reembed --pipeline %s (regulation index not built)",
			emb.Name(), def.VersionLabel())
	}
	return nil
}

// CitationsOfUnder returns CitationsUnder for every requirement of proc, by
// requirement key (a key without citations may be absent): one query for
// the base index instead of one a requirement (#18).
func (ix *Indexes) CitationsOfUnder(ctx context.Context, def *pipelinedef.Definition, proc *catalog.Procedure) (map[string][]dossier.Citation, error) {
	emb, err := ix.Embedder(def)
	if err != nil {
		return nil, dossier.Permanent(fmt.Errorf("regulation index of %s: %w", def.VersionLabel(), err))
	}
	if emb.Name() == ix.Base.Embedder().Name() {
		return ix.Base.CitationsOf(ctx, proc.Code)
	}
	out := make(map[string][]dossier.Citation, len(proc.Requirements))
	for _, r := range proc.Requirements {
		cs, err := ix.CitationsUnder(ctx, def, proc, r.Key)
		if err != nil {
			return nil, err
		}
		out[r.Key] = cs
	}
	return out, nil
}

// CitationsUnder returns the citations of requirement key of proc from the
// index def names, best first.
func (ix *Indexes) CitationsUnder(ctx context.Context, def *pipelinedef.Definition, proc *catalog.Procedure, key string) ([]dossier.Citation, error) {
	emb, err := ix.Embedder(def)
	if err != nil {
		return nil, dossier.Permanent(fmt.Errorf("regulation index of %s: %w", def.VersionLabel(), err))
	}
	if emb.Name() == ix.Base.Embedder().Name() {
		return ix.Base.Citations(ctx, proc.Code, key)
	}
	pk := fmt.Sprintf("%s@%d@%s", proc.Code, proc.Version, proc.EffectiveFrom.Format("2006-01-02"))
	ix.mu.Lock()
	if cs, ok := ix.live[emb.Name()][pk+"\x00"+key]; ok {
		ix.mu.Unlock()
		return cs, nil
	}
	ix.mu.Unlock()

	st := ix.Base.WithEmbedder(emb)
	built, err := st.Built(ctx)
	if err != nil {
		return nil, err
	}
	if !built {
		return nil, dossier.Permanent(dossier.Errorf(dossier.CodeConflict,
			"chỉ mục văn bản pháp luật cho mô hình %s chưa được tạo; chạy: hoso regs reembed --pipeline %s (regulation index for %s not built)",
			emb.Name(), def.VersionLabel(), emb.Name()))
	}
	keys, results, err := st.citeAll(ctx, proc)
	if err != nil {
		return nil, err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.live == nil {
		ix.live = map[string]map[string][]dossier.Citation{}
	}
	m := ix.live[emb.Name()]
	if m == nil || len(m) > liveCacheLimit {
		m = map[string][]dossier.Citation{}
		ix.live[emb.Name()] = m
	}
	var out []dossier.Citation
	for i, k := range keys {
		cs := results[i]
		if cs == nil {
			cs = []dossier.Citation{}
		}
		m[pk+"\x00"+k] = cs
		if k == key {
			out = cs
		}
	}
	if out == nil {
		out = []dossier.Citation{}
	}
	return out, nil
}
