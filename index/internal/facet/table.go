package facet

import (
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snapshot"
)

// Facets are counted over a table of the posts' tags, authors and dates,
// kept per index snapshot, instead of by bleve's facet builders, which
// decode each matching post's doc values on every search: for a common
// word at 10,000 posts that was half of a faceted search's time. A search
// records the numbers of the posts it matches (facetQuery); as it ends,
// while it still holds the snapshot, the rows it lacks are read into the
// table and the facets are counted from it. So the first searches after a
// change read what bleve's builders read, and later ones read nothing
// (reading all 10,000 posts at once took 19 ms, too long to put in front
// of the first search after an edit at 100,000). The counts are bleve's:
// each value a post has counts once per post, value facets keep the most
// used (ties by value), period facets every period with a post.

// facetTable holds posts' facet values by bleve's document number in one
// snapshot. Numbers change whenever scorch introduces or merges a
// segment, so a table serves only the snapshot it was made for.
type facetTable struct {
	mu            sync.Mutex
	filled        []bool     // by document number: the row has been read
	tags, authors [][]uint32 // by document number: ids into the names
	tagNames      []string
	authorNames   []string
	tagIDs        map[string]uint32
	authorIDs     map[string]uint32
	dates         []int64 // by document number: Unix nanoseconds
	hasDate       []bool
}

func newFacetTable() *facetTable {
	return &facetTable{tagIDs: map[string]uint32{}, authorIDs: map[string]uint32{}}
}

// Tables keeps the table of the latest snapshot a faceted search ran on.
// The zero value is ready to use.
type Tables struct {
	mu   sync.Mutex
	snap bleveidx.IndexReader // compared by identity only
	t    *facetTable
}

// get returns the table of snapshot r, a new empty one if r is new.
func (c *Tables) get(r bleveidx.IndexReader) *facetTable {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t == nil || c.snap != r {
		c.snap, c.t = r, newFacetTable()
	}
	return c.t
}

// fill reads the rows of docs (ascending) that the table lacks; t.mu is
// held. It stops when ctx ends: at 100,000 posts a fill of every row
// takes about 0.2 s, and more posts take longer than a request may. The
// rows read by then stay read.
func (t *facetTable) fill(ctx context.Context, r bleveidx.IndexReader, docs []uint64) error {
	var dv bleveidx.DocValueReader
	id := make(bleveidx.IndexInternalID, 8)
	read := 0
	for _, d := range docs {
		n := int(d)
		if n < len(t.filled) && t.filled[n] {
			continue
		}
		if read++; read%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("facets: %w", err)
			}
		}
		if dv == nil {
			var err error
			if dv, err = r.DocValueReader([]string{schema.FieldTags, schema.FieldAuthors, schema.FieldDate}); err != nil {
				return fmt.Errorf("facets: %w", err)
			}
		}
		if n >= len(t.filled) {
			grow := max(n+1, 2*len(t.filled)) - len(t.filled)
			t.filled = append(t.filled, make([]bool, grow)...)
			t.tags = append(t.tags, make([][]uint32, grow)...)
			t.authors = append(t.authors, make([][]uint32, grow)...)
			t.dates = append(t.dates, make([]int64, grow)...)
			t.hasDate = append(t.hasDate, make([]bool, grow)...)
		}
		binary.BigEndian.PutUint64(id, d)
		err := dv.VisitDocValues(id, func(field string, term []byte) {
			switch field {
			case schema.FieldTags:
				t.tags[n] = append(t.tags[n], intern(t.tagIDs, &t.tagNames, term))
			case schema.FieldAuthors:
				t.authors[n] = append(t.authors[n], intern(t.authorIDs, &t.authorNames, term))
			case schema.FieldDate:
				pc := numeric.PrefixCoded(term)
				if shift, err := pc.Shift(); err == nil && shift == 0 {
					if v, err := pc.Int64(); err == nil {
						t.dates[n], t.hasDate[n] = v, true
					}
				}
			}
		})
		if err != nil {
			return fmt.Errorf("facets: %w", err)
		}
		t.filled[n] = true
	}
	return nil
}

// EachDate reads, into the table of snapshot r, the rows of docs
// (ascending) it lacks, and calls fn with each doc's index in docs and
// its date (Unix nanoseconds), ok false for a post without one.
func (c *Tables) EachDate(ctx context.Context, r bleveidx.IndexReader, docs []uint64, fn func(i int, date int64, ok bool)) error {
	t := c.get(r)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.fill(ctx, r, docs); err != nil {
		return err
	}
	for i, d := range docs {
		fn(i, t.dates[d], t.hasDate[d])
	}
	return nil
}

func intern(ids map[string]uint32, names *[]string, v []byte) uint32 {
	if id, ok := ids[string(v)]; ok {
		return id
	}
	id := uint32(len(*names))
	*names = append(*names, string(v))
	ids[string(v)] = id
	return id
}

// Sink is one search's facets: what was asked, the document numbers
// matched, and the counts made from them as the search ended.
type Sink struct {
	tables *Tables
	names  []string
	size   int
	docs   []uint64
	counts map[string][]Count
	// listed, when set, may list every match itself (a pruned ranking).
	listed Lister
}

