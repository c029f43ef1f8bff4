package web

import (
	"testing"
	"testing/fstest"
)

// TestTitlesAndLinkPosts checks that a title's Markdown is shown formatted
// on the article and in lists (and escaped where it is not Markdown), and
// that a link post links out only to an http(s) address.
func TestTitlesAndLinkPosts(t *testing.T) {
	content := fstest.MapFS{
		"layout.md": {Data: []byte("---\ntitle: The `u128` layout <b>bold</b>\ndate: 2021-03-04\ntags: [rust]\nexternalUrl: https://example.org/u128\n---\n\nHow wide integers sit in memory.\n")},
		"unsafe.md": {Data: []byte("---\ntitle: A link post\ndate: 2021-03-05\ntags: [rust]\nlink: javascript:alert(1)\n---\n\nNothing to follow here.\n")},
	}
	s := newServerFor(t, content, Deps{})
	_, body := get(t, s, "/posts/layout")
	checkBody(t, body, []string{
		"<h1>The <code>u128</code> layout &lt;b&gt;bold&lt;/b&gt;</h1>",
		`This post links to <a href="https://example.org/u128" rel="noopener noreferrer">`,
	}, []string{"<h1>The `u128`", "<b>bold</b>"})
	_, body = get(t, s, "/tags/rust")
	checkBody(t, body, []string{"The <code>u128</code> layout"}, nil)
	_, body = get(t, s, "/posts/unsafe")
	checkBody(t, body, nil, []string{"javascript:", "This post links to"})
}
