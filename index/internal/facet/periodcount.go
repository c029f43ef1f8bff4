package facet

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/snapshot"
)

// Trends in one pass. A series was one search with a date-range facet of
// every period, and bleve's facet builder decodes each match's date doc
// value and tries it against every range: with 8 common queries by month
// at 100,000 posts that ran past the 2 s budget. Now each query runs
// once without scores, keeps the numbers of the posts it matches, and
// the periods are counted from the facet table's dates (table.go),
// which later searches on the same snapshot find already read.

// PeriodCount is one query's matches and, once its searcher closes,
// their counts per period.
type PeriodCount struct {
	tables *Tables
	bounds []int64 // the periods' starts, then the last one's end (Unix ns)
	docs   []uint64
	counts []int
	err    error
}

// NewPeriodCount counts matches into the periods that bounds delimit:
// the periods' starts, then the last one's end (Unix nanoseconds). The
// dates are read into tables.
func NewPeriodCount(tables *Tables, bounds []int64) *PeriodCount {
	return &PeriodCount{tables: tables, bounds: bounds}
}

// Wrap returns q counting its matches into pc.
func (pc *PeriodCount) Wrap(q bq.Query) bq.Query { return &periodQuery{Query: q, c: pc} }

// Counts are the matches per period, by the periods' order, once the
// search has ended.
func (pc *PeriodCount) Counts() ([]int, error) { return pc.counts, pc.err }

// count puts each matched post in its period, reading missing dates into
// r's facet table first.
func (pc *PeriodCount) count(ctx context.Context, r bleveidx.IndexReader) error {
	pc.counts = make([]int, max(len(pc.bounds)-1, 0))
	if len(pc.docs) == 0 || len(pc.counts) == 0 {
		return nil
	}
	t := pc.tables.get(r)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.fill(ctx, r, pc.docs); err != nil {
		return err
	}
	first, end := pc.bounds[0], pc.bounds[len(pc.bounds)-1]
	for _, d := range pc.docs {
		if !t.hasDate[d] {
			continue
		}
		v := t.dates[d]
		if v < first || v >= end {
			continue
		}
		i, found := slices.BinarySearch(pc.bounds, v)
		if !found {
			i-- // v lies after the start of period i-1
		}
		pc.counts[i]++
	}
	return nil
}

// periodQuery is a query whose matches are counted into c.
type periodQuery struct {
	bq.Query
	c *PeriodCount
}

// Searcher implements bleve's query.Query.
func (q *periodQuery) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := q.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	q.c.docs, q.c.counts = q.c.docs[:0], nil
	return &periodSearcher{Searcher: s, c: q.c, r: r, ctx: ctx}, nil
}

// periodSearcher keeps its searcher's matches and counts them when
// closed: bleve closes a searcher before the snapshot.
type periodSearcher struct {
	search.Searcher
	c   *PeriodCount
	r   bleveidx.IndexReader
	ctx context.Context // the search's, which bounds the counting at Close
}

func (s *periodSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if dm != nil {
		s.c.docs = append(s.c.docs, snapshot.Number(dm.IndexInternalID))
	}
	return dm, err
}

func (s *periodSearcher) Advance(ctx *search.SearchContext, id bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if dm != nil {
		s.c.docs = append(s.c.docs, snapshot.Number(dm.IndexInternalID))
	}
	return dm, err
}

func (s *periodSearcher) Close() error {
	s.c.err = s.c.count(s.ctx, s.r)
	return s.Searcher.Close()
}
