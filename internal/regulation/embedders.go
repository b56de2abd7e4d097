package regulation

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

// LocalEmbedders gives the local embedder a pipeline definition names
// (providers.embed: {provider: local, model: hashing | ppmi-svd}): the
// hashing embedder, or the PPMI-SVD embedder trained on Base's texts, the
// latest training stored (hoso regs reembed --train-ppmi). The trained
// model is read from the database at most once a minute.
type LocalEmbedders struct {
	Base *Store

	mu     sync.Mutex
	ppmi   *embedding.PPMI
	loaded time.Time
}

// ppmiReload is how long a loaded PPMI-SVD model serves before the latest
// training is read again.
const ppmiReload = time.Minute

// For returns the local embedder def names. It errs when def names
// PPMI-SVD and none was trained, or when its embeddings are not local.
func (l *LocalEmbedders) For(ctx context.Context, def *pipelinedef.Definition) (Embedder, error) {
	switch m := def.LocalEmbedModel(); m {
	case pipelinedef.EmbedHashing:
		return embedding.NewHashing(), nil
	case pipelinedef.EmbedPPMISVD:
		return l.latestPPMI(ctx)
	default:
		return nil, fmt.Errorf("regulation: %s names no local embedder (%q)", def.VersionLabel(), m)
	}
}

func (l *LocalEmbedders) latestPPMI(ctx context.Context) (Embedder, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ppmi != nil && time.Since(l.loaded) < ppmiReload {
		return l.ppmi, nil
	}
	p, ok, err := l.Base.LatestPPMI(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, dossier.Errorf(dossier.CodeConflict,
			"chưa huấn luyện bộ nhúng PPMI-SVD; chạy: hoso regs reembed --train-ppmi (no PPMI-SVD embedder trained)")
	}
	l.ppmi, l.loaded = p, time.Now()
	return p, nil
}
