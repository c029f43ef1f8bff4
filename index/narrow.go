package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/qplan"
)

// A search that ranks nothing (filters alone: a tag page, or tag:p2p
// typed in the box) scores every match the same, so its page is the
// newest matches. bleve finds them by reading the date and slug doc
// values of every match to sort it, which for a common tag was most of
// the search. The facet table already holds the matches' dates, so the
// page's oldest date is known before the search, and the search runs on
// the matches from that date on, which hold the whole page in the same
// order; the total is counted beforehand.

// narrowMaxPage bounds the pages narrowed: deeper ones would hold most
// of the matches anyway.
const narrowMaxPage = 1000

// narrowed is an unranked search restricted to the matches that can
// reach its page.
type narrowed struct {
	query bq.Query
	total uint64 // all the matches, not only the narrowed ones
	need  uint64 // posts the page takes: offset + size
}

// errNarrowShort says the narrowed search found fewer posts than its page
// needs: the index changed between counting and searching.
var errNarrowShort = errors.New("narrowed search came up short")

// narrowUnranked returns the narrowed form of pl's search, or nil when
// pl ranks words, the request needs every match (facets), resumes a
// cursor or walks oldest first, or the matches' dates do not fill the
// page.
func (ix *Index) narrowUnranked(ctx context.Context, r Request, pl *qplan.Plan) (*narrowed, error) {
	need := r.Offset + r.Size
	if !pl.Unranked || len(r.Facets) > 0 || r.Cursor != "" || need <= 0 || need > narrowMaxPage ||
		(r.Sort != "" && r.Sort != SortRelevance && r.Sort != SortNewest) {
		return nil, nil
	}
	match := pl.Query
	if rq, ok := match.(*bm25f.Query); ok {
		match = rq.Match
	}
	ix.mu.RLock()
	b := ix.cur
	rd, err := build.SnapshotReader(b.idx)
	ix.mu.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	defer rd.Close()
	s, err := match.Searcher(ctx, rd, b.idx.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var docs []uint64
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", r.Query, err)
		}
		if dm == nil {
			break
		}
		if len(dm.IndexInternalID) != 8 {
			return nil, nil // not scorch's numbering, which the facet table uses
		}
		docs = append(docs, binary.BigEndian.Uint64(dm.IndexInternalID))
		sctx.DocumentMatchPool.Put(dm)
	}
	dates := make([]int64, 0, len(docs))
	if err := ix.caches.facets.EachDate(ctx, rd, docs, func(_ int, date int64, ok bool) {
		if ok {
			dates = append(dates, date)
		}
	}); err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	if len(dates) < need || len(dates) < 2*need {
		return nil, nil // undated posts reach the page, or narrowing would save little
	}
	slices.Sort(dates)
	// A second early: bleve carries the bound as a float64, which rounds
	// nanoseconds; posts the margin lets in only make the set larger.
	oldest := time.Unix(0, dates[len(dates)-need]).Add(-time.Second).UTC()
	q := pl.Narrowed(oldest, rd)
	if q == nil {
		return nil, nil
	}
	return &narrowed{query: q, total: uint64(len(docs)), need: uint64(need)}, nil
}
