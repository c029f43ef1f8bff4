package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

// redirectAlias answers an old URL of a post (its front matter aliases,
// redirect_from or permalink) with a 301 to the post, so links from the
// web to the old site keep working. It reports whether it answered; an
// unknown path is left to the caller's 404.
func (s *Server) redirectAlias(c *gin.Context) bool {
	if (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) || isAPI(c) {
		return false
	}
	slug, err := s.deps.Index.LookupAlias(c.Request.Context(), c.Request.URL.Path)
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
	c.Header("Cache-Control", "public, max-age=3600")
	c.Redirect(http.StatusMovedPermanently, to)
	c.Abort()
	return true
}

// noRoute is the fallback for every path no route claims: an old URL of
// a post redirects to it, anything else is a 404.
func (s *Server) noRoute(c *gin.Context) {
	if s.redirectAlias(c) {
		return
	}
	s.notFound(c)
}
