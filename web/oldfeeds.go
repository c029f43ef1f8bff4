package web

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// A blog that moves to the archive keeps its subscribers only if the feed
// address they subscribed to still answers. Each generator publishes its
// feed at its own address: Jekyll /feed.xml, Hugo /index.xml (and
// /blog/index.xml for a section), Hexo and Zola /atom.xml, Zola and
// Gatsby /rss.xml, Hexo /rss2.xml, Docusaurus /blog/rss.xml and
// /blog/atom.xml, Pelican /feeds/all.atom.xml, WordPress /feed/ and
// /feed/atom/, Ghost /rss/. The archive answers each with a 301 to its
// own feed in the same format; feed readers follow a permanent redirect
// and keep the new address.

// oldFeedTarget is the archive's feed for an old feed address p (a URL
// path), or "" when p is not one. Only a site's own feeds are taken (at
// the root or one folder down, as a blog section or a language): a
// deeper path is a category's or an author's feed, and the whole
// archive's feed would be the wrong answer to it.
func oldFeedTarget(p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if len(segs) > 2 || segs[0] == "" {
		return ""
	}
	last := strings.ToLower(segs[len(segs)-1])
	if len(segs) == 2 && strings.EqualFold(segs[0], "feed") { // WordPress /feed/atom/, /feed/rss2/
		last = "feed/" + last
	}
	switch last {
	case "feed.xml", "atom.xml", "index.atom", "feed.atom", "atom", "feed/atom":
		return "/feed.atom"
	case "rss.xml", "rss2.xml", "index.xml", "index.rss", "feed.rss", "rss", "feed", "feed/rss", "feed/rss2":
		return "/feed.rss"
	}
	switch { // Pelican's feeds/all.atom.xml, feeds/all-en.rss.xml
	case strings.HasSuffix(last, ".atom.xml"):
		return "/feed.atom"
	case strings.HasSuffix(last, ".rss.xml"):
		return "/feed.rss"
	}
	return ""
}

// tagFeedSuffixes are the names generators give a tag's own feed under
// the tag's address (Hugo /tags/<tag>/index.xml, Zola's atom.xml and
// rss.xml, feed.xml in themes that add one).
var tagFeedSuffixes = []string{"/index.xml", "/atom.xml", "/rss.xml", "/feed.xml", "/feed"}

// oldTagFeed splits an old tag feed address, the part of the path after
// /tags/, into the tag's escaped path; ok is false for anything else.
func oldTagFeed(rest string) (tag string, ok bool) {
	for _, suf := range tagFeedSuffixes {
		if t, found := strings.CutSuffix(strings.TrimSuffix(rest, "/"), suf); found && t != "" {
			return t, true
		}
	}
	return "", false
}

// redirectOldFeed answers an old feed address with a 301 to the
// archive's feed, and reports whether it did.
func (s *Server) redirectOldFeed(c *gin.Context) bool {
	to := oldFeedTarget(c.Request.URL.Path)
	if to == "" || !readsPage(c) {
		return false
	}
	movedPermanently(c, to)
	return true
}
