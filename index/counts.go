package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/facet"
	"github.com/blust/archive/index/internal/qplan"
	"github.com/blust/archive/index/internal/schema"
)

// Counts over the whole archive rather than a page of hits: Trends
// (matches per period), Values (every tag or author with its posts) and
// Stats (the serving build).

// MaxTrendQueries caps the series of one trends request.
const MaxTrendQueries = 10

// Interval is the length of a period in date facets and trends.
type Interval = facet.Interval

// The intervals dates can be grouped by.
const (
	IntervalYear  = facet.IntervalYear
	IntervalMonth = facet.IntervalMonth
)

// TrendRequest asks how often each query matches, period by period.
type TrendRequest struct {
	Queries  []string // one series each; "" counts every post
	Interval Interval
	From, To time.Time // inclusive days; zero means the archive's first or last post
}

// Trends is one series per query over the same periods.
type Trends struct {
	Interval Interval
	BuildID  string // the index state counted: Manifest.Label
	Series   []Series
}

// Series is one query's matches per period. Matches add up to Total, which
// is the total a search for the same query and dates reports.
type Series struct {
	Query  string
	Total  uint64
	Points []TrendPoint
}

// TrendPoint is one period: the posts matching the query and all posts.
type TrendPoint struct {
	Period     string // "2019" or "2019-03"
	Start, End time.Time
	Matches    int
	Total      int
}

func (tr *TrendRequest) validate() error {
	if !tr.Interval.Valid() {
		return &RequestError{"interval", fmt.Sprintf("unknown interval %q; use year or month", tr.Interval)}
	}
	if len(tr.Queries) == 0 || len(tr.Queries) > MaxTrendQueries {
		return &RequestError{"q", fmt.Sprintf("give between 1 and %d queries", MaxTrendQueries)}
	}
	for _, q := range tr.Queries {
		if err := checkTerms(q); err != nil { // as a search would: a fast 400, not seconds of work
			return err
		}
	}
	if !tr.From.IsZero() && !tr.To.IsZero() && tr.To.Before(tr.From) {
		return &RequestError{"to", "is before from"}
	}
	return nil
}

// Trends counts, for every period between the first and the last post
// (narrowed by From and To), the posts matching each query and all posts.
// Periods without posts are included with zero counts, so a series can be
// plotted as it is. Bad requests fail with a *RequestError.
func (ix *Index) Trends(ctx context.Context, tr TrendRequest) (*Trends, error) {
	if err := tr.validate(); err != nil {
		return nil, err
	}
	build := ix.buildID()
	out := &Trends{Interval: tr.Interval, BuildID: ix.Manifest().Label(), Series: []Series{}}
	ps, err := ix.trendPeriods(ctx, tr)
	if err != nil || len(ps) == 0 {
		return out, err
	}
	all, err := ix.buildQuery(ctx, Request{From: tr.From, To: tr.To})
	if err != nil {
		return nil, err
	}
	totals, _, err := ix.countPeriodsOnePass(ctx, all, ps)
	if err != nil {
		return nil, err
	}
	for _, q := range tr.Queries {
		bq, err := ix.buildQuery(ctx, Request{Query: q, From: tr.From, To: tr.To, Literal: true})
		if err != nil {
			return nil, err
		}
		counts, total, err := ix.countPeriodsOnePass(ctx, bq, ps)
		if err != nil {
			return nil, err
		}
		s := Series{Query: q, Total: total, Points: make([]TrendPoint, len(ps))}
		for i, p := range ps {
			s.Points[i] = TrendPoint{Period: p.Name, Start: p.Start, End: p.End, Matches: counts[p.Name], Total: totals[p.Name]}
		}
		out.Series = append(out.Series, s)
	}
	if ix.buildID() != build {
		return nil, fmt.Errorf("trends: %w", ErrBusy)
	}
	return out, nil
}

// trendPeriods spans the archive's posts, cut to the request's dates.
func (ix *Index) trendPeriods(ctx context.Context, tr TrendRequest) ([]facet.Period, error) {
	first, last, ok, err := ix.span(ctx)
	if err != nil || !ok {
		return nil, err
	}
	if !tr.From.IsZero() && tr.From.After(first) {
		first = tr.From
	}
	if !tr.To.IsZero() && tr.To.Before(last) {
		last = tr.To
	}
	if last.Before(first) {
		return nil, nil
	}
	return facet.Periods(tr.Interval, first, last), nil
}

// Trends in one pass (facet.PeriodCount): each query runs once without
// scores and its matches are counted into periods from the facet table.

