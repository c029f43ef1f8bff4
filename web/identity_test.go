package web

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blust/archive/internal/site"
)

// repoSite is the identity the repository's own content folder gives.
func repoSite(tb testing.TB) site.Site {
	tb.Helper()
	s, _, err := site.Load("../content")
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// The repository's pages, feeds and OpenSearch description say what
// content/site.yaml says.
func TestRepositoryIdentity(t *testing.T) {
	id := repoSite(t)
	if id.Title != "Blust Archive" || id.Description == "" || id.Footer == "" {
		t.Fatalf("content/site.yaml gives %+v; want a title, description and footer", id)
	}
	s := newServerFor(t, testContent(t), Deps{Site: id})
	desc := escapeHTML(id.Description)
	tests := []struct {
		target string
		want   []string
	}{
		{"/", []string{"<title>" + id.Title + "</title>", `<meta name="description" content="` + desc + `">`,
			`<h1 id="site-title">` + desc + "</h1>", escapeHTML(id.Footer), `<html lang="en">`}},
		{"/tags", []string{"<title>Tags · " + id.Title + "</title>", escapeHTML(id.Footer)}},
		{"/feed.atom", []string{"<title type=\"text\">" + id.Title + "</title>", "<subtitle type=\"text\">" + desc + "</subtitle>", `xml:lang="en"`}},
		{"/feed.rss", []string{"<title>" + id.Title + "</title>", "<description>" + desc + "</description>", "<language>en</language>"}},
		{"/opensearch.xml", []string{"<ShortName>" + id.Title + "</ShortName>", "Search the posts of " + id.Title}},
	}
	for _, tt := range tests {
		res, body := get(t, s, tt.target)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", tt.target, res.StatusCode)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tt.target, w)
			}
		}
	}
	// The header names the site; the home page's own content does not
	// name it again.
	_, home := get(t, s, "/")
	if _, main, _ := strings.Cut(home, `<main id="main"`); strings.Contains(strings.SplitN(main, "</main>", 2)[0], id.Title) {
		t.Errorf("the home page's content repeats the site's name %q", id.Title)
	}
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// topicWords are the repository's own name and topics: an archive of
// another blog must never show them unless its site.yaml does.
var topicWords = regexp.MustCompile(`(?i)blust|p2p|peer-to-peer|peer to peer|blockchain|filecoin|ipfs|libp2p|streaming|distributed ledger`)

// gardenContent is a blog about something else entirely.
func gardenContent() fstest.MapFS {
	return fstest.MapFS{
		"tomatoes.md": {Data: []byte("---\ntitle: Growing tomatoes\ndate: 2020-05-01\nauthor: Pat Gardener\ntags: [vegetables]\n---\n\nStake them early and water at the root.\n")},
		"roses.md":    {Data: []byte("---\ntitle: Pruning roses\ndate: 2021-02-11\ntags: [flowers]\n---\n\nCut above an outward-facing bud.\n")},
	}
}

// Without a site.yaml nothing the archive shows names Blust or any topic
// of its own: only the posts speak.
func TestNoSiteNamesNoTopic(t *testing.T) {
	s := newServerFor(t, gardenContent(), Deps{})
	for _, target := range []string{"/", "/help/search", "/tags", "/tags/flowers", "/archive", "/archive/2020", "/posts/tomatoes",
		"/search?q=tomato", "/search?q=zzzzqx", "/feed.atom", "/feed.rss", "/tags/flowers/feed.atom", "/search.atom?q=roses",
		"/opensearch.xml", "/sitemap.xml", "/no/such/page", "/api/v1/posts/tomatoes/cite?format=bibtex",
		"/api/v1/posts/tomatoes/cite?format=ris", "/api/v1/posts/tomatoes/cite?format=csl-json"} {
		res, body := get(t, s, target)
		if res.StatusCode != 200 && res.StatusCode != 404 {
			t.Errorf("%s: status %d", target, res.StatusCode)
		}
		if m := topicWords.FindString(body); m != "" {
			i := strings.Index(body, m)
			t.Errorf("%s names %q: …%s…", target, m, body[max(0, i-80):min(len(body), i+80)])
		}
	}
	_, home := get(t, s, "/")
	for _, w := range []string{"<title>Archive</title>", `<meta name="description" content="A searchable archive of the 2 posts of Archive.">`} {
		if !strings.Contains(home, w) {
			t.Errorf("home lacks %q", w)
		}
	}
	_, cite := get(t, s, "/api/v1/posts/tomatoes/cite?format=csl-json")
	if !strings.Contains(cite, `"container-title":"Archive"`) {
		t.Errorf("the citation's container is not the default title: %s", cite)
	}
}

