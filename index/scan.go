package index

import (
	"context"
)

// ScanBatch is how many hits Scan fetches per round: large enough that a
// full export is a handful of searches, small enough that memory stays flat
// however many posts match.
const ScanBatch = 500

// Scan walks the whole result set of r in order, one batch at a time,
// paging with search_after so that neither memory nor the paging window
// grows with the result set. Offset and Size are ignored; a Cursor starts
// the walk after that position. The first batch is passed to fn even when
// it has no hits, so the caller learns the total and the build. Scan stops
// at fn's first error and returns it; a bad request fails before fn is
// called. If the serving build changes between batches, the walk fails
// with a *RequestError on "cursor" rather than mix two builds.
func (ix *Index) Scan(ctx context.Context, r Request, fn func(*Result) error) error {
	return ix.scan(ctx, r, ScanBatch, fn)
}

func (ix *Index) scan(ctx context.Context, r Request, batch int, fn func(*Result) error) error {
	r.Offset, r.Size = 0, batch
	if err := r.validateQuery(); err != nil {
		return err
	}
	for {
		res, err := ix.run(ctx, r)
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
		r.Facets = nil // counted once, with the first batch
	}
}
