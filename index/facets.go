package index

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/schema"
)

// Facet names a request may ask for.
const (
	FacetTags    = "tags"
	FacetAuthors = "authors"
	FacetYear    = "year"
	FacetMonth   = "month"
)

// FacetNames lists every facet, in the order they are documented.
var FacetNames = []string{FacetTags, FacetAuthors, FacetYear, FacetMonth}

// Facet sizes for the value facets (tags, authors); period facets list
// every period that has a post.
const (
	DefaultFacetSize = 10
	MaxFacetSize     = 1000
)

// Interval is the length of a period in date facets and trends.
type Interval string

// The intervals dates can be grouped by.
const (
	IntervalYear  Interval = "year"
	IntervalMonth Interval = "month"
)

func (iv Interval) valid() bool { return iv == IntervalYear || iv == IntervalMonth }

// period is one year or month, [Start, End) in UTC.
type period struct {
	Name       string // "2019" or "2019-03"
	Start, End time.Time
}

// periods covers first..last (inclusive) with whole periods.
func periods(iv Interval, first, last time.Time) []period {
	first, last = first.UTC(), last.UTC()
	start := time.Date(first.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	step, layout := func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }, "2006"
	if iv == IntervalMonth {
		start = time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
		step, layout = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, "2006-01"
	}
	var out []period
	for t := start; !t.After(last); t = step(t) {
		out = append(out, period{Name: t.Format(layout), Start: t, End: step(t)})
	}
	return out
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

// periodFacet counts posts per period; size is every period, since bleve
// would otherwise keep only the busiest.
func periodFacet(ps []period) *bleve.FacetRequest {
	fr := bleve.NewFacetRequest(schema.FieldDate, max(len(ps), 1))
	for _, p := range ps {
		fr.AddDateTimeRange(p.Name, p.Start, p.End)
	}
	return fr
}

// facetCounts turns bleve's facet results into ours: value facets by
// count (then value), period facets in time order, periods without posts
// left out.
func facetCounts(names []string, fr search.FacetResults) map[string][]FacetCount {
	if len(names) == 0 {
		return nil
	}
	out := make(map[string][]FacetCount, len(names))
	for _, name := range names {
		counts := []FacetCount{}
		f := fr[name]
		if f != nil && f.Terms != nil {
			for _, t := range f.Terms.Terms() {
				counts = append(counts, FacetCount{Value: t.Term, Count: t.Count})
			}
			sortCounts(counts)
		}
		if f != nil {
			for _, d := range f.DateRanges {
				if d.Count > 0 {
					counts = append(counts, FacetCount{Value: d.Name, Count: d.Count})
				}
			}
		}
		if name == FacetYear || name == FacetMonth {
			sort.Slice(counts, func(i, j int) bool { return counts[i].Value < counts[j].Value })
		}
		out[name] = counts
	}
	return out
}

// sortCounts orders by count, most first, then by value, so equal counts
// come out the same way every time.
func sortCounts(cs []FacetCount) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Count != cs[j].Count {
			return cs[i].Count > cs[j].Count
		}
		return cs[i].Value < cs[j].Value
	})
}

func validFacet(name string) bool {
	for _, f := range FacetNames {
		if f == name {
			return true
		}
	}
	return false
}

func facetList() string { return strings.Join(FacetNames, ", ") }
