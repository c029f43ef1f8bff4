package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
)

// redirectAlias answers an old URL of a post (its front matter aliases,
// redirect_from or permalink) with a 301 to the post, so links from the
// web to the old site keep working. It reports whether it answered; an
// unknown path is left to the caller's 404.
func (s *Server) redirectAlias(c *gin.Context) bool {
	if !readsPage(c) {
		return false
	}
	slug, err := s.deps.Index.LookupAlias(c.Request.Context(), c.Request.URL.Path)
	if errors.Is(err, index.ErrNotFound) {
		slug, err = s.slugOfPermalink(c.Request.Context(), c.Request.URL.Path)
	}
	if err != nil {
		if !errors.Is(err, index.ErrNotFound) {
			s.log.Warn("alias lookup", "path", c.Request.URL.Path, "err", err)
		}
		return false
	}
	to := postURL(url.PathEscape(slug))
	if strings.TrimSuffix(c.Request.URL.Path, "/") == to {
		return false // the post itself is gone from the folder: no loop
	}
	movedPermanently(c, to)
	return true
}

// readsPage reports whether the request reads a page (GET or HEAD, not
// the API): only those are sent from an old address to a new one.
func readsPage(c *gin.Context) bool {
	return (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead) && !isAPI(c)
}

// movedPermanently answers with a 301 to to, which shared caches may keep
// for an hour.
func movedPermanently(c *gin.Context, to string) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.Redirect(http.StatusMovedPermanently, to)
	c.Abort()
}

// slugOfPermalink reads an old address that no front matter names but
// whose last segment is a post's slug: the shape of most generators'
// permalinks (Docusaurus /blog/2024/08/12/<slug>, Jekyll and Hexo
// /2019/11/07/<slug>.html, Hugo /blog/<bundle>/), and of a post's own
// address typed with capitals, or whose last segment spells a post's
// title (Hugo's :title). The slug or the title must exist as it is;
// nothing is guessed beyond that.
func (s *Server) slugOfPermalink(ctx context.Context, p string) (string, error) {
	p = strings.TrimRight(p, "/")
	last := p[strings.LastIndexByte(p, '/')+1:]
	for _, ext := range []string{".html", ".htm", ".md", ".mdx", ".markdown"} {
		last = strings.TrimSuffix(last, ext)
	}
	if last == "" || len(p) > index.MaxAliasLen {
		return "", index.ErrNotFound
	}
	slug := post.Slugify(last)
	if slug == "" || postURL(slug) == p {
		return "", index.ErrNotFound
	}
	_, err := s.deps.Index.Lookup(ctx, slug)
	if errors.Is(err, index.ErrNotFound) && strings.Contains(slug, "-") {
		// Not a slug, but maybe the title it was made from (Hugo's
		// /blog/:year/:title/, WordPress's %postname%): several words,
		// so a lone /about/ is never taken for a post titled About.
		return s.deps.Index.LookupTitle(ctx, post.TitleKey(last))
	}
	if err != nil {
		return "", err
	}
	return slug, nil
}

// noRoute is the fallback for every path no route claims: an old URL of
// a post redirects to it, an old feed address to the archive's feed (a
// post's alias wins), anything else is a 404.
func (s *Server) noRoute(c *gin.Context) {
	if s.redirectAlias(c) || s.redirectOldFeed(c) {
		return
	}
	s.notFound(c)
}
