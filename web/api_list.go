package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// Output formats of /search and /posts.
const (
	formatJSON  = "json"
	formatJSONL = "jsonl"
	formatCSV   = "csv"
)

// Snippet limits of the API (`fragments`, `fragment_size`).
const (
	defaultFragments = 3
	minFragmentSize  = 50
	maxFragmentSize  = 1000
)

// listKind is what tells /search from /posts: a listing has no query text,
// no relevance and no snippets, and is newest first.
type listKind struct {
	search bool
	items  string // JSON key of the hits: "hits" or "posts"
}

var (
	searchList = listKind{search: true, items: "hits"}
	postsList  = listKind{search: false, items: "posts"}
)

// listParams is a parsed /search or /posts request.
type listParams struct {
	searchParams
	req    index.Request
	fields fieldSet
	format string
	paged  bool // paged by page number (not by cursor)
}

// parseList reads every parameter of /search or /posts; format is the
// one the path asks for ("" for plain JSON).
func parseList(c *gin.Context, kind listKind, pathFormat string) (*listParams, error) {
	p, req, err := parseSearch(c)
	if err != nil {
		return nil, err
	}
	lp := &listParams{searchParams: p, req: req, paged: true}
	if err := lp.readFormat(c, pathFormat); err != nil {
		return nil, err
	}
	if !kind.search {
		if err := lp.asListing(c); err != nil {
			return nil, err
		}
	}
	if err := lp.readCursor(c); err != nil {
		return nil, err
	}
	if lp.fields, err = parseFields(c.QueryArray("fields"), kind.search); err != nil {
		return nil, err
	}
	if err := lp.readFacets(c); err != nil {
		return nil, err
	}
	return lp, lp.readHighlight(c, kind)
}

func (lp *listParams) readFormat(c *gin.Context, pathFormat string) error {
	f, given := c.GetQuery("format")
	f = strings.ToLower(strings.TrimSpace(f))
	switch {
	case !given || f == "":
		f = pathFormat
	case pathFormat != "" && f != pathFormat:
		return badParam("format", fmt.Sprintf("format=%s contradicts the .%s in the path", quote(f), pathFormat))
	}
	if f == "" {
		f = formatJSON
	}
	if f != formatJSON && f != formatJSONL && f != formatCSV {
		return badParam("format", fmt.Sprintf("unknown format %s; use json, jsonl or csv", quote(f)))
	}
	lp.format = f
	return nil
}

// asListing turns the request into a /posts listing: every post through
// the filters, newest first unless sort=oldest.
func (lp *listParams) asListing(c *gin.Context) error {
	lp.Query, lp.req.Query = "", ""
	switch s := c.Query("sort"); s {
	case "", string(index.SortNewest):
		lp.req.Sort = index.SortNewest
	case string(index.SortOldest):
		lp.req.Sort = index.SortOldest
	default:
		return badParam("sort", fmt.Sprintf("unknown order %s for a listing; use newest or oldest", quote(s)))
	}
	lp.Sort = string(lp.req.Sort)
	return nil
}

func (lp *listParams) readCursor(c *gin.Context) error {
	cur := strings.TrimSpace(c.Query("cursor"))
	if cur == "" {
		return nil
	}
	if c.Query("page") != "" {
		return badParam("page", "page cannot be combined with cursor; the cursor already says where to go on")
	}
	lp.req.Cursor, lp.req.Offset, lp.paged = cur, 0, false
	return nil
}

func (lp *listParams) readFacets(c *gin.Context) error {
	seen := map[string]bool{}
	for _, v := range c.QueryArray("facets") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" && !seen[f] {
				seen[f] = true
				lp.req.Facets = append(lp.req.Facets, f)
			}
		}
	}
	n, err := intParam(c, "facet_size", index.DefaultFacetSize, 1, index.MaxFacetSize)
	lp.req.FacetSize = n
	return err
}

// readHighlight sets the snippets: on by default for a JSON search, off by
// default for exports (they are for counting, not reading), and never
// fetched when the fragments field is not wanted.
func (lp *listParams) readHighlight(c *gin.Context, kind listKind) error {
	on, err := boolParam(c, "highlight", kind.search && lp.format == formatJSON)
	if err != nil {
		return err
	}
	n, err := intParam(c, "fragments", defaultFragments, 1, index.MaxFragments)
	if err != nil {
		return err
	}
	size, err := intParam(c, "fragment_size", index.DefaultFragSize, minFragmentSize, maxFragmentSize)
	if err != nil {
		return err
	}
	if len(c.QueryArray("fields")) == 0 && lp.format != formatJSON {
		lp.fields = exportDefaults(lp.fields, on)
	}
	lp.Highlight = on && kind.search && lp.fields.has("fragments")
	lp.req.Fragments, lp.req.FragmentSize = 0, size
	if lp.Highlight {
		lp.req.Fragments = n
	}
	return nil
}

