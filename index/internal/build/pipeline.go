package build

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/internal/post"
)

// WriteDiff renders the diff's posts on every core and writes them from
// this goroutine in batches. Deletions go into the last batch, so a
// renamed post is never missing from the index: its new document is in
// before its old one goes. A post that fails to render is dropped from the
// diff and returned as a problem; its old document is deleted too, as a
// full build would leave it out. A sync of one batch returns once it is
// searchable; a larger one also waits until it is on disk. persisted
// signals when the last batch is.
func WriteDiff(ctx context.Context, idx bleve.Index, bf *bodies.File, sd *changes.Diff, old changes.State, opts BuildOptions, words map[string]int64) (failed []*post.Problem, persisted chan error, err error) {
	f := newSyncQueue(idx, bf, opts.BatchSize)
	done := 0
	err = writePosts(ctx, f, sd.Write, opts, func(p *post.Post, d *document, problem *post.Problem) {
		if problem != nil {
			failed = append(failed, problem)
			sd.Drop(p.Slug, old)
			return
		}
		for _, w := range d.words {
			words[w]++
		}
		done++
	})
	if err != nil {
		return nil, nil, err
	}
	for _, slug := range sd.Delete {
		f.delete(slug)
	}
	if err := f.send(ctx); err != nil {
		return nil, nil, err
	}
	if f.sent > 1 {
		for _, ch := range f.inflight {
			if err := awaitPersisted(ctx, ch); err != nil {
				return nil, nil, err
			}
		}
		f.inflight = nil
	}
	if opts.Progress != nil {
		opts.Progress(done, len(sd.Write))
	}
	return failed, f.last(), nil
}

// writePosts renders posts on every core (renderAll) and writes them into
// q from this goroutine, since bleve wants one writer: a full build's
// and a sync's posts alike. each hears of every post in turn: written
// with its document, or not written with the problem that kept it out
// (it failed to render). Progress is reported after each batch sent. The
// caller sends the last batch.
func writePosts(ctx context.Context, q *batchQueue, posts []*post.Post, opts BuildOptions, each func(*post.Post, *document, *post.Problem)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the renderers if a batch fails
	// A build lets a whole batch be rendered and analysed while the one
	// before is made into a segment, which bleve does on this goroutine
	// alone; a sync's batches are small, and it waits for fewer.
	queue, cancelled := opts.BatchSize, "build cancelled"
	if q.serving {
		queue, cancelled = renderQueue, "cancelled"
	}
	done := 0
	for r := range renderAll(ctx, opts, q.idx.Mapping(), posts, queue) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", cancelled, err)
		}
		if r.err != nil {
			each(r.post, nil, &post.Problem{File: r.post.File, Msg: r.err.Error(), Fix: "fix the Markdown so it renders"})
			continue
		}
		warnPlain(opts.Logger, r.doc)
		if _, err := q.add(ctx, r.bd, r.doc); err != nil {
			return err
		}
		each(r.post, r.doc, nil)
		done++
		if q.flushed && opts.Progress != nil {
			opts.Progress(done, len(posts))
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", cancelled, err)
	}
	return nil
}

// rendered is one post made into a document, or why it could not be.
type rendered struct {
	post *post.Post
	doc  *document
	bd   *bdoc.Document // doc mapped and analysed
	err  error
}

// renderQueue is how many rendered posts a sync lets wait for its writer.
const renderQueue = 64

// renderAll turns posts into documents on every core, for full builds and
// syncs alike; queue is how many finished ones may wait for the writer.
// The channel closes when all are done or ctx ends.
func renderAll(ctx context.Context, opts BuildOptions, m mapping.IndexMapping, posts []*post.Post, queue int) <-chan rendered {
	out := make(chan rendered, queue)
	jobs := make(chan *post.Post)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(posts), 1)) {
		wg.Go(func() {
			for p := range jobs {
				d, err := newDocument(ctx, opts, p)
				var bd *bdoc.Document
				if err == nil {
					bd, err = d.analyse(m, p.Slug)
				}
				select {
				case out <- rendered{p, d, bd, err}:
				case <-ctx.Done():
				}
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, p := range posts {
			select {
			case jobs <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(out) }()
	return out
}