// countPeriodsOnePass counts the posts matching q in each period, as
// countPeriods does: a post counts in the period whose [Start, End) holds
// its date; the total is every match, dated in a period or not.
func (ix *Index) countPeriodsOnePass(ctx context.Context, q bq.Query, ps []facet.Period) (map[string]int, uint64, error) {
	bounds := make([]int64, 0, len(ps)+1)
	for _, p := range ps {
		bounds = append(bounds, qplan.ClampDate(p.Start).UnixNano())
	}
	if len(ps) > 0 {
		bounds = append(bounds, qplan.ClampDate(ps[len(ps)-1].End).UnixNano())
	}
	pc := facet.NewPeriodCount(&ix.caches.facets, bounds)
	req := bleve.NewSearchRequestOptions(pc.Wrap(q), 0, 0, false)
	req.Score = bleve.ScoreNone // only membership counts
	res, err := ix.alias.SearchInContext(ctx, req)
	if err == nil && res.Status != nil && res.Status.Failed > 0 {
		err = statusError(res.Status.Errors)
	}
	var perPeriod []int
	if err == nil {
		perPeriod, err = pc.Counts()
	}
	if err != nil {
		return nil, 0, fmt.Errorf("trends: %w", err)
	}
	counts := make(map[string]int, len(ps))
	for i, n := range perPeriod {
		if n > 0 {
			counts[ps[i].Name] = n
		}
	}
	return counts, res.Total, nil
}

// countPeriods counts the posts matching q in each period with bleve's
// date-range facet; Trends counts with countPeriodsOnePass, and the
// tests hold the two to the same answers.
func (ix *Index) countPeriods(ctx context.Context, q bq.Query, ps []facet.Period) (map[string]int, uint64, error) {
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.AddFacet("period", facet.PeriodFacet(ps))
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("trends: %w", err)
	}
	counts := map[string]int{}
	if f := res.Facets["period"]; f != nil {
		for _, d := range f.DateRanges {
			counts[d.Name] = d.Count
		}
	}
	return counts, res.Total, nil
}

// span returns the dates of the oldest and the newest post, ok=false for
// an empty index.
func (ix *Index) scanSpan(ctx context.Context) (first, last time.Time, ok bool, err error) {
	for i, s := range []Sort{SortOldest, SortNewest} {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1, 0, false)
		req.SortByCustom(sortOrder(s))
		req.Fields = []string{schema.FieldDate}
		res, err := ix.alias.SearchInContext(ctx, req)
		if err != nil {
			return first, last, false, fmt.Errorf("date span: %w", err)
		}
		if len(res.Hits) == 0 {
			return first, last, false, nil
		}
		t, err := time.Parse(time.RFC3339, str(res.Hits[0].Fields[schema.FieldDate]))
		if err != nil {
			return first, last, false, fmt.Errorf("date span: stored date of %s: %w", res.Hits[0].ID, err)
		}
		if i == 0 {
			first = t
		} else {
			last = t
		}
	}
	return first, last, true, nil
}

// Values lists every value of a value facet (FacetTags or FacetAuthors)
// with the number of posts that have it, most used first. It fails with a
// *RequestError for any other facet.
func (ix *Index) Values(ctx context.Context, name string) ([]FacetCount, error) {
	field := map[string]string{FacetTags: schema.FieldTags, FacetAuthors: schema.FieldAuthors}[name]
	if field == "" {
		return nil, &RequestError{"facet", fmt.Sprintf("%q has no listable values; use tags or authors", name)}
	}
	n, err := ix.distinctTerms(field)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet(name, bleve.NewFacetRequest(field, max(n, 1)))
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", name, err)
	}
	return facet.FromBleve([]string{name}, res.Facets)[name], nil
}

// distinctTerms counts the terms in a field's dictionary: an upper bound on
// its values, which sizes the facet so that none is cut off.
func (ix *Index) distinctTerms(field string) (int, error) {
	d, err := ix.alias.FieldDict(field)
	if err != nil {
		return 0, fmt.Errorf("dictionary of %s: %w", field, err)
	}
	defer d.Close()
	n := 0
	for {
		e, err := d.Next()
		if err != nil {
			return 0, fmt.Errorf("dictionary of %s: %w", field, err)
		}
		if e == nil {
			return n, nil
		}
		n++
	}
}

// Stats describes the serving build for people who cite or compare it.
type Stats struct {
	Manifest
	DocCount    uint64
	SizeBytes   int64     // the build's files on disk
	First, Last time.Time // dates of the oldest and newest post; zero when empty
}

// Stats reads the serving build's manifest, post count, size on disk and
// date span. It fails only on I/O errors.
func (ix *Index) Stats(ctx context.Context) (*Stats, error) {
	ix.mu.RLock()
	man := ix.cur.manifest
	ix.mu.RUnlock()
	n, err := ix.alias.DocCount()
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	size, err := dirSize(ix.store.s.BuildPath(man.ID))
	if err != nil {
		return nil, fmt.Errorf("stats: size of build %s: %w", man.ID, err)
	}
	st := &Stats{Manifest: man, DocCount: n, SizeBytes: size}
	first, last, ok, err := ix.span(ctx)
	if err != nil {
		return nil, err
	}
	if ok {
		st.First, st.Last = first, last
	}
	return st, nil
}

// dirSize adds up the sizes of the regular files under dir. Files that
// vanish while it walks (scorch merges segments) are skipped.
func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}
