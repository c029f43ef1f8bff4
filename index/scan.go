package index

import (
	"context"
)

// ScanBatch is how many hits one batch of a walk holds: large enough that
// a full export is a handful of searches, small enough that memory stays
// flat however many posts match.
const ScanBatch = 500

// ScanStep is one step of a walk (Scan) through a whole result set: like Search,
// but with ScanBatch hits whatever r.Size says, no page window and no
// Offset; the next step passes the result's NextCursor as r.Cursor.
// Paging with search_after keeps each step as cheap as the first, however
// deep the walk, but every step visits the whole result set, so the
// batch must be large: a walk in pages of 10 took 25 times as long.
// Bad requests fail with a *RequestError.
func (ix *Index) ScanStep(ctx context.Context, r Request) (*Result, error) {
	r.Size = ScanBatch
	return ix.scanStep(ctx, r)
}

// scanStep is ScanStep with r.Size hits, for tests that walk in small steps.
func (ix *Index) scanStep(ctx context.Context, r Request) (*Result, error) {
	r.Offset = 0
	if err := r.validateQuery(); err != nil {
		return nil, err
	}
	return ix.run(ctx, r)
}

// Scan walks the whole result set of r in order with ScanStep, passing each
// batch to fn; a Cursor in r starts the walk after that position. The
// first batch is passed even when it has no hits, so the caller learns
// the total and the build. Facets are counted with the first batch only.
// Scan stops at fn's first error and returns it. If the serving build
// changes between batches, the walk fails with a *RequestError on
// "cursor" rather than mix two builds.
func (ix *Index) Scan(ctx context.Context, r Request, fn func(*Result) error) error {
	r.Size = ScanBatch
	return ix.scan(ctx, r, fn)
}

func (ix *Index) scan(ctx context.Context, r Request, fn func(*Result) error) error {
	for {
		res, err := ix.scanStep(ctx, r)
		if err != nil {
			return err
		}
		if err := fn(res); err != nil {
			return err
		}
		if res.NextCursor == "" {
			return nil
		}
		r.Cursor = res.NextCursor
		r.Facets = nil
	}
}
