package facet

import (
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/schema"
)

// Facet names a request may ask for.
const (
	Tags    = "tags"
	Authors = "authors"
	Year    = "year"
	Month   = "month"
)

// Names lists every facet, in the order they are documented.
var Names = []string{Tags, Authors, Year, Month}

// Facet sizes for the value facets (tags, authors); period facets list
// every period that has a post.
const (
	DefaultSize = 10
	MaxSize     = 1000
)

// Count is one value of a facet with the number of matching posts.
type Count struct {
	Value string
	Count int
}

// Interval is the length of a period in date facets and trends.
type Interval string

// The intervals dates can be grouped by.
const (
	IntervalYear  Interval = "year"
	IntervalMonth Interval = "month"
)

// Valid says whether iv is one of the intervals.
func (iv Interval) Valid() bool { return iv == IntervalYear || iv == IntervalMonth }

// Period is one year or month, [Start, End) in UTC.
type Period struct {
	Name       string // "2019" or "2019-03"
	Start, End time.Time
}

// Periods covers first..last (inclusive) with whole periods.
func Periods(iv Interval, first, last time.Time) []Period {
	first, last = first.UTC(), last.UTC()
	start := time.Date(first.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	step, layout := func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }, "2006"
	if iv == IntervalMonth {
		start = time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
		step, layout = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, "2006-01"
	}
	var out []Period
	for t := start; !t.After(last); t = step(t) {
		out = append(out, Period{Name: t.Format(layout), Start: t, End: step(t)})
	}
	return out
}

// PeriodFacet counts posts per period with bleve's date-range facet;
// size is every period, since bleve would otherwise keep only the
// busiest.
func PeriodFacet(ps []Period) *bleve.FacetRequest {
	fr := bleve.NewFacetRequest(schema.FieldDate, max(len(ps), 1))
	for _, p := range ps {
		fr.AddDateTimeRange(p.Name, p.Start, p.End)
	}
	return fr
}

// FromBleve turns bleve's facet results into ours: value facets by
// count (then value), period facets in time order, periods without posts
// left out.
func FromBleve(names []string, fr search.FacetResults) map[string][]Count {
	if len(names) == 0 {
		return nil
	}
	out := make(map[string][]Count, len(names))
	for _, name := range names {
		counts := []Count{}
		f := fr[name]
		if f != nil && f.Terms != nil {
			for _, t := range f.Terms.Terms() {
				counts = append(counts, Count{Value: t.Term, Count: t.Count})
			}
			sortCounts(counts)
		}
		if f != nil {
			for _, d := range f.DateRanges {
				if d.Count > 0 {
					counts = append(counts, Count{Value: d.Name, Count: d.Count})
				}
			}
		}
		if name == Year || name == Month {
			sort.Slice(counts, func(i, j int) bool { return counts[i].Value < counts[j].Value })
		}
		out[name] = counts
	}
	return out
}

// sortCounts orders by count, most first, then by value, so equal counts
// come out the same way every time.
func sortCounts(cs []Count) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Count != cs[j].Count {
			return cs[i].Count > cs[j].Count
		}
		return cs[i].Value < cs[j].Value
	})
}

// Valid says whether a request may ask for the facet name.
func Valid(name string) bool {
	for _, f := range Names {
		if f == name {
			return true
		}
	}
	return false
}

// List names every facet, for messages.
func List() string { return strings.Join(Names, ", ") }
