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
	ByKindP99   map[string]float64 `json:"by_kind_p99_ms,omitempty"`
	ZeroHits    int                `json:"zero_hit_queries"`
	MedianHits  int                `json:"median_hits"`
	Errors      int                `json:"errors"`
	FirstErrors []string           `json:"first_errors,omitempty"`
}

// runMix does one untimed warm-up pass (which also counts hits), then
// passes timed passes over every query.
func runMix(ctx context.Context, qs []gen.Query, passes int, do func(i int) (hits int, err error)) MixResult {
	return runMixes(ctx, qs, passes, do)[0]
}

// runMixes runs several engines' mixes side by side (runEngines), each
// engine a function that answers query i of the mix.
func runMixes(ctx context.Context, qs []gen.Query, passes int, dos ...func(i int) (hits int, err error)) []MixResult {
	engines := make([]mixEngine, len(dos))
	for i, do := range dos {
		engines[i] = &funcEngine{qs: qs, do: do}
	}
	res, _ := runEngines(ctx, passes, engines...) // a function engine fails query by query, never as a whole
	return res
}

// sample is one query's time in a timed pass.
type sample struct {
	kind string
	d    time.Duration
}

// mixEngine is one engine of runEngines: an untimed warm-up pass that
// counts hits and failures, then timed passes over the whole mix.
type mixEngine interface {
	warmUp(res *MixResult) error
	pass(ctx context.Context) ([]sample, error)
}

// runEngines gives each engine its untimed warm-up pass, then the engines
// take turns, one timed pass each, the engine going first changing from
// round to round. On a shared machine whose speed drifts, the engines then
// see the same drift, and their ratios hold better than when one engine's
// whole mix runs after the other's. Turns are whole passes rather than
// single queries, so that neither engine runs with the other's data in the
// CPU's caches (query by query, both engines' medians rose by a third).
func runEngines(ctx context.Context, passes int, engines ...mixEngine) ([]MixResult, error) {
	res := make([]MixResult, len(engines))
	for e, en := range engines {
		if err := en.warmUp(&res[e]); err != nil {
			return nil, err
		}
	}
	all := make([][]time.Duration, len(engines))
	byKind := make([]map[string][]time.Duration, len(engines))
	busy := make([]time.Duration, len(engines))
	for e := range engines {
		byKind[e] = map[string][]time.Duration{}
	}
	for pass := range passes {
		for k := range engines {
			e := (k + pass) % len(engines)
			samples, err := engines[e].pass(ctx)
			if err != nil {
				return nil, err
			}
			for _, s := range samples {
				busy[e] += s.d
				all[e] = append(all[e], s.d)
				byKind[e][s.kind] = append(byKind[e][s.kind], s.d)
			}
		}
	}
	for e := range engines {
		res[e].Latency = summarize(all[e])
		if busy[e] > 0 {
			res[e].QPS = float64(len(all[e])) / busy[e].Seconds()
		}
		res[e].ByKind = map[string]float64{}
		res[e].ByKindP99 = map[string]float64{}
		for k, ds := range byKind[e] {
			l := summarize(ds)
			res[e].ByKind[k] = l.Median
			res[e].ByKindP99[k] = l.P99
		}
	}
	return res, nil
}

// funcEngine is an engine in this process, asked one query at a time.
type funcEngine struct {
	qs     []gen.Query
	do     func(i int) (hits int, err error)
	failed map[int]bool
}

func (f *funcEngine) warmUp(res *MixResult) error {
	f.failed = warmUp(f.qs, f.do, res)
	return nil
}

func (f *funcEngine) pass(ctx context.Context) ([]sample, error) {
	out := make([]sample, 0, len(f.qs))
	for i, q := range f.qs {
		if f.failed[i] || ctx.Err() != nil {
			continue
		}
		t := time.Now()
		_, _ = f.do(i)
		out = append(out, sample{kind: q.Kind, d: time.Since(t)})
	}
	return out, nil
}

// warmUp asks every query once, untimed, counting hits and failures.
func warmUp(qs []gen.Query, do func(i int) (int, error), res *MixResult) map[int]bool {
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
	}
	res.countHits(hits)
	return failed
}

// countHits records the warm-up's hit counts: the queries with none, and
// the median.
func (res *MixResult) countHits(hits []int) {
	for _, n := range hits {
		if n == 0 {
			res.ZeroHits++
		}
	}
	sort.Ints(hits)
	if len(hits) > 0 {
		res.MedianHits = hits[len(hits)/2]
	}
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

// blustDo asks the archive query i of the mix, as v says.
func blustDo(ctx context.Context, ix *index.Index, qs []gen.Query, v mixVariant) func(i int) (int, error) {
	reqs := blustRequests(qs, v)
	return func(i int) (int, error) {
		res, err := ix.Search(ctx, reqs[i])
		if err != nil {
			return 0, err
		}
		return int(res.Total), nil
	}
}

// fts5Do asks SQLite query i of the mix; the first time, it also counts
// the hits, untimed (runMixes' warm-up pass).
func fts5Do(ctx context.Context, s *fts5.Searcher, qs []gen.Query, snippets bool) func(i int) (int, error) {
	match := make([]string, len(qs))
	for i, q := range qs {
		match[i] = fts5.Match(q)
	}
	warm := map[int]bool{}
	return func(i int) (int, error) {
		if _, err := s.Top10(ctx, match[i], snippets); err != nil {
			return 0, err
		}
		if warm[i] {
			return 0, nil
		}
		warm[i] = true
		return s.Count(ctx, match[i])
	}
}

// Throughput is requests completed per second by n concurrent callers.
type Throughput struct {
	Conns       int      `json:"conns"`
	RPS         float64  `json:"rps"`
	Errors      int64    `json:"errors"`
	FirstErrors []string `json:"first_errors,omitempty"`
	Latency     Latency  `json:"latency"`
}

// hammer runs do from n goroutines until d has passed. They take the
// mix's queries in turn from one counter: when each walked the mix from a
// starting point of its own, those that started among cheap queries
// finished more of them, and the rate leaned to the cheap part of the
// mix (at 100,000 posts, 32 in-process callers made 208 requests/s where
// one made 70).
func hammer(ctx context.Context, n int, d time.Duration, nq int, do func(i int) error) Throughput {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return hammerN(ctx, n, 0, nq, do)
}

// ended says ctx is done or past its deadline: a connection's deadline,
// checked against the clock, can fail a request a moment before ctx's
// timer marks it done, and thousands of quick failures fit in between.
func ended(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// hammerN is hammer asking exactly total queries (0: until ctx ends), so
// that two measurements of a few seconds each cover the same whole passes
// over the mix rather than the part of it each reached in its time.
func hammerN(ctx context.Context, n int, total int64, nq int, do func(i int) error) Throughput {
	var done, errs, next atomic.Int64
	var mu sync.Mutex
	var first []string
	lats := make([][]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if total > 0 && i >= total {
					return
				}
				t := time.Now()
				err := do(int(i % int64(nq)))
				if err != nil && ended(ctx) {
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
