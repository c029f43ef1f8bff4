package index

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
)

// Facets are counted over a table of every post's tags, authors and date,
// read once per index snapshot, instead of by bleve's facet builders. Those
// decode each matching post's doc values on every search: for a common
// word at 10,000 posts that was half of a faceted search's time. The
// search records the numbers of the posts it matches (facetQuery) and the
// counts come from the table. The counts are bleve's: each value a post
// has counts once per post, value facets keep the most used (ties by
// value), period facets every period with a post.

// facetTable holds each post's facet values by bleve's document number in
// one snapshot. Numbers change whenever scorch introduces or merges a
// segment, so a table serves only the snapshot it was read from.
type facetTable struct {
	tags, authors [][]uint32 // by document number: ids into the names
	tagNames      []string
	authorNames   []string
	dates         []int64 // by document number: Unix nanoseconds
	hasDate       []bool
}

// facetTables keeps the table of the latest snapshot a faceted search ran on.
type facetTables struct {
	mu   sync.Mutex
	snap bleveidx.IndexReader // compared by identity only
	t    *facetTable
}

// get returns the table of snapshot r, reading it if r is new.
func (c *facetTables) get(r bleveidx.IndexReader) (*facetTable, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t != nil && c.snap == r {
		return c.t, nil
	}
	t, err := readFacetTable(r)
	if err != nil {
		return nil, err
	}
	c.snap, c.t = r, t
	return t, nil
}

func readFacetTable(r bleveidx.IndexReader) (*facetTable, error) {
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	defer ids.Close()
	dv, err := r.DocValueReader([]string{fieldTags, fieldAuthors, fieldDate})
	if err != nil {
		return nil, fmt.Errorf("facet table: %w", err)
	}
	t := &facetTable{}
	tagIDs, authorIDs := map[string]uint32{}, map[string]uint32{}
	intern := func(m map[string]uint32, names *[]string, v []byte) uint32 {
		if id, ok := m[string(v)]; ok {
			return id
		}
		id := uint32(len(*names))
		*names = append(*names, string(v))
		m[string(v)] = id
		return id
	}
	for {
		id, err := ids.Next()
		if err != nil {
			return nil, fmt.Errorf("facet table: %w", err)
		}
		if id == nil {
			break
		}
		n := int(docNumber(id))
		if n >= len(t.dates) {
			grow := n + 1 - len(t.dates)
			t.tags = append(t.tags, make([][]uint32, grow)...)
			t.authors = append(t.authors, make([][]uint32, grow)...)
			t.dates = append(t.dates, make([]int64, grow)...)
			t.hasDate = append(t.hasDate, make([]bool, grow)...)
		}
		err = dv.VisitDocValues(id, func(field string, term []byte) {
			switch field {
			case fieldTags:
				t.tags[n] = append(t.tags[n], intern(tagIDs, &t.tagNames, term))
			case fieldAuthors:
				t.authors[n] = append(t.authors[n], intern(authorIDs, &t.authorNames, term))
			case fieldDate:
				pc := numeric.PrefixCoded(term)
				if shift, err := pc.Shift(); err == nil && shift == 0 {
					if v, err := pc.Int64(); err == nil {
						t.dates[n], t.hasDate[n] = v, true
					}
				}
			}
		})
		if err != nil {
			return nil, fmt.Errorf("facet table: %w", err)
		}
	}
	return t, nil
}

// docNumber is scorch's document number, which its internal ids encode.
func docNumber(id bleveidx.IndexInternalID) uint64 {
	if len(id) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(id)
}

// facetSink collects the document numbers a search matched, with the
// table of the snapshot they number.
type facetSink struct {
	tables *facetTables
	table  *facetTable
	docs   []uint64
}

// facetQuery is a query whose matches are recorded in sink.
type facetQuery struct {
	bq.Query
	sink *facetSink
}

// Searcher implements bleve's query.Query.
func (q *facetQuery) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	// The table is read here, while the search holds the snapshot open.
	t, err := q.sink.tables.get(r)
	if err != nil {
		return nil, err
	}
	s, err := q.Query.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	q.sink.table, q.sink.docs = t, q.sink.docs[:0]
	return &facetSearcher{Searcher: s, sink: q.sink}, nil
}

// facetSearcher passes on its searcher's matches, recording each.
type facetSearcher struct {
	search.Searcher
	sink *facetSink
}

func (s *facetSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if dm != nil {
		s.sink.docs = append(s.sink.docs, docNumber(dm.IndexInternalID))
	}
	return dm, err
}

func (s *facetSearcher) Advance(ctx *search.SearchContext, id bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if dm != nil {
		s.sink.docs = append(s.sink.docs, docNumber(dm.IndexInternalID))
	}
	return dm, err
}

// counts computes the named facets over the matched documents; size caps
// the value facets.
func (t *facetTable) counts(names []string, docs []uint64, size int) map[string][]FacetCount {
	if size <= 0 {
		size = DefaultFacetSize
	}
	out := make(map[string][]FacetCount, len(names))
	for _, name := range names {
		switch name {
		case FacetTags:
			out[name] = valueCounts(t.tags, t.tagNames, docs, size)
		case FacetAuthors:
			out[name] = valueCounts(t.authors, t.authorNames, docs, size)
		case FacetYear, FacetMonth:
			out[name] = t.periodCounts(Interval(name), docs)
		}
	}
	return out
}

func valueCounts(byDoc [][]uint32, names []string, docs []uint64, size int) []FacetCount {
	n := make([]int, len(names))
	for _, d := range docs {
		if d < uint64(len(byDoc)) {
			for _, v := range byDoc[d] {
				n[v]++
			}
		}
	}
	counts := []FacetCount{}
	for v, c := range n {
		if c > 0 {
			counts = append(counts, FacetCount{Value: names[v], Count: c})
		}
	}
	sortCounts(counts)
	return counts[:min(size, len(counts))]
}

func (t *facetTable) periodCounts(iv Interval, docs []uint64) []FacetCount {
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
	counts := make([]FacetCount, 0, len(keys))
	for _, k := range keys {
		v := fmt.Sprintf("%04d", k/100)
		if iv == IntervalMonth {
			v = fmt.Sprintf("%04d-%02d", k/100, k%100)
		}
		counts = append(counts, FacetCount{Value: v, Count: n[k]})
	}
	return counts
}
