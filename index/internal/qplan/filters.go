package qplan

import (
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/internal/post"
)

// Filters narrow a search's matches without changing their order.
type Filters struct {
	Tags     []string  // every tag must be present (case-insensitive)
	Author   string    // case-insensitive exact author name
	From, To time.Time // inclusive days; zero means open
}

// apply combines the text query with the filters.
func (r Filters) apply(text bq.Query) bq.Query {
	parts := []bq.Query{text}
	for _, t := range r.Tags {
		tq := bleve.NewTermQuery(post.NormalizeTag(t))
		tq.SetField(schema.FieldTags)
		parts = append(parts, tq)
	}
	if a := strings.TrimSpace(r.Author); a != "" {
		aq := bleve.NewTermQuery(strings.ToLower(a))
		aq.SetField(schema.FieldAuthorKey)
		parts = append(parts, aq)
	}
	if !r.From.IsZero() || !r.To.IsZero() {
		parts = append(parts, dateRange(r.From, r.To))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return bleve.NewConjunctionQuery(parts...)
}

func dateRange(from, to time.Time) bq.Query {
	yes := true
	var end time.Time
	if !to.IsZero() {
		end = to.AddDate(0, 0, 1).Add(-time.Nanosecond) // the whole last day
	}
	from, end = ClampDate(from), ClampDate(end)
	q := bleve.NewDateRangeInclusiveQuery(from, end, &yes, &yes)
	q.SetField(schema.FieldDate)
	return q
}

// ClampDate keeps a bound inside the years bleve can store (1677–2262):
// it refuses a range that reaches past them, though no post can be dated
// there. A bound beyond them is the nearest one it can store, which
// selects the same posts; the zero time stays an open end.
func ClampDate(t time.Time) time.Time {
	switch {
	case t.IsZero():
		return t
	case t.Before(bq.MinRFC3339CompatibleTime):
		return bq.MinRFC3339CompatibleTime
	case t.After(bq.MaxRFC3339CompatibleTime):
		return bq.MaxRFC3339CompatibleTime
	}
	return t
}
