package web

import (
	"fmt"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMatchNearTop: the article's class that keeps the page still is set
// only when the first highlighted word comes within a phone screen of the
// body's start.
func TestMatchNearTop(t *testing.T) {
	mark := `<mark class="hl" id="first-match">cat</mark>`
	para := "<p>" + strings.Repeat("word ", 40) + "</p>\n" // 200 characters: five phone lines and a margin
	tests := []struct {
		name  string
		body  string
		marks int
		want  bool
	}{
		{"first word", "<p>" + mark + " sat.</p>", 1, true},
		{"after one paragraph", para + "<p>the " + mark + "</p>", 1, true},
		{"after three paragraphs", strings.Repeat(para, 3) + "<p>the " + mark + "</p>", 1, false},
		{"after a picture", `<p><img src="/media/x.png" alt="x"></p><p>` + mark + "</p>", 1, false},
		{"after a table", "<table><tr><td>a</td></tr></table><p>" + mark + "</p>", 1, false},
		{"after a long code block", "<pre><code>" + strings.Repeat("x\n", 12) + "</code></pre><p>" + mark + "</p>", 1, false},
		{"after a heading and a short paragraph", `<h2 id="a">A</h2><p>Short.</p><p>` + mark + "</p>", 1, true},
		{"no marks", "<p>cat</p>", 0, false},
		{"marks but no anchor", `<p><mark class="hl">cat</mark></p>`, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := articlePage{article: &article{Body: template.HTML(tt.body)}, Marks: tt.marks}
			if got := a.MatchNearTop(); got != tt.want {
				t.Errorf("MatchNearTop = %v, want %v (estimated %d lines)", got, tt.want, linesBefore(tt.body, 1000))
			}
		})
	}
}

// TestLinesBeforeIsBounded: the estimate stops reading once it has passed
// the limit, whatever follows.
func TestLinesBeforeIsBounded(t *testing.T) {
	h := strings.Repeat("<p>a</p>", 100000)
	if n := linesBefore(h, 10); n > 13 {
		t.Errorf("linesBefore counted %d lines with a limit of 10", n)
	}
}

// TestFacetGroupFolds: a facet shows shownFacetItems values and folds the
// rest, except a value in use, which is always shown.
func TestFacetGroupFolds(t *testing.T) {
	var items []facetItem
	for i := range 14 {
		items = append(items, facetItem{Label: string(rune('a' + i)), Count: 20 - i, Active: i == 12})
	}
	g := newFacetGroup("facet-tags", "Tags", items)
	if len(g.Items) != shownFacetItems+1 || len(g.More) != 3 || g.Total() != 14 {
		t.Fatalf("shown %d, folded %d, total %d; want %d, 3, 14", len(g.Items), len(g.More), g.Total(), shownFacetItems+1)
	}
	if last := g.Items[len(g.Items)-1]; !last.Active || last.Label != "m" {
		t.Errorf("the active value is not shown: %+v", last)
	}
	for _, it := range g.More {
		if it.Active {
			t.Errorf("an active value is folded: %+v", it)
		}
	}
	if g := newFacetGroup("facet-years", "Years", items[:3]); len(g.More) != 0 || len(g.Items) != 3 {
		t.Errorf("a short facet folds: %+v", g)
	}
}

// TestDesignPages: the markup the stylesheet's grid and folds rely on.
func TestDesignPages(t *testing.T) {
	s := newServerFor(t, readerContent(t), Deps{BaseURL: "https://archive.example/"})
	tests := []struct {
		name, target  string
		want, notWant []string
	}{
		{"results fold their facets behind a Filters button", "/search?q=filecoin", []string{
			`<details class="fold filters" id="filters">`, "<summary>Filters</summary>", `<aside class="sidebar facets" aria-labelledby="refine-title">`,
			`<div class="results">`, `<a href="/tags">Every tag in the archive →</a>`}, nil},
		{"the Filters button counts the filters in use", "/search?q=filecoin&tag=guides", []string{
			`<summary>Filters <span class="count">(1 in use)</span></summary>`}, nil},
		{"no results, no facets to fold", "/search?q=zebrafish", []string{"No posts match"}, []string{`class="fold filters"`}},
		{"a long article folds its contents", "/posts/long-guide", []string{
			`<article class="post has-toc">`, `<details class="fold toc">`, "<summary>Contents</summary>"}, nil},
		{"a first match on the first screen keeps the page still", "/posts/long-guide?highlight=stream", []string{
			`<article class="post has-toc match-near-top">`}, nil},
		{"a short article has no contents", "/posts/filecoin-markets", []string{`<article class="post">`}, []string{"has-toc"}},
		{"the menu says Subscribe, not Feed", "/", []string{`<a href="/subscribe">Subscribe</a>`}, []string{`<a href="/feed.atom">Feed</a>`}},
		{"the subscribe page explains feeds", "/subscribe", []string{
			"<title>Subscribe · ", `<h1 id="subscribe-title">Subscribe</h1>`, "A feed reader",
			`<a class="feed" href="https://archive.example/feed.atom"><code>https://archive.example/feed.atom</code></a>`,
			`href="https://archive.example/feed.rss"`, "<code>https://archive.example/tags/&lt;tag&gt;/feed.atom</code>",
			`<a href="/subscribe" aria-current="page">Subscribe</a>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, s, tt.target)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			checkBody(t, body, tt.want, tt.notWant)
		})
	}
}

// TestHomeTagsFold: the home page shows the 12 commonest of many tags and
// folds the rest behind "Show all"; with few tags it folds nothing.
func TestHomeTagsFold(t *testing.T) {
	posts := fstest.MapFS{}
	for i := range 20 {
		posts[fmt.Sprintf("p%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Post %d\ndate: 2020-01-%02d\ntags: [common, tag%02d]\n---\n\nText.\n", i, i+1, i))}
	}
	_, body := get(t, newServerFor(t, posts, Deps{}), "/")
	_, folded, ok := strings.Cut(body, `<details class="more">`)
	if !ok {
		t.Fatal("the home page's 21 tags are not folded")
	}
	_, side, _ := strings.Cut(body, `id="home-tags"`)
	shown := strings.Count(strings.SplitN(side, `<details class="more">`, 2)[0], `<a href="/tags/`)
	hidden := strings.Count(strings.SplitN(folded, "</details>", 2)[0], `<a href="/tags/`)
	if !strings.Contains(folded, "Show all 21") || hidden != 9 {
		t.Errorf("folded %d tags, want 9 behind Show all 21", hidden)
	}
	if shown != 12 {
		t.Errorf("%d tags before the fold, want the 12 commonest", shown)
	}
	_, body = get(t, newTestServer(t), "/")
	if strings.Contains(body, `<details class="more">`) {
		t.Error("a home page with few tags folds them")
	}
}
