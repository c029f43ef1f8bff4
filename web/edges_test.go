package web

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// TestPastTheLastPage: a page number after the last page is a 404 that
// names the page and, on HTML pages, links to the last page; the JSON API
// answers the same 404 naming the page parameter.
func TestPastTheLastPage(t *testing.T) {
	s := newServerFor(t, readerContent(t), Deps{})
	tests := []struct {
		name, target string
		status       int
		want         []string
		notWant      []string
	}{
		{"search past the end", "/search?q=filecoin&per_page=1&page=30", 404,
			[]string{"There is no page 30: the last page is 3.", `<a href="/search?page=3&amp;per_page=1&amp;q=filecoin">Go to the last page (3)</a>`},
			[]string{"No posts match"}},
		{"search's last page is served", "/search?q=filecoin&per_page=1&page=3", 200, []string{"page 3 of 3"}, nil},
		{"no hits: page 2 points to page 1", "/search?q=zebrafish&page=2", 404,
			[]string{"the last page is 1.", `<a href="/search?q=zebrafish">Go to the last page (1)</a>`}, nil},
		{"no hits on page 1 is still a page", "/search?q=zebrafish", 200, []string{"No posts match"}, nil},
		{"tag past the end", "/tags/filecoin?page=2", 404, []string{`<a href="/tags/filecoin">Go to the last page (1)</a>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, s, tt.target)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body:\n%s", res.StatusCode, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(body, nw) {
					t.Errorf("body has %q", nw)
				}
			}
		})
	}
	for _, target := range []string{"/api/v1/search?q=filecoin&page=30", "/api/v1/posts?page=30"} {
		res, body := get(t, s, target)
		if res.StatusCode != 404 {
			t.Fatalf("%s: status = %d, want 404; body %s", target, res.StatusCode, body)
		}
		var e errorBody
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Fatalf("%s: %v in %s", target, err, body)
		}
		if e.Error.Code != "not_found" || e.Error.Param != "page" || !strings.Contains(e.Error.Message, "the last page is 1") {
			t.Errorf("%s: error = %+v, want not_found naming page and the last page", target, e.Error)
		}
	}
	if res, body := get(t, s, "/api/v1/search?q=filecoin&page=1"); res.StatusCode != 200 {
		t.Errorf("the API's page 1 = %d: %s", res.StatusCode, body)
	}
}

// TestCountsSayPost: one post is "1 post" everywhere a count is written.
func TestCountsSayPost(t *testing.T) {
	s := newTestServer(t) // three posts, one each in 2018, 2021 and 2022
	tests := []struct{ target, want, notWant string }{
		{"/", `<span class="count">1 post</span>`, "1 posts"},
		{"/", "<p>3 posts. Search them", ""},
		{"/archive", `2018</a> <span class="count">1 post</span>`, "1 posts"},
		{"/archive/2018", `<meta name="description" content="1 post from 2018.">`, "1 posts"},
		{"/tags/p2p", `<meta name="description" content="1 post tagged p2p.">`, "1 posts"},
		{"/tags/filecoin", `<meta name="description" content="2 posts tagged filecoin.">`, ""},
	}
	for _, tt := range tests {
		res, body := get(t, s, tt.target)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", tt.target, res.StatusCode)
		}
		if !strings.Contains(body, tt.want) {
			t.Errorf("%s lacks %q", tt.target, tt.want)
		}
		if tt.notWant != "" && strings.Contains(body, tt.notWant) {
			t.Errorf("%s says %q", tt.target, tt.notWant)
		}
	}
	one := newServerFor(t, fstest.MapFS{"only.md": {Data: []byte("---\ntitle: Only\ndate: 2020-01-02\n---\n\nAlone.\n")}}, Deps{})
	_, body := get(t, one, "/")
	for _, w := range []string{"<p>1 post. Search them", "A searchable archive of the one post of"} {
		if !strings.Contains(body, w) {
			t.Errorf("one-post home lacks %q", w)
		}
	}
}

// TestHomeOlderPosts: the home page links to older posts only when there
// are more than it lists.
func TestHomeOlderPosts(t *testing.T) {
	content := func(n int) fstest.MapFS {
		fs := fstest.MapFS{}
		for i := range n {
			fs[fmt.Sprintf("p%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Post %d\ndate: 2020-01-%02d\n---\n\nText %d.\n", i, i+1, i))}
		}
		return fs
	}
	for _, tt := range []struct {
		posts int
		older bool
	}{{1, false}, {10, false}, {11, true}} {
		_, body := get(t, newServerFor(t, content(tt.posts), Deps{}), "/")
		if got := strings.Contains(body, "Older posts"); got != tt.older {
			t.Errorf("%d posts: shows Older posts = %v, want %v", tt.posts, got, tt.older)
		}
	}
}

// TestLeadingTitleHeading: a post that opens with "# Its title" shows the
// title once, and its contents start at its first real section.
func TestLeadingTitleHeading(t *testing.T) {
	var body strings.Builder
	body.WriteString("---\ntitle: Notes on Swarm Routing\ndate: 2020-03-04\n---\n\n# Notes on swarm   routing\n\nThe opening paragraph.\n\n")
	for i := 1; i <= 4; i++ {
		fmt.Fprintf(&body, "## Step %d\n\n%s\n\n", i, strings.Repeat("Peers gossip routes. ", 30))
	}
	s := newServerFor(t, fstest.MapFS{"swarm.md": {Data: []byte(body.String())}}, Deps{})
	_, page := get(t, s, "/posts/swarm")
	if n := strings.Count(strings.ToLower(page), "notes on swarm"); n != 3 {
		t.Errorf("the title is written %d times, want 3 (title, og:title, h1)", n)
	}
	if !strings.Contains(page, `<a href="#step-1">Step 1</a>`) {
		t.Errorf("contents lack the first section")
	}
	if strings.Contains(page, `href="#notes-on-swarm-routing"`) {
		t.Errorf("contents list the title")
	}
	res, js := get(t, s, "/api/v1/posts/swarm")
	if res.StatusCode != 200 || strings.Contains(js, `"level":1`) {
		t.Errorf("API headings keep the title heading (status %d)", res.StatusCode)
	}
}

// TestCorporateAuthors: a team or company is one name in every citation
// format (BibTeX in double braces), while a person's name is still split.
func TestCorporateAuthors(t *testing.T) {
	tests := []struct {
		author, bib, ris, csl string
	}{
		{"The libp2p Team", `author       = {{The libp2p Team}}`, "AU  - The libp2p Team\r\n", `{"literal":"The libp2p Team"}`},
		{"Protocol Labs", `author       = {{Protocol Labs}}`, "AU  - Protocol Labs\r\n", `{"literal":"Protocol Labs"}`},
		{"IPFS Working Group", `author       = {{IPFS Working Group}}`, "AU  - IPFS Working Group\r\n", `{"literal":"IPFS Working Group"}`},
		{"Ada Lovelace", `author       = {Ada Lovelace}`, "AU  - Lovelace, Ada\r\n", `{"family":"Lovelace","given":"Ada"}`},
		{"Ludwig van Beethoven", `author       = {Ludwig van Beethoven}`, "AU  - Beethoven, Ludwig van\r\n", `{"family":"Beethoven","given":"Ludwig van"}`},
		{"Plato", `author       = {Plato}`, "AU  - Plato\r\n", `{"literal":"Plato"}`},
	}
	for _, tt := range tests {
		ct := citation{Key: "k", Title: "T", Authors: []string{tt.author}}
		if got := bibtex(ct); !strings.Contains(got, tt.bib) {
			t.Errorf("%s: bibtex lacks %q:\n%s", tt.author, tt.bib, got)
		}
		if got := ris(ct); !strings.Contains(got, tt.ris) {
			t.Errorf("%s: ris lacks %q:\n%s", tt.author, tt.ris, got)
		}
		if got := cslJSON(ct); !strings.Contains(got, tt.csl) {
			t.Errorf("%s: csl-json lacks %q:\n%s", tt.author, tt.csl, got)
		}
	}
	two := bibtex(citation{Key: "k", Title: "T", Authors: []string{"Ada Lovelace", "The IPFS Team"}})
	if !strings.Contains(two, "author       = {Ada Lovelace and {The IPFS Team}}") {
		t.Errorf("two authors:\n%s", two)
	}
}

// TestHeadingLabelOncePerHit: three snippets under one heading show its
// label once; each snippet starts with its own words, not the heading's.
func TestHeadingLabelOncePerHit(t *testing.T) {
	var body strings.Builder
	body.WriteString("---\ntitle: Field notes\ndate: 2020-05-06\n---\n\nA lead.\n\n## Zebracoin markets\n\n")
	for i := range 3 {
		fmt.Fprintf(&body, "Traders%d met zebracoin sellers today. %s\n\n", i, strings.Repeat(fmt.Sprintf("Unrelated%d words fill the page. ", i), 20))
	}
	s := newServerFor(t, fstest.MapFS{"notes.md": {Data: []byte(body.String())}}, Deps{})
	res, page := get(t, s, "/search?q=zebracoin+traders0+traders1+traders2")
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if n := strings.Count(page, `class="fragment"`); n < 2 {
		t.Fatalf("%d fragments, want several to compare", n)
	}
	if n := strings.Count(page, `>Zebracoin markets</a>:`); n != 1 {
		t.Errorf("the heading label is shown %d times, want once", n)
	}
	if strings.Contains(page, "</a>: Zebracoin markets") || strings.Contains(page, `<p class="fragment"><mark>Zebracoin</mark> markets`) {
		t.Errorf("a snippet opens with the heading's words")
	}
}
