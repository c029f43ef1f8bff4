package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// subscribePage explains the archive's feeds to a reader who has never
// used a feed reader: what one is, and which address to give it. The
// menu links here rather than to raw XML, which a browser shows as code.
type subscribePage struct {
	Feeds []subscribeFeed
}

// subscribeFeed is one feed: what it carries and its full address, to
// copy into a reader. Pattern says the address has a part to fill in.
type subscribeFeed struct {
	Title, URL, Means string
	Pattern           bool
}

func (subscribePage) PageTitle() string { return "Subscribe" }

func (subscribePage) pageHead() head {
	return head{Canonical: "/subscribe", Description: "Follow new posts in a feed reader: the archive's Atom and RSS feeds, per tag and per search."}
}

func (s *Server) subscribe(c *gin.Context) {
	abs := func(p string) string { return s.absURL(c, p) }
	s.page(c, http.StatusOK, "subscribe", subscribePage{Feeds: []subscribeFeed{
		{Title: "Every post (Atom)", URL: abs("/feed.atom"), Means: "The newest posts, as Atom, which most readers prefer."},
		{Title: "Every post (RSS)", URL: abs("/feed.rss"), Means: "The same posts, as RSS 2.0, for readers that only know RSS."},
		{Title: "One tag", URL: abs("/tags/<tag>/feed.atom"), Means: "New posts with that tag: every tag's page links its feed.", Pattern: true},
		{Title: "One search", URL: abs("/search.atom?q=<words>"), Means: "New posts that match a search, with its filters: the link “Subscribe to this search” under any results.", Pattern: true},
	}})
}