// Lister lists every match of a search whose searcher passes on only
// some of them (a pruned ranking); ok is false when it passed on all.
type Lister interface {
	Listed() (docs []uint64, ok bool)
}

// NewSink prepares the named facets of one search, counted over tables;
// size caps the value facets (0: DefaultSize).
func NewSink(tables *Tables, names []string, size int) *Sink {
	return &Sink{tables: tables, names: names, size: size}
}

// ListedBy makes the sink take the search's matches from l when l lists
// them: a pruned ranking passes on only the page's contenders.
func (s *Sink) ListedBy(l Lister) { s.listed = l }

// Wrap returns q counting its matches into s.
func (s *Sink) Wrap(q bq.Query) bq.Query { return &facetQuery{Query: q, sink: s} }

// Counts are the facets counted as the search ended.
func (s *Sink) Counts() map[string][]Count {
	if s.counts == nil { // bleve never asked for a searcher: nothing matched
		return newFacetTable().counts(s.names, nil, s.size)
	}
	return s.counts
}

// facetQuery is a query whose matches are counted into sink.
type facetQuery struct {
	bq.Query
	sink *Sink
}

// Searcher implements bleve's query.Query.
func (q *facetQuery) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := q.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	q.sink.docs, q.sink.counts = q.sink.docs[:0], nil
	if l := q.sink.listed; l != nil {
		if _, ok := l.Listed(); ok { // pruned: the searcher passes on only the page's contenders
			return &facetSearcher{Searcher: s, sink: q.sink, r: r, ctx: ctx, listed: l}, nil
		}
	}
	return &facetSearcher{Searcher: s, sink: q.sink, r: r, ctx: ctx}, nil
}

// facetSearcher passes on its searcher's matches, recording each, and
// counts them when closed: bleve closes a searcher before the snapshot.
type facetSearcher struct {
	search.Searcher
	sink   *Sink
	r      bleveidx.IndexReader
	ctx    context.Context // the search's, which bounds the counting at Close
	listed Lister          // when pruned: lists every match, by the end of the search
}

func (s *facetSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if dm != nil && s.listed == nil {
		s.sink.docs = append(s.sink.docs, snapshot.Number(dm.IndexInternalID))
	}
	return dm, err
}

func (s *facetSearcher) Advance(ctx *search.SearchContext, id bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if dm != nil && s.listed == nil {
		s.sink.docs = append(s.sink.docs, snapshot.Number(dm.IndexInternalID))
	}
	return dm, err
}

func (s *facetSearcher) Close() error {
	if s.listed != nil {
		s.sink.docs, _ = s.listed.Listed()
	}
	t := s.sink.tables.get(s.r)
	t.mu.Lock()
	err := t.fill(s.ctx, s.r, s.sink.docs)
	if err == nil {
		s.sink.counts = t.counts(s.sink.names, s.sink.docs, s.sink.size)
	}
	t.mu.Unlock()
	if cerr := s.Searcher.Close(); err == nil {
		err = cerr
	}
	return err
}

// counts computes the named facets over the matched documents; size caps
// the value facets.
func (t *facetTable) counts(names []string, docs []uint64, size int) map[string][]Count {
	if size <= 0 {
		size = DefaultSize
	}
	out := make(map[string][]Count, len(names))
	for _, name := range names {
		switch name {
		case Tags:
			out[name] = valueCounts(t.tags, t.tagNames, docs, size)
		case Authors:
			out[name] = valueCounts(t.authors, t.authorNames, docs, size)
		case Year, Month:
			out[name] = t.periodCounts(Interval(name), docs)
		}
	}
	return out
}

func valueCounts(byDoc [][]uint32, names []string, docs []uint64, size int) []Count {
	n := make([]int, len(names))
	for _, d := range docs {
		if d < uint64(len(byDoc)) {
			for _, v := range byDoc[d] {
				n[v]++
			}
		}
	}
	counts := []Count{}
	for v, c := range n {
		if c > 0 {
			counts = append(counts, Count{Value: names[v], Count: c})
		}
	}
	sortCounts(counts)
	return counts[:min(size, len(counts))]
}

func (t *facetTable) periodCounts(iv Interval, docs []uint64) []Count {
	n := map[int]int{} // year*100 + month (0 for a year facet)
	for _, d := range docs {
		if d < uint64(len(t.dates)) && t.hasDate[d] {
			y, m, _ := time.Unix(0, t.dates[d]).UTC().Date()
			k := y * 100
			if iv == IntervalMonth {
				k += int(m)
			}
			n[k]++
		}
	}
	keys := slices.Sorted(maps.Keys(n))
	counts := make([]Count, 0, len(keys))
	for _, k := range keys {
		v := fmt.Sprintf("%04d", k/100)
		if iv == IntervalMonth {
			v = fmt.Sprintf("%04d-%02d", k/100, k%100)
		}
		counts = append(counts, Count{Value: v, Count: n[k]})
	}
	return counts
}
