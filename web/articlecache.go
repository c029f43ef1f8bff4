package web

import (
	"container/list"
	"context"
	"fmt"
	"sync"

	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// Rendering a post's Markdown costs far more than serving it, so the
// article page keeps rendered posts, keyed by the hash of the post's file:
// an edited post gets a new key, and its old rendering ages out. The cache
// is bounded in bytes; a rendering over a quarter of it is not kept.
const articleCacheBytes = 64 << 20

// docCache is a byte-bounded LRU cache of rendered posts. Concurrent
// misses of one key share one render.
type docCache struct {
	mu      sync.Mutex
	max     int64
	used    int64
	order   *list.List // of *cacheEntry, most recently used first
	entries map[string]*list.Element
	flights map[string]*flight
}

type cacheEntry struct {
	key  string
	doc  *render.Doc
	size int64
}

// flight is a render in progress; done closes when doc and err are set.
type flight struct {
	done chan struct{}
	doc  *render.Doc
	err  error
}

func newDocCache(maxBytes int64) *docCache {
	return &docCache{max: maxBytes, order: list.New(), entries: map[string]*list.Element{}, flights: map[string]*flight{}}
}

// get returns key's rendering, calling build on a miss. The first
// caller's build runs detached from its request (it is bounded by the
// render budget), so a reader hanging up does not fail the others
// waiting for it; each caller waits only as long as its own ctx allows.
// Errors are not kept.
func (c *docCache) get(ctx context.Context, key string, build func(context.Context) (*render.Doc, error)) (*render.Doc, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		c.mu.Unlock()
		return el.Value.(*cacheEntry).doc, nil
	}
	f, ok := c.flights[key]
	if !ok {
		f = &flight{done: make(chan struct{})}
		c.flights[key] = f
		go c.fill(context.WithoutCancel(ctx), key, f, build)
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.doc, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fill runs build for the flight f. It is on its own goroutine, out of
// reach of the request's recoverer, so it recovers a panic itself.
func (c *docCache) fill(ctx context.Context, key string, f *flight, build func(context.Context) (*render.Doc, error)) {
	defer func() {
		if v := recover(); v != nil {
			f.doc, f.err = nil, fmt.Errorf("render %s: panic: %v", key, v)
			c.land(key, f)
		}
	}()
	f.doc, f.err = build(ctx)
	c.land(key, f)
}

// land ends the flight f: keeps its rendering and wakes its waiters.
func (c *docCache) land(key string, f *flight) {
	c.mu.Lock()
	delete(c.flights, key)
	if f.err == nil {
		c.put(key, f.doc)
	}
	c.mu.Unlock()
	close(f.done)
}

// put stores doc under key and evicts the least recently used entries
// until the cache is within its bytes. c.mu is held.
func (c *docCache) put(key string, doc *render.Doc) {
	size := docBytes(key, doc)
	if size > c.max/4 {
		return
	}
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, doc: doc, size: size})
	c.used += size
	for c.used > c.max {
		last := c.order.Back()
		e := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.entries, e.key)
		c.used -= e.size
	}
}

// docBytes estimates the memory a cached rendering holds: its strings and
// a fixed overhead per struct, slice element and map entry.
func docBytes(key string, d *render.Doc) int64 {
	const overhead = 256
	n := overhead + len(key) + len(d.HTML) + len(d.Text) + len(d.Summary) + len(d.Plain)
	for _, h := range d.Headings {
		n += 48 + len(h.ID) + len(h.Text)
	}
	for _, s := range d.Sections {
		n += 48 + len(s.Heading) + len(s.Anchor)
	}
	return int64(n)
}

// len is the number of cached renderings and the bytes they hold.
func (c *docCache) len() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.used
}

// renderArticle renders p's body within the render budget, once per
// version of its file.
func (s *Server) renderArticle(ctx context.Context, p *post.Post) (*render.Doc, error) {
	do := func(ctx context.Context) (*render.Doc, error) {
		return s.deps.Renderer.RenderWithin(ctx, p.Body, render.Options{}, render.Budget{})
	}
	if p.Hash == "" {
		return do(ctx)
	}
	return s.articles.get(ctx, p.Hash, do)
}
