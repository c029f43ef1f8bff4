package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// head is what a page adds to <head> besides its title: the canonical
// address, a description, feeds to subscribe to and Open Graph metadata.
type head struct {
	Canonical   string // a path; page makes it absolute
	Description string
	NoIndex     bool // result pages: useful to readers, noise to crawlers
	Feeds       []feedLink
	OG          *openGraph
}

type feedLink struct {
	Title, URL, Type string
}

// openGraph is the Open Graph card of an article, for link previews.
type openGraph struct {
	Type      string // "article" or "website"
	Published string // RFC 3339
	Modified  string
	Authors   []string
	Tags      []string
}

// headed is implemented by page data that sets more than the title.
type headed interface{ pageHead() head }

func headOf(data any) head {
	if h, ok := data.(headed); ok {
		return h.pageHead()
	}
	return head{}
}

func atomLink(title, u string) feedLink {
	return feedLink{Title: title, URL: u, Type: "application/atom+xml"}
}

// checkBaseURL validates the -base-url setting: an absolute http(s) URL
// without query or fragment. It returns it without a trailing slash.
func checkBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q must be an absolute http or https URL like https://archive.example.org", raw)
	}
	return strings.TrimSuffix(raw, "/"), nil
}

// baseURL is the archive's public address: the configured one, or the one
// the request came to. Feeds, sitemaps, canonical links and the OpenSearch
// description need absolute URLs.
func (s *Server) baseURL(c *gin.Context) string {
	if s.deps.BaseURL != "" {
		return s.deps.BaseURL
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	if p := c.GetHeader("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	host := c.Request.Host
	if host == "" || strings.ContainsAny(host, "/\\@ \"<>") {
		host = "localhost"
	}
	return scheme + "://" + host
}

// cacheFor is the Cache-Control of an answer that holds absolute URLs.
// Without a configured base URL they are made from the request's Host,
// which any client sets: such an answer is private, so no shared cache
// keeps one client's Host and hands it to the next.
func (s *Server) cacheFor(public string) string {
	if s.deps.BaseURL != "" {
		return public
	}
	return strings.Replace(public, "public", "private", 1)
}

func (s *Server) absURL(c *gin.Context, path string) string {
	if path == "" || strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return s.baseURL(c) + path
}

// tagURL is the address of a tag's page; a tag may hold any character,
// "/" included.
func tagURL(tag string) string { return "/tags/" + url.PathEscape(tag) }

func yearURL(year string) string { return "/archive/" + url.PathEscape(year) }
