package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
)

// Browsing pages: every tag, one tag, every year, one year.

// tagPerPage is the page size of a tag's listing.
const tagPerPage = 20

type tagPage struct {
	Tag   string
	Hits  []index.Hit
	Total uint64
	Pages pager
}

func (p tagPage) PageTitle() string { return "Posts tagged " + p.Tag }

func (p tagPage) pageHead() head {
	return head{
		Canonical:   tagURL(p.Tag),
		Description: countPosts(p.Total) + " tagged " + p.Tag + ".",
		Feeds:       []feedLink{atomLink("Posts tagged "+p.Tag, tagURL(p.Tag)+"/feed.atom")},
	}
}

// tagRoute serves everything under /tags/: the tag index, a tag's page and
// its feed. The tag is read from the escaped path, since a tag may hold "/".
func (s *Server) tagRoute(c *gin.Context) {
	rest := strings.TrimPrefix(c.Request.URL.EscapedPath(), "/tags")
	rest = strings.TrimPrefix(rest, "/")
	if rest == "" {
		s.tagIndex(c)
		return
	}
	if t, ok := oldTagFeed(rest); ok { // the tag's feed on the old site
		movedPermanently(c, "/tags/"+t+"/feed.atom")
		return
	}
	raw, feed := strings.CutSuffix(rest, "/feed.atom")
	tag, err := url.PathUnescape(raw)
	if err != nil || strings.TrimSpace(tag) == "" {
		s.fail(c, notFoundErr("There is no tag at this address."))
		return
	}
	if norm := post.NormalizeTag(tag); norm != tag {
		target := tagURL(norm)
		if feed {
			target += "/feed.atom"
		}
		c.Redirect(http.StatusMovedPermanently, target)
		return
	}
	if feed {
		s.tagFeed(c, tag)
		return
	}
	s.tagListing(c, tag)
}

func (s *Server) tagListing(c *gin.Context, tag string) {
	page, err := intParam(c, "page", 1, 1, index.MaxWindow/tagPerPage)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.deps.Index.Search(c.Request.Context(), index.Request{
		Tags: []string{tag}, Sort: index.SortNewest, Offset: (page - 1) * tagPerPage, Size: tagPerPage,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	if res.Total == 0 {
		s.fail(c, notFoundErr("No post has the tag "+quote(tag)+"."))
		return
	}
	if ae := pastTheEnd(page, res.Total, tagPerPage, func(n int) string { return pageURL(tagURL(tag), url.Values{}, n) }); ae != nil {
		s.fail(c, ae)
		return
	}
	s.page(c, http.StatusOK, "tag", tagPage{
		Tag: tag, Hits: res.Hits, Total: res.Total,
		Pages: newPager(tagURL(tag), url.Values{}, page, tagPerPage, res.Total),
	})
}

type tagIndexPage struct {
	Tags []index.FacetCount // by name
}

func (tagIndexPage) PageTitle() string { return "Tags" }

func (p tagIndexPage) pageHead() head {
	return head{Canonical: "/tags", Description: fmt.Sprintf("All %d tags of the archive.", len(p.Tags))}
}

func (s *Server) tagIndex(c *gin.Context) {
	tags, err := s.deps.Index.Values(c.Request.Context(), index.FacetTags)
	if err != nil {
		s.fail(c, err)
		return
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Value < tags[j].Value })
	s.page(c, http.StatusOK, "tags", tagIndexPage{Tags: tags})
}

// yearPage lists every post of one year, month by month.
type yearPage struct {
	Year         string
	Total        uint64
	Months       []monthGroup
	Older, Newer string // neighbouring years with posts
}

type monthGroup struct {
	Month time.Time
	ID    string
	Posts []index.Hit
}

func (p yearPage) PageTitle() string { return "Posts from " + p.Year }

func (p yearPage) pageHead() head {
	return head{Canonical: yearURL(p.Year), Description: countPosts(p.Total) + " from " + p.Year + "."}
}

func (s *Server) yearListing(c *gin.Context) {
	year := c.Param("year")
	y, err := strconv.Atoi(year)
	if err != nil || y < 1 || y > 9999 || len(year) != 4 {
		s.fail(c, notFoundErr("There is no year "+quote(year)+" in the archive."))
		return
	}
	from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	hits, total, err := s.all(c, index.Request{From: from, To: from.AddDate(1, 0, -1), Sort: index.SortOldest})
	if err != nil {
		s.fail(c, err)
		return
	}
	if total == 0 {
		s.fail(c, notFoundErr("The archive has no posts from "+year+"."))
		return
	}
	years, err := s.years(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	page := yearPage{Year: year, Total: total, Months: byMonth(hits)}
	for _, fc := range years {
		if fc.Value < year {
			page.Older = fc.Value
		}
		if fc.Value > year && page.Newer == "" {
			page.Newer = fc.Value
		}
	}
	s.page(c, http.StatusOK, "year", page)
}

func byMonth(hits []index.Hit) []monthGroup {
	var out []monthGroup
	for _, h := range hits {
		m := time.Date(h.Date.Year(), h.Date.Month(), 1, 0, 0, 0, 0, time.UTC)
		if len(out) == 0 || !out[len(out)-1].Month.Equal(m) {
			out = append(out, monthGroup{Month: m, ID: strings.ToLower(m.Format("January"))})
		}
		out[len(out)-1].Posts = append(out[len(out)-1].Posts, h)
	}
	return out
}

// years is the year facet of the whole archive, oldest first.
func (s *Server) years(c *gin.Context) ([]index.FacetCount, error) {
	res, err := s.deps.Index.Search(c.Request.Context(), index.Request{Size: 1, Facets: []string{index.FacetYear}})
	if err != nil {
		return nil, err
	}
	return res.Facets[index.FacetYear], nil
}

type archivePage struct {
	Years []index.FacetCount // newest first
	Total int
}

func (archivePage) PageTitle() string { return "Archive" }

func (archivePage) pageHead() head {
	return head{Canonical: "/archive", Description: "Every year of the archive."}
}

func (s *Server) archiveIndex(c *gin.Context) {
	years, err := s.years(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	page := archivePage{Years: newestFirst(years)}
	for _, y := range years {
		page.Total += y.Count
	}
	s.page(c, http.StatusOK, "archive", page)
}

// all returns every hit of a request, however many.
func (s *Server) all(c *gin.Context, req index.Request) ([]index.Hit, uint64, error) {
	var hits []index.Hit
	var total uint64
	err := s.deps.Index.Scan(c.Request.Context(), req, func(r *index.Result) error {
		hits = append(hits, r.Hits...)
		total = r.Total
		return nil
	})
	return hits, total, err
}
