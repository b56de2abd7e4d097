package web

import (
	"container/list"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// pageRenders counts page-image requests by how they were answered:
// rendered, cache, busy (503, no render slot in time), slow (503, the
// render ran out of time on a busy machine) or failed.
var pageRenders = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "hoso_console_page_renders_total",
	Help: "Console page images by outcome: rendered, cache, busy (503: no render slot within HOSO_RENDER_WAIT), slow (503: timed out on a busy machine), failed.",
}, []string{"result"})

// renderGate bounds page rendering in one console process: at most
// cap(slots) renders run at once, a request waits at most wait for a slot,
// and rendered pages are kept in a cache bounded in bytes.
type renderGate struct {
	slots chan struct{}
	wait  time.Duration
	cache *pageCache

	inFlight, maxInFlight atomic.Int64
	renders, hits         atomic.Int64
}

func newRenderGate(concurrency int, wait time.Duration, cacheBytes int64) *renderGate {
	return &renderGate{slots: make(chan struct{}, concurrency), wait: wait, cache: newPageCache(cacheBytes)}
}

// acquire takes a render slot, waiting at most g.wait; ok is false when
// none came free (the caller answers 503) or ctx ended.
func (g *renderGate) acquire(ctx context.Context) (release func(), ok bool) {
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
	n := g.inFlight.Add(1)
	for {
		m := g.maxInFlight.Load()
		if n <= m || g.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	g.renders.Add(1)
	return func() {
		g.inFlight.Add(-1)
		<-g.slots
	}, true
}

// pageCache is a least-recently-used cache of rendered pages, bounded by
// the total size of the images. Keys name the document's content (sha256),
// the page and the output size, so a cached page is never stale.
type pageCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type cachedPage struct {
	key string
	png []byte
}

func newPageCache(max int64) *pageCache {
	return &pageCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (c *pageCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cachedPage).png, true
}

func (c *pageCache) put(key string, png []byte) {
	n := int64(len(png))
	if n > c.max/4 {
		return // one page must not flush the cache
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; ok {
		return
	}
	c.items[key] = c.order.PushFront(&cachedPage{key: key, png: png})
	c.size += n
	for c.size > c.max {
		e := c.order.Back()
		p := c.order.Remove(e).(*cachedPage)
		delete(c.items, p.key)
		c.size -= int64(len(p.png))
	}
}
