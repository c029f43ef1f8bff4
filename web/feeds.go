package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/feed"
)

// feedEntries is how many posts a feed carries, newest first.
const feedEntries = 20

const (
	atomType = "application/atom+xml; charset=utf-8"
	rssType  = "application/rss+xml; charset=utf-8"
)

func (s *Server) atomFeed(c *gin.Context) {
	s.serveFeed(c, "/feed.atom", "/", s.deps.Site.Title, index.Request{}, true, "")
}

func (s *Server) rssFeed(c *gin.Context) {
	s.serveFeed(c, "/feed.rss", "/", s.deps.Site.Title, index.Request{}, false, "")
}

func (s *Server) tagFeed(c *gin.Context, tag string) {
	s.serveFeed(c, tagURL(tag)+"/feed.atom", tagURL(tag), s.deps.Site.Title+": posts tagged "+tag,
		index.Request{Tags: []string{tag}}, true, "No post has the tag "+quote(tag)+", so it has no feed.")
}

// searchFeed is any search as a feed, so a reader can subscribe to a topic.
func (s *Server) searchFeed(c *gin.Context) {
	p, req, err := parseSearch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := searchState(p)
	v.Del("sort")
	title := s.deps.Site.Title + ": search"
	if p.Query != "" {
		title += " for " + p.Query
	}
	for _, t := range p.Tags {
		title += ", tag " + t
	}
	if p.Author != "" {
		title += ", by " + p.Author
	}
	req.Offset = 0
	s.serveFeed(c, searchFeedURL(cloneValues(v)), searchURL(v), title, req, true, "")
}

// serveFeed answers the newest posts matching req as Atom or RSS; self and
// page are paths of the feed and of the HTML page it mirrors. With a
// notFound message, a feed that would be empty is a 404 saying it (a tag
// no post has, as its page is).
func (s *Server) serveFeed(c *gin.Context, self, page, title string, req index.Request, atom bool, notFound string) {
	req.Sort, req.Size, req.Fragments = index.SortNewest, feedEntries, 0
	res, err := s.deps.Index.Search(c.Request.Context(), req)
	if err == nil && res.Total == 0 && notFound != "" {
		err = notFoundErr(notFound)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	f := &feed.Feed{
		Title: title, Link: s.absURL(c, page), Self: s.absURL(c, self),
		Subtitle: s.deps.Site.Description, Author: s.deps.Site.Author, Language: s.deps.Site.Language,
	}
	for _, h := range res.Hits {
		e, err := s.feedEntry(c, h)
		if err != nil {
			s.fail(c, err)
			return
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = feed.LastUpdated(f.Entries)
	if f.Updated.IsZero() {
		f.Updated = s.deps.Index.Manifest().BuiltAt
	}
	buf := newPageBuffer(c.Request.Context(), s.limits.MaxPageBytes)
	write, ct := feed.WriteRSS, rssType
	if atom {
		write, ct = feed.WriteAtom, atomType
	}
	if err := write(buf, f); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", s.cacheFor("public, max-age=300"))
	c.Data(http.StatusOK, ct, buf.Bytes())
}

// feedEntry carries the whole rendered post, as the Go blog's feed does, so
// a reader can read it in the feed reader.
func (s *Server) feedEntry(c *gin.Context, h index.Hit) (feed.Entry, error) {
	e := feed.Entry{
		Title: s.plainTitle(h.Title), Link: s.absURL(c, postURL(url.PathEscape(h.Slug))), Published: h.Date,
		Authors: h.Authors, Categories: h.Tags, Summary: h.Summary,
	}
	a, err := s.loadArticle(c.Request.Context(), h.Slug)
	if err != nil {
		return e, err
	}
	e.Content = string(a.Body)
	if !a.Post.Updated.IsZero() {
		e.Updated = a.Post.Updated
	}
	return e, nil
}

// plainTitle is a title without its Markdown (`u128` layout → u128
// layout), for feeds and the API's text fields.
func (s *Server) plainTitle(t string) string {
	_, plain := s.deps.Renderer.Title(t)
	return plain
}
