package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// redirectSlash answers a GET or HEAD whose path lacks a route but would
// have one with its trailing slash added or removed: a 301 to that path,
// with the query kept. It runs inside the middleware, unlike gin's own,
// and ignores X-Forwarded-Prefix, which gin would put in the Location.
func (s *Server) redirectSlash(c *gin.Context) bool {
	m := c.Request.Method
	if m != http.MethodGet && m != http.MethodHead {
		return false
	}
	p, esc := c.Request.URL.Path, c.Request.URL.EscapedPath()
	var target, escTarget string
	if strings.HasSuffix(p, "/") && len(p) > 1 {
		target, escTarget = strings.TrimSuffix(p, "/"), strings.TrimSuffix(esc, "/")
	} else {
		target, escTarget = p+"/", esc+"/"
	}
	// "//host" would be read as another site.
	if strings.HasPrefix(escTarget, "//") || strings.HasPrefix(escTarget, `/\`) || !s.hasGetRoute(target) {
		return false
	}
	if q := c.Request.URL.RawQuery; q != "" {
		escTarget += "?" + q
	}
	c.Redirect(http.StatusMovedPermanently, escTarget)
	c.Abort()
	return true
}

// hasGetRoute says whether a GET route's pattern matches path.
func (s *Server) hasGetRoute(path string) bool {
	for _, r := range s.engine.Routes() {
		if r.Method == http.MethodGet && patternMatches(r.Path, path) {
			return true
		}
	}
	return false
}

// patternMatches reads a gin pattern: ":name" is one non-empty segment,
// "*name" the rest of the path (possibly empty).
func patternMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	for i, seg := range ps {
		if strings.HasPrefix(seg, "*") {
			return i < len(xs)
		}
		if i >= len(xs) {
			return false
		}
		if strings.HasPrefix(seg, ":") {
			if xs[i] == "" {
				return false
			}
			continue
		}
		if seg != xs[i] {
			return false
		}
	}
	return len(ps) == len(xs)
}
