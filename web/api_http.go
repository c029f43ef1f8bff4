package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Headers every API client may read from a cross-origin response.
const exposedHeaders = "ETag, Link, X-Archive-Index, X-Total-Count, Content-Disposition"

// buildHeader names the serving index build on every response, pages and
// errors included, so any two answers can be checked to come from the same
// state of the archive.
func (s *Server) buildHeader() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("X-Archive-Index", s.label())
		c.Next()
	}
}

// label names the exact state of the index that answers: the build id,
// plus the number of incremental syncs applied to it.
func (s *Server) label() string { return s.deps.Index.Manifest().Label() }

// answeredBy names in the headers the build whose snapshot answered,
// which an incremental sync may have advanced since buildHeader named the
// build serving when the request arrived; an ETag set by fresh is made
// again from it, so header, validator and body agree.
func answeredBy(c *gin.Context, build string) {
	c.Header("X-Archive-Index", build)
	if c.Writer.Header().Get("ETag") != "" {
		c.Header("ETag", etag(build, c.Request))
	}
}

// cors lets a page on any origin read the API with GET. Nothing the API
// serves depends on cookies, so the wildcard is safe.
func (s *Server) cors() gin.HandlerFunc {
	return func(c *gin.Context) {
		if isAPI(c) {
			c.Header("Access-Control-Allow-Origin", "*")
			c.Header("Access-Control-Expose-Headers", exposedHeaders)
		}
		c.Next()
	}
}

// preflight answers a CORS preflight for an API route.
func (s *Server) preflight(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	if req := c.GetHeader("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	c.Status(http.StatusNoContent)
}

// etag is the validator of a GET whose answer is fixed by the index
// build, the URL and any extra inputs (such as a post file's hash). It is
// weak because timing fields (took_ms) vary between equal answers.
func etag(build string, r *http.Request, extra ...string) string {
	h := sha256.New()
	for _, p := range append([]string{build, r.URL.Path, r.URL.Query().Encode()}, extra...) {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return `W/"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:15]) + `"`
}

// fresh sets the caching headers of a successful GET and answers 304 when
// the client already holds this version; then the caller must stop.
// Cache-Control no-cache lets caches keep answers but makes them ask
// again, so a reindex is never hidden behind a stale copy.
func fresh(c *gin.Context, tag string) bool {
	return freshWith(c, cacheRevalidate, tag)
}

// cacheRevalidate is fresh's Cache-Control.
const cacheRevalidate = "public, no-cache"

// freshWith is fresh with another Cache-Control (see cacheFor).
func freshWith(c *gin.Context, cacheControl, tag string) bool {
	c.Header("ETag", tag)
	c.Header("Cache-Control", cacheControl)
	if matchesETag(c.GetHeader("If-None-Match"), tag) {
		c.AbortWithStatus(http.StatusNotModified)
		return true
	}
	return false
}

// matchesETag is If-None-Match's weak comparison (RFC 9110 13.1.2).
func matchesETag(header, tag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// sendJSON writes a successful JSON answer.
func sendJSON(c *gin.Context, v any) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", mustJSON(v))
}

// mustJSON encodes one of our own response types, ending in a newline.
// <, > and & are escaped (\u003c…), so no JSON answer holds markup a
// browser could be tricked into reading as HTML; JSON parsers decode them.
// Our types always encode, so a failure is a bug, which recoverer turns
// into a 500.
func mustJSON(v any) []byte {
	if a, ok := v.(hitList); ok {
		b, err := spliceHits(a)
		if err != nil {
			panic(fmt.Errorf("encode JSON answer: %w", err))
		}
		return b
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Errorf("encode JSON answer: %w", err))
	}
	return buf.Bytes()
}
