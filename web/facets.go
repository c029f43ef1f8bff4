package web

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/qlang"
)

// The search page's state lives in its URL. These helpers derive the links
// that change one piece of it, always going back to the first page.

// searchURL is "/search" with the given parameters, in a stable order.
func searchURL(v url.Values) string {
	v.Del("page")
	if e := v.Encode(); e != "" {
		return "/search?" + e
	}
	return "/search"
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func withValue(v url.Values, key, val string) string {
	w := cloneValues(v)
	w.Add(key, val)
	return searchURL(w)
}

func withoutValue(v url.Values, key, val string) string {
	w := cloneValues(v)
	w[key] = slices.DeleteFunc(w[key], func(x string) bool { return x == val })
	if len(w[key]) == 0 {
		w.Del(key)
	}
	return searchURL(w)
}

func withSet(v url.Values, pairs ...string) string {
	w := cloneValues(v)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			w.Del(pairs[i])
		} else {
			w.Set(pairs[i], pairs[i+1])
		}
	}
	return searchURL(w)
}

// facetGroup is one block of the sidebar: a facet's values with counts.
// Items are shown; More (the rarer values) fold behind "Show all".
type facetGroup struct {
	ID, Title string
	Items     []facetItem
	More      []facetItem
}

// Total is how many values the group lists, shown and folded.
func (g facetGroup) Total() int { return len(g.Items) + len(g.More) }

// newFacetGroup shows the first shownFacetItems values and folds the rest;
// a value in use is never folded, so the reader always sees what narrows
// the results.
func newFacetGroup(id, title string, items []facetItem) facetGroup {
	g := facetGroup{ID: id, Title: title}
	for _, it := range items {
		if len(g.Items) < shownFacetItems || it.Active {
			g.Items = append(g.Items, it)
		} else {
			g.More = append(g.More, it)
		}
	}
	return g
}

type facetItem struct {
	Label  string
	Count  int
	URL    string // adds the value to the search, or removes it when Active
	Active bool
}

// activeFilter is one filter in force. Drop is the value of its remove
// button, which submits the page's state once, with drop=Drop, rather
// than each filter carrying a link that repeats all the others: that made
// the page grow with the square of the filters.
type activeFilter struct {
	Label, Drop string
}

// hiddenField is one parameter of the state the remove buttons submit.
type hiddenField struct {
	Name, Value string
}

// hiddenFields is v as form fields, in a stable order.
func hiddenFields(v url.Values) []hiddenField {
	keys := slices.Sorted(maps.Keys(v))
	var out []hiddenField
	for _, k := range keys {
		for _, val := range v[k] {
			out = append(out, hiddenField{k, val})
		}
	}
	return out
}

// dropFilters is p without the filters named by drop values: "tag:NAME",
// "author" or "date".
func dropFilters(p searchParams, drops []string) searchParams {
	for _, d := range drops {
		switch kind, val, _ := strings.Cut(d, ":"); kind {
		case "tag":
			p.Tags = slices.DeleteFunc(slices.Clone(p.Tags), func(t string) bool { return t == strings.TrimSpace(val) })
		case "author":
			p.Author = ""
		case "date":
			p.From, p.To = "", ""
		}
	}
	return p
}

// searchState is the URL's parameters, the ones the page's links keep.
func searchState(p searchParams) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", p.Query)
	if p.Mode != string(qlang.ModeAuto) {
		set("mode", p.Mode)
	}
	if p.Literal {
		set("correct", "false")
	}
	for _, t := range p.Tags {
		v.Add("tag", t)
	}
	set("author", p.Author)
	set("from", p.From)
	set("to", p.To)
	if p.Sort != string(index.SortRelevance) {
		set("sort", p.Sort)
	}
	return v
}

func facetGroups(p searchParams, v url.Values, facets map[string][]index.FacetCount) []facetGroup {
	var groups []facetGroup
	if items := tagItems(p, v, facets[index.FacetTags]); len(items) > 0 {
		groups = append(groups, newFacetGroup("facet-tags", "Tags", items))
	}
	if items := yearItems(p, v, facets[index.FacetYear]); len(items) > 0 {
		groups = append(groups, newFacetGroup("facet-years", "Years", items))
	}
	if items := authorItems(p, v, facets[index.FacetAuthors]); len(items) > 0 {
		groups = append(groups, newFacetGroup("facet-authors", "Authors", items))
	}
	return groups
}

// The sidebar shows shownFacetItems values of a facet and folds the rest,
// up to maxFacetItems, behind "Show all"; /tags lists every tag.
const (
	shownFacetItems = 10
	maxFacetItems   = 50
)

func tagItems(p searchParams, v url.Values, counts []index.FacetCount) []facetItem {
	var items []facetItem
	for _, fc := range counts {
		if len(items) == maxFacetItems {
			break
		}
		it := facetItem{Label: fc.Value, Count: fc.Count, URL: withValue(v, "tag", fc.Value)}
		if slices.Contains(p.Tags, fc.Value) {
			it.Active, it.URL = true, withoutValue(v, "tag", fc.Value)
		}
		items = append(items, it)
	}
	return items
}

func yearItems(p searchParams, v url.Values, counts []index.FacetCount) []facetItem {
	var items []facetItem
	for i := len(counts) - 1; i >= 0; i-- { // newest year first
		y := counts[i].Value
		it := facetItem{Label: y, Count: counts[i].Count, URL: withSet(v, "from", y, "to", y)}
		if p.From == y && p.To == y {
			it.Active, it.URL = true, withSet(v, "from", "", "to", "")
		}
		items = append(items, it)
	}
	return items
}

func authorItems(p searchParams, v url.Values, counts []index.FacetCount) []facetItem {
	var items []facetItem
	for _, fc := range counts {
		if len(items) == maxFacetItems {
			break
		}
		it := facetItem{Label: fc.Value, Count: fc.Count, URL: withSet(v, "author", fc.Value)}
		if p.Author == fc.Value {
			it.Active, it.URL = true, withSet(v, "author", "")
		}
		items = append(items, it)
	}
	return items
}

func activeFilters(p searchParams) []activeFilter {
	var out []activeFilter
	for _, t := range p.Tags {
		out = append(out, activeFilter{Label: "tag: " + t, Drop: "tag:" + t})
	}
	if p.Author != "" {
		out = append(out, activeFilter{Label: "author: " + p.Author, Drop: "author"})
	}
	switch {
	case p.From != "" && p.From == p.To:
		out = append(out, activeFilter{Label: "date: " + p.From, Drop: "date"})
	case p.From != "" || p.To != "":
		out = append(out, activeFilter{Label: "date: " + p.From + " – " + p.To, Drop: "date"})
	}
	return out
}

// sortLink is one choice of order.
type sortLink struct {
	Label, URL string
	Current    bool
}

func sortLinks(p searchParams, v url.Values) []sortLink {
	var out []sortLink
	for _, o := range []struct{ sort, label string }{
		{string(index.SortRelevance), "Relevance"}, {string(index.SortNewest), "Newest"}, {string(index.SortOldest), "Oldest"},
	} {
		if o.sort == string(index.SortRelevance) && p.Query == "" {
			continue // without words every post is equally relevant
		}
		val := o.sort
		if val == string(index.SortRelevance) {
			val = ""
		}
		cur := p.Sort == o.sort || (p.Query == "" && p.Sort == string(index.SortRelevance) && o.sort == string(index.SortNewest))
		out = append(out, sortLink{Label: o.label, URL: withSet(v, "sort", val), Current: cur})
	}
	return out
}
