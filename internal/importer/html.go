package importer

import (
	"bytes"
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/blust/archive/internal/post"
)

var errNotText = errors.New("not UTF-8 text")

// page is what the head and markup of an HTML page say about its post.
type page struct {
	title, summary, canonical string
	date                      time.Time
	authors, tags             []string
}

// importHTML reads one blog post page: its metadata from the usual meta
// tags (Open Graph, article:*, author, keywords, <time datetime>), its
// text from <article>, <main> or the body, without the page furniture.
func importHTML(name string, data []byte) (*Result, error) {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	r := &Result{}
	root := contentRoot(doc)
	pg := readPage(doc, root)
	if pg.title == "" {
		r.note("no title found (<h1>, og:title or <title>); nothing imported")
		return r, nil
	}
	if pg.date.IsZero() {
		r.note("no publication date found (<time datetime>, article:published_time, a date meta tag); %q not imported: add the date to the page or write the post by hand", pg.title)
		return r, nil
	}
	removeTitle(root, pg.title)
	c := &converter{r: r, from: filepath.Base(name)}
	src := post.Source{Title: pg.title, Date: pg.date, Authors: pg.authors, Tags: pg.tags, Summary: pg.summary, Body: c.markdown(root)}
	old := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if pg.canonical != "" {
		src.Aliases = []string{urlPath(pg.canonical)}
		old = ""
	}
	r.Posts = append(r.Posts, Post{Slug: slugFor(old, pg.canonical, pg.title), Source: src, From: name})
	return r, nil
}

// contentRoot is the element holding the post's text.
func contentRoot(doc *html.Node) *html.Node {
	for _, match := range []func(*html.Node) bool{
		func(n *html.Node) bool { return n.DataAtom == atom.Article },
		func(n *html.Node) bool { return n.DataAtom == atom.Main || attr(n, "role") == "main" },
		func(n *html.Node) bool {
			return hasClass(n, "entry-content") || hasClass(n, "post-content") || hasClass(n, "post-body")
		},
		func(n *html.Node) bool { return n.DataAtom == atom.Body },
	} {
		if n := find(doc, match); n != nil {
			return n
		}
	}
	return doc
}

func readPage(doc, root *html.Node) page {
	var pg page
	metas := map[string][]string{}
	walk(doc, func(n *html.Node) {
		if n.DataAtom == atom.Meta {
			key := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
			if v := strings.TrimSpace(attr(n, "content")); key != "" && v != "" {
				metas[key] = append(metas[key], v)
			}
		}
		if n.DataAtom == atom.Link && strings.EqualFold(attr(n, "rel"), "canonical") {
			pg.canonical = attr(n, "href")
		}
	})
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := metas[k]; len(v) > 0 {
				return v[0]
			}
		}
		return ""
	}
	if h1 := find(root, func(n *html.Node) bool { return n.DataAtom == atom.H1 }); h1 != nil {
		pg.title = collapseSpace(strings.TrimSpace(textContent(h1)))
	}
	if pg.title == "" {
		pg.title = first("og:title", "twitter:title")
	}
	if t := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Title }); pg.title == "" && t != nil {
		pg.title = collapseSpace(strings.TrimSpace(textContent(t)))
	}
	pg.date = pageDate(doc, first("article:published_time", "og:published_time", "datepublished", "date", "pubdate", "dc.date"))
	if a := first("author", "article:author", "dc.creator"); a != "" && !strings.Contains(a, "://") {
		pg.authors = []string{a}
	} else if a := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && strings.Contains(attr(n, "rel"), "author") }); a != nil {
		pg.authors = []string{collapseSpace(strings.TrimSpace(textContent(a)))}
	}
	pg.tags = append(pg.tags, metas["article:tag"]...)
	if len(pg.tags) == 0 {
		for _, k := range metas["keywords"] {
			pg.tags = append(pg.tags, splitTrim(k, ",")...)
		}
	}
	walk(doc, func(n *html.Node) {
		if n.DataAtom == atom.A && strings.Contains(" "+attr(n, "rel")+" ", " tag ") {
			pg.tags = append(pg.tags, collapseSpace(strings.TrimSpace(textContent(n))))
		}
	})
	pg.summary = first("description", "og:description")
	if pg.canonical == "" {
		pg.canonical = first("og:url")
	}
	return pg
}

// pageDate is the meta date, else the first <time datetime> on the page.
func pageDate(doc *html.Node, meta string) time.Time {
	if t, ok := parseDate(meta); ok {
		return t
	}
	var found time.Time
	walk(doc, func(n *html.Node) {
		if found.IsZero() && n.DataAtom == atom.Time {
			v := attr(n, "datetime")
			if v == "" {
				v = textContent(n)
			}
			if t, ok := parseDate(v); ok {
				found = t
			}
		}
	})
	return found
}

// removeTitle drops the heading that repeats the title: the front matter
// carries it.
func removeTitle(root *html.Node, title string) {
	h := find(root, func(n *html.Node) bool {
		return n.DataAtom == atom.H1 && collapseSpace(strings.TrimSpace(textContent(n))) == title
	})
	if h == nil || h.Parent == nil {
		return
	}
	// An article's own <header> holds the title and a byline the front
	// matter now carries; the page's header is outside root.
	if p := h.Parent; p.DataAtom == atom.Header && p != root && p.Parent != nil {
		p.Parent.RemoveChild(p)
		return
	}
	h.Parent.RemoveChild(h)
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if f := find(ch, match); f != nil {
			return f
		}
	}
	return nil
}

func walk(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		walk(ch, fn)
	}
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func splitTrim(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// urlPath is the path of an absolute or relative URL that names a post
// by its path: "" when it has none, or when a query names the post
// instead (WordPress's /?p=412).
func urlPath(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Path == "" || u.RawQuery != "" {
		return ""
	}
	return u.Path
}

// htmlToMarkdown converts an HTML fragment (a feed item's content).
func (c *converter) fragment(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		c.r.note("%s: content is not HTML (%v); kept as text", c.from, err)
		return escapeInline(s)
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	return c.markdown(body)
}
