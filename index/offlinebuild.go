package index

import (
	"context"
	"fmt"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/offline"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/internal/post"
)

// offlineBuilds makes full builds write their bleve index with scorch's
// offline builder (index/internal/offline) instead of batches into an
// open index merged at the end: an experiment of issue 23, measured by
// BenchmarkOfflineBuild. The side files (bodies, vocabulary, field
// statistics) are written as in any build.
var offlineBuilds = false

// writeOffline is writeBuild and writeAll in one, with the offline
// builder as bleve's writer: posts are rendered and analysed on every
// core, and each document goes to the builder, which cuts its segments
// every batch documents and merges them once at the end.
func (s *Store) writeOffline(ctx context.Context, id string, posts []*post.Post, opts BuildOptions) ([]*post.Post, []*post.Problem, *totals, error) {
	m, err := schema.NewMapping()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("mapping: %w", err)
	}
	bf, err := bodies.Create(s.bodiesPath(id))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("create build %s: %w", id, err)
	}
	defer bf.Close()
	w, err := offline.Create(s.blevePath(id), m, opts.BatchSize)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("create build %s: %w", id, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The totals are counted as the build queue counts them.
	count := &batchQueue{words: map[string]uint64{}}
	var indexed []*post.Post
	var bad []*post.Problem
	for r := range renderAll(ctx, opts, m, posts, opts.BatchSize) {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, fmt.Errorf("build cancelled: %w", err)
		}
		if r.err != nil {
			bad = append(bad, &post.Problem{File: r.post.File, Msg: r.err.Error(), Fix: "fix the Markdown so it renders"})
			continue
		}
		warnPlain(opts.Logger, r.doc)
		if err := attachBody(bf, r.bd, r.doc); err != nil {
			return nil, nil, nil, err
		}
		if err := w.Add(r.bd); err != nil {
			return nil, nil, nil, err
		}
		count.count(r.bd, r.doc)
		indexed = append(indexed, r.post)
		if opts.Progress != nil && len(indexed)%opts.BatchSize == 0 {
			opts.Progress(len(indexed), len(posts))
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("build cancelled: %w", err)
	}
	if err := bf.Sync(); err != nil {
		return nil, nil, nil, err
	}
	if err := w.Close(); err != nil {
		return nil, nil, nil, fmt.Errorf("build %s: %w", id, err)
	}
	if opts.Progress != nil {
		opts.Progress(len(indexed), len(posts))
	}
	return indexed, bad, count.totals(), nil
}
