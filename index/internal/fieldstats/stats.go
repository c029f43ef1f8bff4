package fieldstats

import (
	"context"
	"fmt"
	"sync"

	bleveidx "github.com/blevesearch/bleve_index_api"
)

// Stats holds what BM25 needs to know about a whole build: the number
// of documents and the mean number of tokens in each scored field. bleve's
// own BM25 takes the mean length to be the number of distinct terms per
// document (3 where the truth is 550 on long posts), which makes length
// normalisation far too strong, so the ranking computes its own.
type Stats struct {
	Docs   uint64
	AvgLen map[string]float64
}

// Cache holds a build's statistics, recorded by the build or, for a
// build without them, computed once on first use. An
// incremental update changes them little, and BM25 barely notices a mean
// length that is off by a few percent, so they are not recomputed.
type Cache struct {
	once sync.Once
	st   *Stats
	err  error
}

func (c *Cache) Get(r bleveidx.IndexReader) (*Stats, error) {
	c.once.Do(func() {
		if c.st == nil {
			c.st, c.err = Compute(r, Fields[:])
		}
	})
	return c.st, c.err
}

// NewCache seeds the cache with the mean lengths a build recorded,
// so no search pays for counting them.
func NewCache(means map[string]float64) *Cache {
	for _, f := range Fields[:] {
		if _, ok := means[f]; !ok {
			return &Cache{}
		}
	}
	return &Cache{st: &Stats{AvgLen: means}}
}

// Compute adds up the term frequencies of every posting of each
// field: the total number of tokens, which bleve does not keep.
func Compute(r bleveidx.IndexReader, fields []string) (*Stats, error) {
	docs, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("field statistics: %w", err)
	}
	st := &Stats{Docs: docs, AvgLen: map[string]float64{}}
	for _, f := range fields {
		tokens, err := fieldTokens(r, f)
		if err != nil {
			return nil, fmt.Errorf("field statistics for %s: %w", f, err)
		}
		st.AvgLen[f] = float64(tokens) / float64(max(docs, 1))
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
