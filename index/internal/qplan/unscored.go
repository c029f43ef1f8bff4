package qplan

import (
	"context"
	"encoding/json"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bleveidx "github.com/blevesearch/bleve_index_api"
)

// unscored is a query without text: its matches all score 1, as
// MatchAll's alone do, so that filters narrow a browse without reordering
// it. bleve's scoring of a tag filter put posts with fewer tags first.
// Nothing in it is scored or located, which also lets bleve intersect
// the filters' postings without reading frequencies.
type unscored struct {
	inner bq.Query
}

// unscoredScore is what every match of an unscored query scores.
const unscoredScore = 1.0

func (q *unscored) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s, err := q.inner.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	return &unscoredSearcher{s}, nil
}

// MarshalJSON names the query in cursors' signatures.
func (q *unscored) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]bq.Query{"unscored": q.inner})
}

type unscoredSearcher struct {
	search.Searcher
}

func (s *unscoredSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return scoreOne(s.Searcher.Next(ctx))
}

func (s *unscoredSearcher) Advance(ctx *search.SearchContext, id bleveidx.IndexInternalID) (*search.DocumentMatch, error) {
	return scoreOne(s.Searcher.Advance(ctx, id))
}

func scoreOne(d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if d != nil {
		d.Score = unscoredScore
	}
	return d, err
}