// A site's language, navigation, footer and licence reach every page and
// feed, escaped, with only safe links made live.
func TestSiteIdentityOnPages(t *testing.T) {
	id := site.Site{Title: "Gärten & Co", Description: "Notes <from> the garden.", Language: "de", Author: "Die Gärtner",
		Nav:     []site.Link{{Title: "Home site", URL: "https://garden.example/"}},
		Footer:  "Written in [the shed](https://garden.example/shed) and [nowhere](javascript:alert(1)).",
		License: "Text: [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)"}
	s := newServerFor(t, gardenContent(), Deps{Site: id})
	_, home := get(t, s, "/")
	for _, w := range []string{`<html lang="de">`, "<title>Gärten &amp; Co</title>", `<li><a href="https://garden.example/">Home site</a></li>`,
		`<a href="https://garden.example/shed">the shed</a>`, "[nowhere](javascript:alert(1))",
		`<p class="license">Text: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a></p>`,
		`content="Notes &lt;from&gt; the garden."`} {
		if !strings.Contains(home, w) {
			t.Errorf("home lacks %q", w)
		}
	}
	if strings.Contains(home, `href="javascript:`) || strings.Contains(home, "<from>") {
		t.Error("a javascript: link or the raw description reached the page")
	}
	_, atom := get(t, s, "/feed.atom")
	for _, w := range []string{`xml:lang="de"`, "<name>Die Gärtner</name>", "Notes &lt;from&gt; the garden."} {
		if !strings.Contains(atom, w) {
			t.Errorf("atom feed lacks %q", w)
		}
	}
}

func TestLinkify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain & simple", "plain &amp; simple"},
		{"[a](https://x.example/?q=1&r=2) b", `<a href="https://x.example/?q=1&amp;r=2">a</a> b`},
		{"[site](/tags)", `<a href="/tags">site</a>`},
		{"[x](//evil.example)", "[x](//evil.example)"},
		{"[<b>](https://x.example)", `<a href="https://x.example">&lt;b&gt;</a>`},
		{`[q](https://x.example/"onmouseover=)`, `<a href="https://x.example/&#34;onmouseover=">q</a>`},
	}
	for _, tt := range tests {
		if got := string(linkify(tt.in)); got != tt.want {
			t.Errorf("linkify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The help page's examples are made of the archive's own words, and each
// of them finds posts.
func TestHelpExamplesUseTheArchivesWords(t *testing.T) {
	s := newServerFor(t, gardenContent(), Deps{})
	w := helpWordsOf(context.Background(), s.deps.Index)
	if w.A != "flowers" || w.B != "vegetables" || w.Author != "Pat Gardener" || w.First != 2020 || w.Last != 2021 {
		t.Errorf("help words %+v; want the garden's tags, author and years", w)
	}
	_, page := get(t, s, "/help/search")
	for _, want := range []string{`<code>flowers vegetables release</code>`, `author:&#34;Pat Gardener&#34;`, "date:2020..2021"} {
		if !strings.Contains(page, want) {
			t.Errorf("help page lacks %s", want)
		}
	}
	for _, q := range []string{w.A, `author:"` + w.Author + `"`, "date:" + strconv.Itoa(w.First) + ".." + strconv.Itoa(w.Last)} {
		_, body := get(t, s, "/api/v1/search?q="+url.QueryEscape(q))
		if strings.Contains(body, `"total":0`) {
			t.Errorf("example %s finds nothing: %.200s", q, body)
		}
	}
}
