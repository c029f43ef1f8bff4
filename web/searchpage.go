package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/qlang"
)

// popularTags is how many tags a page without results offers instead.
const popularTags = 12

type searchPage struct {
	Params      searchParams
	Result      *index.Result
	Pages       pager
	HasText     bool
	Filtered    bool
	Groups      []facetGroup
	Active      []activeFilter
	Keep        []hiddenField // the state the filters' remove buttons submit
	Sorts       []sortLink
	Suggestion  *didYouMean
	PopularTags []index.FacetCount // only when nothing matched
	FeedURL     string
	// HighlightArg is what each hit's link carries for the article's
	// marks (highlightArg), escaped once here: html/template escaping a
	// 1,000-character query again in each of 400 links took 1.7 s of a
	// 2 s budget.
	HighlightArg template.URL
	ClearURL     string // the same words without filters
}

func (p searchPage) PageTitle() string {
	if p.Params.Query == "" {
		return "Search"
	}
	return p.Params.Query + " — Search"
}

func (p searchPage) pageHead() head {
	return head{NoIndex: true, Feeds: []feedLink{atomLink("Posts matching this search", p.FeedURL)}}
}

func (s *Server) searchPage(c *gin.Context) {
	p, req, err := parseSearch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if drops, ok := c.GetQueryArray("drop"); ok {
		// A filter's remove button: the same search without it, at its
		// clean address.
		q := dropFilters(p, drops)
		c.Redirect(http.StatusSeeOther, searchURL(withPerPage(searchState(q), q)))
		return
	}
	req.Facets = []string{index.FacetTags, index.FacetAuthors, index.FacetYear}
	req.FacetSize = maxFacetItems
	ctx := c.Request.Context()
	res, err := s.search(c, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	answeredBy(c, res.BuildID)
	v := searchState(p)
	if ae := pastTheEnd(p.Page, res.Total, p.PerPage, func(n int) string { return pageURL("/search", withPerPage(v, p), n) }); ae != nil {
		s.fail(c, ae)
		return
	}
	page := searchPage{
		Params:     p,
		Result:     res,
		Pages:      newPager("/search", withPerPage(v, p), p.Page, p.PerPage, res.Total),
		HasText:    p.Query != "",
		Filtered:   len(p.Tags) > 0 || p.Author != "" || p.From != "" || p.To != "",
		Groups:     facetGroups(p, v, res.Facets),
		Active:     activeFilters(p),
		Keep:       hiddenFields(withPerPage(v, p)),
		Sorts:      sortLinks(p, v),
		Suggestion: suggestionFor(v, res),
		FeedURL:    searchFeedURL(v),
		ClearURL:   withSet(url.Values{}, "q", p.Query),
	}
	page.HighlightArg = highlightArg(p, res)
	if res.Total == 0 {
		all, err := s.deps.Index.Search(ctx, index.Request{Size: 1, Facets: []string{index.FacetTags}, FacetSize: popularTags})
		if err != nil {
			s.fail(c, err)
			return
		}
		page.PopularTags = all.Facets[index.FacetTags]
	}
	s.page(c, http.StatusOK, "search", page)
}

// highlightArg is the query string a hit's link carries so that the
// article marks what this search matched (highlightParams reads it): the
// query as typed, how it was read when not the default, and the
// correction the search ran, if it ran one. Each part is at most
// MaxQueryLength characters (a correction maxCorrectedLength, else it is
// left out and the article plans without it). url.QueryEscape leaves
// only unreserved characters and %XX: nothing a URL attribute could
// misread.
func highlightArg(p searchParams, res *index.Result) template.URL {
	if p.Query == "" {
		return ""
	}
	arg := "?highlight=" + url.QueryEscape(p.Query)
	if p.Mode != "" && p.Mode != string(qlang.ModeAuto) {
		arg += "&mode=" + url.QueryEscape(p.Mode)
	}
	if p.Literal {
		arg += "&correct=false"
	}
	if res.Corrected && res.Suggestion != "" && utf8.RuneCountInString(res.Suggestion) <= maxCorrectedLength {
		arg += "&corrected=" + url.QueryEscape(res.Suggestion)
	}
	return template.URL(arg) // #nosec G203 -- every part escaped by url.QueryEscape
}

// newLabel reports whether fragment i of a hit shows its heading as a
// label: it has one, and no earlier fragment of the hit showed it, so a
// hit names each section once. A hit has at most index.MaxFragments.
func newLabel(frags []index.Fragment, i int) bool {
	if i < 0 || i >= len(frags) || frags[i].Heading == "" {
		return false
	}
	for _, f := range frags[:i] {
		if f.Heading == frags[i].Heading && f.Anchor == frags[i].Anchor {
			return false
		}
	}
	return true
}

// withPerPage keeps a non-default page size in the pager's links.
func withPerPage(v url.Values, p searchParams) url.Values {
	if p.PerPage == defaultPerPage {
		return v
	}
	w := cloneValues(v)
	w.Set("per_page", strconv.Itoa(p.PerPage))
	return w
}

// searchFeedURL is the Atom feed of the same search, newest first.
func searchFeedURL(v url.Values) string {
	w := cloneValues(v)
	w.Del("sort")
	if e := w.Encode(); e != "" {
		return "/search.atom?" + e
	}
	return "/search.atom"
}
