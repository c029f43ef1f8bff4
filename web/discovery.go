package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// Discovery: how crawlers and browsers learn what the archive holds.

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists every post, tag and year page. 50,000 URLs is the format's
// limit per file, far beyond a blog's size.
func (s *Server) sitemap(c *gin.Context) {
	posts, _, err := s.all(c, index.Request{Sort: index.SortNewest})
	if err != nil {
		s.fail(c, err)
		return
	}
	tags, err := s.deps.Index.Values(c.Request.Context(), index.FacetTags)
	if err != nil {
		s.fail(c, err)
		return
	}
	years, err := s.years(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	set := sitemapURLSet{}
	add := func(path, lastmod string) {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL(c, path), LastMod: lastmod})
	}
	newest := ""
	if len(posts) > 0 {
		newest = posts[0].Date.Format("2006-01-02")
	}
	add("/", newest)
	add("/tags", newest)
	add("/archive", newest)
	for _, p := range posts {
		add(postURL(p.Slug), p.Date.Format("2006-01-02"))
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Value < tags[j].Value })
	for _, t := range tags {
		add(tagURL(t.Value), "")
	}
	for _, y := range years {
		add(yearURL(y.Value), "")
	}
	s.writeXML(c, "application/xml; charset=utf-8", set)
}

func (s *Server) robots(c *gin.Context) {
	body := "User-agent: *\nDisallow: /search\nDisallow: /search.atom\nDisallow: /api/\n\nSitemap: " + s.absURL(c, "/sitemap.xml") + "\n"
	c.Header("Cache-Control", s.cacheFor("public, max-age=3600"))
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(body))
}

type openSearchDoc struct {
	XMLName       xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	MozNS         string          `xml:"xmlns:moz,attr"`
	ShortName     string          `xml:"ShortName"`
	Description   string          `xml:"Description"`
	InputEncoding string          `xml:"InputEncoding"`
	Image         *openSearchImg  `xml:"Image,omitempty"`
	URLs          []openSearchURL `xml:"Url"`
	SearchForm    string          `xml:"moz:SearchForm"`
}

type openSearchImg struct {
	Width  int    `xml:"width,attr"`
	Height int    `xml:"height,attr"`
	Type   string `xml:"type,attr"`
	URL    string `xml:",chardata"`
}

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Method   string `xml:"method,attr,omitempty"`
	Rel      string `xml:"rel,attr,omitempty"`
	Template string `xml:"template,attr"`
}

// openSearch describes the archive as a search engine, so a browser can
// offer it in its address bar, with suggestions as the reader types.
func (s *Server) openSearch(c *gin.Context) {
	short := s.deps.Site.Title
	if r := []rune(short); len(r) > 16 { // the format's limit
		short = string(r[:16])
	}
	doc := openSearchDoc{
		MozNS:         "http://www.mozilla.org/2006/browser/search/",
		ShortName:     short,
		Description:   fmt.Sprintf("Search the posts of %s", s.deps.Site.Title),
		InputEncoding: "UTF-8",
		URLs: []openSearchURL{
			{Type: "text/html", Method: "get", Template: s.absURL(c, "/search?q={searchTerms}")},
			{Type: "application/x-suggestions+json", Template: s.absURL(c, "/api/v1/suggest?format=opensearch&q={searchTerms}")},
			{Type: "application/atom+xml", Template: s.absURL(c, "/search.atom?q={searchTerms}")},
		},
		SearchForm: s.absURL(c, "/search"),
	}
	if u, err := s.assets.url("favicon.svg"); err == nil {
		doc.Image = &openSearchImg{Width: 16, Height: 16, Type: "image/svg+xml", URL: s.absURL(c, u)}
	}
	s.writeXML(c, "application/opensearchdescription+xml; charset=utf-8", doc)
}

func (s *Server) writeXML(c *gin.Context, contentType string, v any) {
	buf := newPageBuffer(c.Request.Context(), s.limits.MaxPageBytes)
	_, _ = buf.Write([]byte(xml.Header)) // far below any bound
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		s.fail(c, fmt.Errorf("encode %s: %w", strings.TrimPrefix(c.Request.URL.Path, "/"), err))
		return
	}
	if _, err := buf.Write([]byte{'\n'}); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", s.cacheFor("public, max-age=3600"))
	c.Data(http.StatusOK, contentType, buf.Bytes())
}
