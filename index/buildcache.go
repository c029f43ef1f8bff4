package index

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blust/archive/index/internal/facet"
)

// Caches of what depends on the whole serving build rather than on a
// reader's query: the archive's date span (every year and month facet
// needs it) and whole-archive pages such as the home page's newest posts
// or the popular tags shown on a page without results. Without them each
// of those requests sorts or facets every post: two full sorts per
// search page for the span alone. Entries are keyed by the build's label,
// which changes with every build switch and every incremental sync, so a
// cache never answers for a state of the archive it was not made from.

// perBuild holds one value for one build label.
type perBuild[T any] struct {
	mu    sync.Mutex
	label string
	v     T
	ok    bool
}

// get returns the value for label, computing it on first use. Errors are
// not cached.
func (c *perBuild[T]) get(label string, compute func() (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && c.label == label {
		return c.v, nil
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.label, c.v, c.ok = label, v, true
	return v, nil
}

type dateSpan struct {
	first, last time.Time
	ok          bool
}

// span is the date of the oldest and the newest post of the serving build.
func (ix *Index) span(ctx context.Context) (first, last time.Time, ok bool, err error) {
	s, err := ix.caches.span.get(ix.Manifest().Label(), func() (dateSpan, error) {
		f, l, ok, err := ix.scanSpan(ctx)
		return dateSpan{f, l, ok}, err
	})
	return s.first, s.last, s.ok, err
}

// browseCacheSize bounds the whole-archive pages kept per build.
const browseCacheSize = 64

// browseCache holds results of requests without text or filters.
type browseCache struct {
	mu      sync.Mutex
	label   string
	results map[string]*Result
}

// browseKey is the cache key of r, or "" when r depends on a reader's
// text or filters and is not cached.
func browseKey(r Request) string {
	if strings.TrimSpace(r.Query) != "" || len(r.Tags) > 0 || r.Author != "" || !r.From.IsZero() || !r.To.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s|%d|%d|%d|%d|%q|%d|%s", r.Sort, r.Offset, r.Size, r.Fragments, r.FragmentSize, r.Facets, r.FacetSize, r.Cursor)
}

func (c *browseCache) get(label, key string) (*Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.label != label {
		return nil, false
	}
	res, ok := c.results[key]
	return res, ok
}

func (c *browseCache) put(label, key string, res *Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.label != label || len(c.results) >= browseCacheSize {
		c.label, c.results = label, map[string]*Result{}
	}
	c.results[key] = res
}

// copyResult gives each caller its own Result, so one caller changing its
// hits or facets cannot change another's.
func copyResult(r *Result) *Result {
	out := *r
	out.Hits = slices.Clone(r.Hits)
	out.Facets = maps.Clone(r.Facets)
	return &out
}

// buildCaches are all the per-build caches of an Index.
type buildCaches struct {
	span   perBuild[dateSpan]
	browse browseCache
	facets facet.Tables
}
