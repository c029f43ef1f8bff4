package web

import (
	"container/list"
	"context"
	"fmt"
	"io/fs"
	"sync"
	"time"

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
	val  *rendered
	size int64
}

// flight is a render in progress; done closes when val and err are set.
type flight struct {
	done chan struct{}
	val  *rendered
	err  error
}

// rendered is a post's rendering and the files beside it that its
// templates read, as they were.
type rendered struct {
	doc   *render.Doc
	reads []fileStamp
	// expires is when a rendering cut short by its time budget is tried
	// again (a busy machine may have cut it); zero for the others.
	expires time.Time
}

// retryTimedOut is how long a rendering cut short by its time budget is
// served before the post is rendered again: a slow post costs one render
// budget a minute, and a post that was only unlucky is soon whole.
const retryTimedOut = time.Minute

type fileStamp struct {
	name string
	size int64
	mod  time.Time
}

// fresh reports whether the rendering may still be served: it has not
// expired and every file it read is as it was.
func (r *rendered) fresh(dir fs.FS, now time.Time) bool {
	if !r.expires.IsZero() && now.After(r.expires) {
		return false
	}
	for _, st := range r.reads {
		fi, err := fs.Stat(dir, st.name)
		if err != nil || fi.Size() != st.size || !fi.ModTime().Equal(st.mod) {
			return false
		}
	}
	return true
}

// readRecorder is the post's folder as its templates see it; it notes
// each file they open.
type readRecorder struct {
	dir   fs.FS
	mu    sync.Mutex
	reads map[string]fileStamp
}

func (r *readRecorder) Open(name string) (fs.File, error) {
	f, err := r.dir.Open(name)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil {
		r.mu.Lock()
		if r.reads == nil {
			r.reads = map[string]fileStamp{}
		}
		r.reads[name] = fileStamp{name: name, size: fi.Size(), mod: fi.ModTime()}
		r.mu.Unlock()
	}
	return f, nil
}

// stamps lists the files opened; nil for a nil recorder.
func (r *readRecorder) stamps() []fileStamp {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]fileStamp, 0, len(r.reads))
	for _, st := range r.reads {
		out = append(out, st)
	}
	return out
}

func newDocCache(maxBytes int64) *docCache {
	return &docCache{max: maxBytes, order: list.New(), entries: map[string]*list.Element{}, flights: map[string]*flight{}}
}

// get returns key's rendering, calling build on a miss. The first
// caller's build runs detached from its request (it is bounded by the
// render budget), so a reader hanging up does not fail the others
// waiting for it; each caller waits only as long as its own ctx allows.
// Errors are not kept.
func (c *docCache) get(ctx context.Context, key string, build func(context.Context) (*rendered, error)) (*rendered, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		c.mu.Unlock()
		return el.Value.(*cacheEntry).val, nil
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
		return f.val, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fill runs build for the flight f. It is on its own goroutine, out of
// reach of the request's recoverer, so it recovers a panic itself.
func (c *docCache) fill(ctx context.Context, key string, f *flight, build func(context.Context) (*rendered, error)) {
	defer func() {
		if v := recover(); v != nil {
			f.val, f.err = nil, fmt.Errorf("render %q: panic: %v", key, v)
			c.land(key, f)
		}
	}()
	f.val, f.err = build(ctx)
	c.land(key, f)
}

// land ends the flight f: keeps its rendering and wakes its waiters.
func (c *docCache) land(key string, f *flight) {
	c.mu.Lock()
	delete(c.flights, key)
	if f.err == nil {
		c.put(key, f.val)
	}
	c.mu.Unlock()
	close(f.done)
}

// put stores doc under key and evicts the least recently used entries
// until the cache is within its bytes. c.mu is held.
func (c *docCache) put(key string, val *rendered) {
	size := docBytes(key, val)
	if size > c.max/4 {
		return
	}
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, val: val, size: size})
	c.used += size
	for c.used > c.max {
		c.remove(c.order.Back())
	}
}

// remove drops one entry. c.mu is held.
func (c *docCache) remove(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.order.Remove(el)
	delete(c.entries, e.key)
	c.used -= e.size
}

// forget drops key's entry if it is still val: a rendering found stale.
func (c *docCache) forget(key string, val *rendered) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok && el.Value.(*cacheEntry).val == val {
		c.remove(el)
	}
}

// docBytes estimates the memory a cached rendering holds: its strings and
// a fixed overhead per struct, slice element and map entry.
func docBytes(key string, r *rendered) int64 {
	const overhead = 256
	d := r.doc
	n := overhead + len(key) + len(d.HTML) + len(d.Text) + len(d.Summary) + len(d.Plain)
	for _, st := range r.reads {
		n += 64 + len(st.name)
	}
	for _, u := range d.Unrendered {
		n += 48 + len(u.Name)
	}
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
// version of its file. A post's templates may read files beside it (Go
// blog {{code "x.go"}}); those reads are recorded with the rendering, and
// a cached rendering is used only while each file is as it was.
func (s *Server) renderArticle(ctx context.Context, p *post.Post) (*render.Doc, error) {
	opts := renderOptions(s.deps.Content, s.deps.Site.Values, p)
	if p.Hash == "" {
		return s.deps.Renderer.RenderWithin(ctx, p.Body, opts, render.Budget{})
	}
	key := p.File + "\x00" + p.Hash
	build := func(ctx context.Context) (*rendered, error) {
		o := opts
		var rec *readRecorder
		if o.Dir != nil {
			rec = &readRecorder{dir: o.Dir}
			o.Dir = rec
		}
		d, err := s.deps.Renderer.RenderWithin(ctx, p.Body, o, render.Budget{})
		if err != nil {
			return nil, err
		}
		r := &rendered{doc: d, reads: rec.stamps()}
		if d.TimedOut() {
			r.expires = time.Now().Add(retryTimedOut)
		}
		return r, nil
	}
	r, err := s.articles.get(ctx, key, build)
	if err == nil && !r.fresh(opts.Dir, time.Now()) {
		s.articles.forget(key, r)
		r, err = s.articles.get(ctx, key, build)
	}
	if err != nil {
		return nil, err
	}
	return r.doc, nil
}
