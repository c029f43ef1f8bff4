package render

import (
	"strings"
	"testing"
)

func TestRewriteURLs(t *testing.T) {
	r := New()
	md := "![a cat](cat.png \"t\") and [the paper](./paper.pdf), [a post](other.md), [elsewhere](https://x.example/y.png)\n\n" +
		"<img src=\"/images/dog.jpg\" alt=\"dog\">\n\n```html\n<img src=\"code.png\">\n```\n\n`![not](inline.png)`\n"
	d, err := r.Render([]byte(md))
	if err != nil {
		t.Fatal(err)
	}
	seen := []string{}
	got := string(RewriteURLs(d.HTML, func(ref string) (string, bool) {
		seen = append(seen, ref)
		switch ref {
		case "cat.png":
			return "/media/c/posts/cat.png", true
		case "./paper.pdf":
			return `/media/c/a"b.pdf`, true // escaped, never breaks out
		case "/images/dog.jpg":
			return "/media/s/static/images/dog.jpg", true
		}
		return "", false
	}))
	for _, w := range []string{`src="/media/c/posts/cat.png"`, `href="/media/c/a&#34;b.pdf"`, `src="/media/s/static/images/dog.jpg"`,
		`alt="a cat"`, `href="other.md"`, `href="https://x.example/y.png"`, `&#34;code.png&#34;`, "![not](inline.png)"} {
		if !strings.Contains(got, w) {
			t.Errorf("rewritten HTML lacks %s:\n%s", w, got)
		}
	}
	if strings.Join(seen, " ") != "cat.png ./paper.pdf other.md https://x.example/y.png /images/dog.jpg" {
		t.Errorf("fn saw %q; want each URL outside code once, in order", seen)
	}
	// Nothing to change: the very same HTML.
	if same := RewriteURLs(d.HTML, func(string) (string, bool) { return "", false }); same != d.HTML {
		t.Errorf("an unchanged document was rewritten:\n%s\nwas\n%s", same, d.HTML)
	}
}
