package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestOldFeedTarget(t *testing.T) {
	tests := map[string]string{
		"/feed.xml":               "/feed.atom", // Jekyll, Eleventy
		"/en/feed.xml":            "/feed.atom",
		"/atom.xml":               "/feed.atom", // Hexo, Zola
		"/index.xml":              "/feed.rss",  // Hugo
		"/blog/index.xml":         "/feed.rss",  // a Hugo section
		"/rss.xml":                "/feed.rss",  // Zola, Gatsby, Astro
		"/rss2.xml":               "/feed.rss",  // Hexo
		"/blog/rss.xml":           "/feed.rss",  // Docusaurus
		"/blog/atom.xml":          "/feed.atom",
		"/feeds/all.atom.xml":     "/feed.atom", // Pelican
		"/feeds/all-en.rss.xml":   "/feed.rss",
		"/feed/":                  "/feed.rss", // WordPress
		"/feed":                   "/feed.rss",
		"/feed/atom/":             "/feed.atom",
		"/feed/rss2/":             "/feed.rss",
		"/rss/":                   "/feed.rss", // Ghost
		"/Feed.XML":               "/feed.atom",
		"/categories/x/index.xml": "", // a category's feed is not the archive's
		"/blog/2024/feed.xml":     "",
		"/feed.json":              "", // another format
		"/feeds/":                 "",
		"/":                       "",
		"/posts.xml":              "",
		"/sitemap.xml":            "",
	}
	for p, want := range tests {
		if got := oldFeedTarget(p); got != want {
			t.Errorf("oldFeedTarget(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestOldFeedAddressesKeepSubscribers: a feed reader subscribed to the old
// blog's feed is sent, permanently, to the archive's feed in the same
// format, and one subscribed to a tag's feed to that tag's.
func TestOldFeedAddressesKeepSubscribers(t *testing.T) {
	content := fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: First\ndate: 2024-01-02\ntags: [ipfs]\n---\n\nText.\n")},
		"b.md": {Data: []byte("---\ntitle: Moved\ndate: 2024-01-03\naliases: [/blog/atom.xml]\n---\n\nAn odd alias.\n")},
	}
	s := newServerFor(t, content, Deps{})
	tests := []struct {
		method, target string
		code           int
		location       string
	}{
		{"GET", "/feed.xml", 301, "/feed.atom"},
		{"HEAD", "/index.xml", 301, "/feed.rss"},
		{"GET", "/feeds/all.atom.xml", 301, "/feed.atom"},
		{"GET", "/feed/", 301, "/feed.rss"},
		{"GET", "/blog/atom.xml", 301, "/posts/b"},    // a post's alias wins
		{"GET", "/posts/index.xml", 301, "/feed.rss"}, // a Hugo section named posts, past the article route
		{"GET", "/tags/ipfs/index.xml", 301, "/tags/ipfs/feed.atom"},
		{"GET", "/tags/ipfs/rss.xml/", 301, "/tags/ipfs/feed.atom"},
		{"GET", "/categories/x/index.xml", 404, ""},
		{"POST", "/feed.xml", 404, ""},
		{"GET", "/api/v1/feed.xml", 404, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
		if rec.Code != tt.code || rec.Header().Get("Location") != tt.location {
			t.Errorf("%s %s: %d to %q, want %d to %q", tt.method, tt.target, rec.Code, rec.Header().Get("Location"), tt.code, tt.location)
		}
	}
	for _, feed := range []struct{ path, kind string }{{"/feed.atom", "<feed"}, {"/feed.rss", "<rss"}, {"/tags/ipfs/feed.atom", "<feed"}} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", feed.path, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), feed.kind) || !strings.Contains(rec.Body.String(), "First") {
			t.Errorf("%s, the redirects' target: %d, want a feed holding the post", feed.path, rec.Code)
		}
	}
}
