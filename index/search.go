package index

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Sort is the order of search results.
type Sort string

// The orders a search can ask for.
const (
	SortRelevance Sort = "relevance"
	SortNewest    Sort = "newest"
	SortOldest    Sort = "oldest"
)

// Limits on what one request may ask for. bleve keeps From+Size hits in
// memory and has no window cap of its own.
const (
	MaxPerPage      = 100
	MaxWindow       = 10000
	DefaultFragSize = 200
	MaxFragments    = 5
)

// Request is one search: free text plus filters, order, page and snippets.
type Request struct {
	Query        string
	Tags         []string  // every tag must be present (case-insensitive)
	Author       string    // case-insensitive exact author name
	From, To     time.Time // inclusive; zero means open
	Sort         Sort
	Offset, Size int
	Fragments    int // snippets per hit; 0 turns highlighting off
	FragmentSize int // bytes per snippet; 0 means DefaultFragSize
	Facets       []string
}

// Result is one page of hits and what the whole result set looks like.
type Result struct {
	Total   uint64
	Took    time.Duration
	Hits    []Hit
	Facets  map[string][]FacetCount
	BuildID string
}

// Hit is one matching post with what a results page shows of it.
type Hit struct {
	Slug      string
	Title     string
	TitleHTML string // HTML-escaped title with matches in <mark>
	Date      time.Time
	Authors   []string
	Tags      []string
	Summary   string
	Words     int
	Score     float64
	Fragments []Fragment
}

// Fragment is one snippet of a hit's text.
type Fragment struct {
	HTML    string // HTML-escaped text with matches in <mark>; safe to insert as HTML
	Heading string // the heading the snippet falls under, "" for the lead
	Anchor  string // that heading's id on the article page
}

// FacetCount is one value of a facet with the number of matching posts.
type FacetCount struct {
	Value string
	Count int
}

// RequestError is a request the index refuses; Param names the culprit.
type RequestError struct {
	Param string
	Msg   string
}

func (e *RequestError) Error() string { return e.Param + ": " + e.Msg }

// Facet names a request may ask for.
var facetFields = map[string]string{"tags": fieldTags, "authors": fieldAuthors}

func (r *Request) validate() error {
	switch r.Sort {
	case "", SortRelevance, SortNewest, SortOldest:
	default:
		return &RequestError{"sort", fmt.Sprintf("unknown order %q; use relevance, newest or oldest", r.Sort)}
	}
	if r.Size < 0 || r.Size > MaxPerPage {
		return &RequestError{"per_page", fmt.Sprintf("must be between 1 and %d", MaxPerPage)}
	}
	if r.Offset < 0 || r.Offset+r.Size > MaxWindow {
		return &RequestError{"page", fmt.Sprintf("results beyond the first %d cannot be paged to", MaxWindow)}
	}
	if r.Fragments < 0 || r.Fragments > MaxFragments {
		return &RequestError{"fragments", fmt.Sprintf("must be between 0 and %d", MaxFragments)}
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return &RequestError{"to", "is before from"}
	}
	for _, f := range r.Facets {
		if _, ok := facetFields[f]; !ok {
			return &RequestError{"facets", fmt.Sprintf("unknown facet %q; use tags or authors", f)}
		}
	}
	return nil
}

// Search runs a request against the serving build.
func (ix *Index) Search(ctx context.Context, r Request) (*Result, error) {
	if r.Size == 0 {
		r.Size = 10
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(buildQuery(r), r.Size, r.Offset, false)
	req.SortBy(sortOrder(r.Sort))
	req.Fields = []string{fieldTitle, fieldDate, fieldTags, fieldAuthors, fieldSummary, fieldWords}
	if r.Fragments > 0 {
		req.Fields = append(req.Fields, fieldBody, fieldSections)
		req.IncludeLocations = true
	}
	for _, f := range r.Facets {
		req.AddFacet(f, bleve.NewFacetRequest(facetFields[f], 50))
	}
	ix.mu.RLock()
	build := ix.cur.manifest.ID
	ix.mu.RUnlock()
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	if res.Status != nil && res.Status.Failed > 0 {
		return nil, fmt.Errorf("search %q: %v", r.Query, res.Status.Errors)
	}
	out := &Result{Total: res.Total, Took: res.Took, BuildID: build, Facets: facetCounts(res.Facets)}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, newHit(h, r))
	}
	return out, nil
}

func sortOrder(s Sort) []string {
	switch s {
	case SortNewest:
		return []string{"-" + fieldDate, "_id"}
	case SortOldest:
		return []string{fieldDate, "_id"}
	default:
		return []string{"-_score", "-" + fieldDate, "_id"}
	}
}

// buildQuery combines the text query with the filters. Filters are
// conjuncts that do not change the ranking of what they keep.
func buildQuery(r Request) query.Query {
	parts := []query.Query{textQuery(r.Query)}
	for _, t := range r.Tags {
		tq := bleve.NewTermQuery(normalizeTag(t))
		tq.SetField(fieldTags)
		parts = append(parts, tq)
	}
	if a := strings.TrimSpace(r.Author); a != "" {
		aq := bleve.NewTermQuery(strings.ToLower(a))
		aq.SetField(fieldAuthorKey)
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

func dateRange(from, to time.Time) query.Query {
	yes := true
	var end time.Time
	if !to.IsZero() {
		end = to.AddDate(0, 0, 1).Add(-time.Nanosecond) // the whole last day
	}
	q := bleve.NewDateRangeInclusiveQuery(from, end, &yes, &yes)
	q.SetField(fieldDate)
	return q
}

func normalizeTag(t string) string {
	return strings.Join(strings.Fields(strings.ToLower(t)), " ")
}

func newHit(h *search.DocumentMatch, r Request) Hit {
	hit := Hit{
		Slug:    h.ID,
		Title:   str(h.Fields[fieldTitle]),
		Summary: str(h.Fields[fieldSummary]),
		Tags:    strs(h.Fields[fieldTags]),
		Authors: strs(h.Fields[fieldAuthors]),
		Score:   h.Score,
	}
	if w, ok := h.Fields[fieldWords].(float64); ok {
		hit.Words = int(w)
	}
	hit.Date, _ = time.Parse(time.RFC3339, str(h.Fields[fieldDate]))
	phrases := strings.Contains(r.Query, `"`)
	hit.TitleHTML = markHTML(hit.Title, spansOf(h.Locations[fieldTitle]), phrases)
	if r.Fragments > 0 {
		size := r.FragmentSize
		if size <= 0 {
			size = DefaultFragSize
		}
		body := str(h.Fields[fieldBody])
		var secs []section
		_ = json.Unmarshal([]byte(str(h.Fields[fieldSections])), &secs)
		hit.Fragments = fragments(body, spansOf(h.Locations[fieldBody]), secs, r.Fragments, size, phrases)
	}
	return hit
}

func facetCounts(fr search.FacetResults) map[string][]FacetCount {
	if len(fr) == 0 {
		return nil
	}
	out := make(map[string][]FacetCount, len(fr))
	for name, f := range fr {
		counts := []FacetCount{}
		if f.Terms != nil {
			for _, t := range f.Terms.Terms() {
				counts = append(counts, FacetCount{Value: t.Term, Count: t.Count})
			}
		}
		out[name] = counts
	}
	return out
}

// str and strs read stored fields, which bleve returns as a string for
// one value and as a slice for several.
func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
