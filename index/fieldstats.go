package index

import (
	"context"
	"fmt"
	"sync"

	bleveidx "github.com/blevesearch/bleve_index_api"
)

// fieldStats holds what BM25 needs to know about a whole build: the number
// of documents and the mean number of tokens in each scored field. bleve's
// own BM25 takes the mean length to be the number of distinct terms per
// document (3 where the truth is 550 on long posts), which makes length
// normalisation far too strong, so the ranking computes its own.
type fieldStats struct {
	docs   uint64
	avgLen map[string]float64
}

// statsCache holds a build's statistics, recorded by the build or, for a
// build without them, computed once on first use. An
// incremental update changes them little, and BM25 barely notices a mean
// length that is off by a few percent, so they are not recomputed.
type statsCache struct {
	once sync.Once
	st   *fieldStats
	err  error
}

func (c *statsCache) get(r bleveidx.IndexReader) (*fieldStats, error) {
	c.once.Do(func() {
		if c.st == nil {
			c.st, c.err = computeStats(r, defaultFields)
		}
	})
	return c.st, c.err
}

// newStatsCache seeds the cache with the mean lengths a build recorded,
// so no search pays for counting them.
func newStatsCache(means map[string]float64) *statsCache {
	for _, f := range defaultFields {
		if _, ok := means[f]; !ok {
			return &statsCache{}
		}
	}
	return &statsCache{st: &fieldStats{avgLen: means}}
}

// computeStats adds up the term frequencies of every posting of each
// field: the total number of tokens, which bleve does not keep.
func computeStats(r bleveidx.IndexReader, fields []string) (*fieldStats, error) {
	docs, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("field statistics: %w", err)
	}
	st := &fieldStats{docs: docs, avgLen: map[string]float64{}}
	for _, f := range fields {
		tokens, err := fieldTokens(r, f)
		if err != nil {
			return nil, fmt.Errorf("field statistics for %s: %w", f, err)
		}
		st.avgLen[f] = float64(tokens) / float64(max(docs, 1))
	}
	return st, nil
}

func fieldTokens(r bleveidx.IndexReader, field string) (uint64, error) {
	dict, err := r.FieldDict(field)
	if err != nil {
		return 0, err
	}
	defer dict.Close()
	var total uint64
	var tfd bleveidx.TermFieldDoc
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			return total, err
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, false, false)
		if err != nil {
			return 0, err
		}
		for {
			d, err := tfr.Next(tfd.Reset())
			if err != nil {
				tfr.Close()
				return 0, err
			}
			if d == nil {
				break
			}
			total += d.Freq
		}
		tfr.Close()
	}
}
