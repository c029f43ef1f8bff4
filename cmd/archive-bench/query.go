package main

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blust/archive/cmd/archive-bench/internal/fts5"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/gen"
)

// MixResult is the query mix run one query at a time: all samples, and
// the median per kind of query.
type MixResult struct {
	Latency
	QPS         float64            `json:"qps_1thread"`
	ByKind      map[string]float64 `json:"by_kind_median_ms"`
	ZeroHits    int                `json:"zero_hit_queries"`
	MedianHits  int                `json:"median_hits"`
	Errors      int                `json:"errors"`
	FirstErrors []string           `json:"first_errors,omitempty"`
}

// runMix does one untimed warm-up pass (which also counts hits), then
// passes timed passes over every query.
func runMix(ctx context.Context, qs []gen.Query, passes int, do func(i int) (hits int, err error)) MixResult {
	var res MixResult
	failed := map[int]bool{}
	var hits []int
	for i := range qs {
		n, err := do(i)
		if err != nil {
			failed[i] = true
			res.Errors++
			if len(res.FirstErrors) < 3 {
				res.FirstErrors = append(res.FirstErrors, fmt.Sprintf("%s: %v", qs[i].Text, err))
			}
			continue
		}
		hits = append(hits, n)
		if n == 0 {
			res.ZeroHits++
		}
	}
	sort.Ints(hits)
	if len(hits) > 0 {
		res.MedianHits = hits[len(hits)/2]
	}
	var all []time.Duration
	byKind := map[string][]time.Duration{}
	start := time.Now()
	for range passes {
		for i, q := range qs {
			if failed[i] || ctx.Err() != nil {
				continue
			}
			t := time.Now()
			_, _ = do(i)
			d := time.Since(t)
			all = append(all, d)
			byKind[q.Kind] = append(byKind[q.Kind], d)
		}
	}
	res.Latency = summarize(all)
	res.QPS = float64(len(all)) / time.Since(start).Seconds()
	res.ByKind = map[string]float64{}
	for k, ds := range byKind {
		res.ByKind[k] = summarize(ds).Median
	}
	return res
}

// mixVariant is how the archive is asked: snippets and facets on or off.
type mixVariant struct {
	fragments int
	facets    []string
}

func blustRequests(qs []gen.Query, v mixVariant) []index.Request {
	reqs := make([]index.Request, len(qs))
	for i, q := range qs {
		text, tags := q.SearchBox()
		reqs[i] = index.Request{Query: text, Tags: tags, Size: 10, Fragments: v.fragments, Facets: v.facets}
	}
	return reqs
}

func blustMix(ctx context.Context, ix *index.Index, qs []gen.Query, passes int, v mixVariant) MixResult {
	reqs := blustRequests(qs, v)
	return runMix(ctx, qs, passes, func(i int) (int, error) {
		res, err := ix.Search(ctx, reqs[i])
		if err != nil {
			return 0, err
		}
		return int(res.Total), nil
	})
}

func fts5Mix(ctx context.Context, s *fts5.Searcher, qs []gen.Query, passes int, snippets bool) MixResult {
	match := make([]string, len(qs))
	for i, q := range qs {
		match[i] = fts5.Match(q)
	}
	warm := map[int]bool{}
	return runMix(ctx, qs, passes, func(i int) (int, error) {
		if _, err := s.Top10(ctx, match[i], snippets); err != nil {
			return 0, err
		}
		if warm[i] {
			return 0, nil
		}
		warm[i] = true
		return s.Count(ctx, match[i]) // untimed: the warm-up pass only
	})
}

// Throughput is requests completed per second by n concurrent callers.
type Throughput struct {
	Conns       int      `json:"conns"`
	RPS         float64  `json:"rps"`
	Errors      int64    `json:"errors"`
	FirstErrors []string `json:"first_errors,omitempty"`
	Latency     Latency  `json:"latency"`
}

// hammer runs do from n goroutines until d has passed, each walking the
// query mix from its own starting point.
func hammer(ctx context.Context, n int, d time.Duration, nq int, do func(i int) error) Throughput {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var done, errs atomic.Int64
	var mu sync.Mutex
	var first []string
	lats := make([][]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			i := w * nq / n
			for ctx.Err() == nil {
				t := time.Now()
				err := do(i % nq)
				if ctx.Err() != nil && err != nil {
					return // cut off by the deadline: neither done nor failed
				}
				lats[w] = append(lats[w], time.Since(t))
				if err != nil {
					errs.Add(1)
					mu.Lock()
					if len(first) < 3 {
						first = append(first, err.Error())
					}
					mu.Unlock()
				}
				done.Add(1)
				i++
			}
		})
	}
	wg.Wait()
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	return Throughput{Conns: n, RPS: float64(done.Load()) / time.Since(start).Seconds(), Errors: errs.Load(), FirstErrors: first, Latency: summarize(all)}
}
