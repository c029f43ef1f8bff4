package index

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/schema"
)

// Neighbours returns the posts published just before (older) and just
// after (newer) the post with slug, ordered by date and then slug so that
// posts of the same day still form one chain. Either is nil at the ends of
// the archive. It fails with ErrNotFound for an unknown slug.
func (ix *Index) Neighbours(ctx context.Context, slug string) (older, newer *Hit, err error) {
	e, err := ix.Lookup(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	if older, err = ix.adjacent(ctx, e, false); err != nil {
		return nil, nil, err
	}
	if newer, err = ix.adjacent(ctx, e, true); err != nil {
		return nil, nil, err
	}
	return older, newer, nil
}

// neighbourWindow is how many posts of the same date adjacent looks past;
// beyond that a day's chain is cut, which no real blog reaches.
const neighbourWindow = 50

func (ix *Index) adjacent(ctx context.Context, e *Entry, newer bool) (*Hit, error) {
	yes := true
	var q *bq.DateRangeQuery
	order := []string{schema.FieldDate, schema.FieldSlug} // the slug as sortOrder reads it
	if newer {
		q = bleve.NewDateRangeInclusiveQuery(e.Date, time.Time{}, &yes, &yes)
	} else {
		q = bleve.NewDateRangeInclusiveQuery(time.Time{}, e.Date, &yes, &yes)
		order = []string{"-" + schema.FieldDate, "-" + schema.FieldSlug}
	}
	q.SetField(schema.FieldDate)
	req := bleve.NewSearchRequestOptions(q, neighbourWindow, 0, false)
	req.SortBy(order)
	req.Fields = []string{schema.FieldTitle, schema.FieldDate, schema.FieldTags, schema.FieldAuthors, schema.FieldSummary, schema.FieldWords}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("neighbours of %q: %w", e.Slug, err)
	}
	for _, dm := range res.Hits {
		h := newHit(dm)
		if h.Slug == e.Slug {
			continue
		}
		if after(h, e) == newer {
			return &h, nil
		}
	}
	return nil, nil
}

// after reports whether h comes after e in (date, slug) order.
func after(h Hit, e *Entry) bool {
	if !h.Date.Equal(e.Date) {
		return h.Date.After(e.Date)
	}
	return h.Slug > e.Slug
}
