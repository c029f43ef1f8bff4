package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLinksToPostFilesOpenThePosts: links to another post's source file,
// in Pelican's, Zola's and plain Markdown's forms, point at that post's
// page, whatever its slug; other links are left as written.
func TestLinksToPostFilesOpenThePosts(t *testing.T) {
	content := fstest.MapFS{
		"blog/2024-09-13-first-part.md": {Data: []byte("---\ntitle: First part\ndate: 2024-09-13\nslug: strings-one\n---\n\n## Intro\n\nText.\n")},
		"blog/second.md": {Data: []byte("---\ntitle: Second part\ndate: 2024-09-20\n---\n\n" +
			"See the [first post] and [its intro](@/blog/2024-09-13-first-part.md#intro),\n" +
			"[again](./2024-09-13-first-part.md), [old style](|filename|/blog/2024-09-13-first-part.md),\n" +
			"[gone](./nope.md) and [elsewhere](https://example.org/README.md).\n\n" +
			"[first post]: {filename}./2024-09-13-first-part.md\n")},
	}
	s := newServerFor(t, content, Deps{})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/posts/second", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body, _ := io.ReadAll(rec.Body)
	page := string(body)
	for text, want := range map[string]string{
		"first post": "/posts/strings-one",
		"its intro":  "/posts/strings-one#intro",
		"again":      "/posts/strings-one",
		"old style":  "/posts/strings-one",
		"gone":       "./nope.md",
		"elsewhere":  "https://example.org/README.md",
	} {
		m := regexp.MustCompile(`<a href="([^"]*)"[^>]*>` + text + `</a>`).FindStringSubmatch(page)
		if m == nil || m[1] != want {
			t.Errorf("link %q: %q, want href %q", text, m, want)
		}
	}
	if strings.Contains(page, "filename") {
		t.Error("a {filename} link was left as written")
	}
}