// exportDefaults leaves out of an export's default columns the marked-up
// title, and the snippets unless highlighting was asked for.
func exportDefaults(fs fieldSet, highlight bool) fieldSet {
	var out fieldSet
	for _, i := range fs {
		switch hitFields[i].name {
		case "title_html":
			continue
		case "fragments":
			if !highlight {
				continue
			}
		}
		out = append(out, i)
	}
	return out
}

// apiListHeader is what /search and /posts say about the whole result set
// and this page of it.
type apiListHeader struct {
	Total      uint64                     `json:"total"`
	TookMS     float64                    `json:"took_ms"`
	Sort       string                     `json:"sort"`
	Page       *int                       `json:"page"`
	PerPage    int                        `json:"per_page"`
	Offset     int                        `json:"offset"`
	NextCursor *string                    `json:"next_cursor"`
	Facets     map[string][]apiFacetValue `json:"facets,omitempty"`
	IndexBuild string                     `json:"index_build"`
}

type apiFacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

type apiSearchResponse struct {
	Query      apiQuery `json:"query"`
	Suggestion string   `json:"suggestion,omitempty"`
	Corrected  bool     `json:"corrected"`
	apiListHeader
	Hits []hitView `json:"hits"`
}

type apiPostsResponse struct {
	apiListHeader
	Posts []hitView `json:"posts"`
}

func newListHeader(res *index.Result, lp *listParams) apiListHeader {
	h := apiListHeader{
		Total: res.Total, TookMS: float64(res.Took.Microseconds()) / 1000, Sort: string(lp.req.Sort),
		PerPage: lp.PerPage, Offset: res.Offset, IndexBuild: res.BuildID,
	}
	if h.Sort == "" {
		h.Sort = string(index.SortRelevance)
	}
	if lp.paged {
		h.Page = &lp.Page
	}
	if res.NextCursor != "" {
		h.NextCursor = &res.NextCursor
	}
	if res.Facets != nil {
		h.Facets = map[string][]apiFacetValue{}
		for name, counts := range res.Facets {
			vs := make([]apiFacetValue, len(counts))
			for i, fc := range counts {
				vs[i] = apiFacetValue{fc.Value, fc.Count}
			}
			h.Facets[name] = vs
		}
	}
	return h
}

func (s *Server) apiSearch(c *gin.Context)      { s.list(c, searchList, "") }
func (s *Server) apiSearchJSONL(c *gin.Context) { s.list(c, searchList, formatJSONL) }
func (s *Server) apiSearchCSV(c *gin.Context)   { s.list(c, searchList, formatCSV) }
func (s *Server) apiPosts(c *gin.Context)       { s.list(c, postsList, "") }

// list serves /search and /posts in every format.
func (s *Server) list(c *gin.Context, kind listKind, pathFormat string) {
	lp, err := parseList(c, kind, pathFormat)
	if err != nil {
		s.fail(c, err)
		return
	}
	if fresh(c, etag(s.label(), c.Request)) {
		return
	}
	if lp.format != formatJSON {
		s.export(c, kind, lp)
		return
	}
	res, err := s.search(c, lp.req)
	if err != nil {
		s.fail(c, err)
		return
	}
	answeredBy(c, res.BuildID)
	if lp.paged {
		if ae := pastTheEnd(lp.Page, res.Total, lp.PerPage, nil); ae != nil {
			s.fail(c, ae)
			return
		}
	}
	hits := make([]hitView, 0, len(res.Hits))
	for _, h := range res.Hits {
		hits = append(hits, hitView{hit: newAPIHit(h), fields: lp.fields})
	}
	if res.NextCursor != "" {
		c.Header("Link", nextLink(c.Request.URL, res.NextCursor))
	}
	c.Header("X-Total-Count", fmt.Sprint(res.Total))
	header := newListHeader(res, lp)
	if kind.search {
		sendJSON(c, apiSearchResponse{Query: newAPIQuery(lp.searchParams, res), Suggestion: res.Suggestion, Corrected: res.Corrected,
			apiListHeader: header, Hits: hits})
		return
	}
	sendJSON(c, apiPostsResponse{apiListHeader: header, Posts: hits})
}

// nextLink is the RFC 8288 Link header to the next page: the same request
// with the cursor instead of a page number, as GitHub's API gives.
func nextLink(u *url.URL, cursor string) string {
	q := u.Query()
	q.Del("page")
	q.Set("cursor", cursor)
	return fmt.Sprintf("<%s?%s>; rel=\"next\"", u.Path, q.Encode())
}
