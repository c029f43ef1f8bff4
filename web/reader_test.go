package web

import (
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
)

// readerContent is testContent plus a long post with a table of contents
// and a post with a tag holding "/".
func readerContent(tb testing.TB) fstest.MapFS {
	tb.Helper()
	c := testContent(tb)
	var long strings.Builder
	long.WriteString("---\ntitle: A long guide to Filecoin deals\ndate: 2021-07-15\nauthor: Grace Hopper\ntags: [filecoin, guides]\n---\n\nThe intro says streaming.\n\n")
	for i := 1; i <= 4; i++ {
		fmt.Fprintf(&long, "## Part %d\n\nFilecoin deals, part %d. %s\n\n### Detail %d\n\nMore words.\n\n", i, i, strings.Repeat("Storage miners keep data. ", 40), i)
	}
	c["long-guide.md"] = &fstest.MapFile{Data: []byte(long.String())}
	c["slash-tag.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Go and IPFS\ndate: 2019-03-03\ntags: [ipfs/go-ipfs]\n---\n\nGo code.\n")}
	return c
}

func TestReaderPages(t *testing.T) {
	s := newServerFor(t, readerContent(t), Deps{BaseURL: "https://archive.example/"})
	tests := []struct {
		name, target string
		status       int
		want         []string
		notWant      []string
	}{
		{"home lists tags and years", "/", 200, []string{
			`href="/tags/filecoin">filecoin <span class="count">3</span>`, `href="/archive/2021">2021</a> <span class="count">2 posts</span>`,
			`href="/feed.atom"`, `rel="search" type="application/opensearchdescription+xml"`, `<link rel="canonical" href="https://archive.example/">`}, nil},
		{"search sidebar has facets with counts", "/search?q=filecoin", 200, []string{
			`href="/search?q=filecoin&amp;tag=guides" rel="nofollow">guides <span class="count">1</span>`,
			`href="/search?from=2021&amp;q=filecoin&amp;to=2021" rel="nofollow">2021 <span class="count">2</span>`,
			`>Grace Hopper <span class="count">2</span>`, `href="/search.atom?q=filecoin"`, `<meta name="robots" content="noindex">`}, nil},
		{"an active facet removes itself", "/search?q=filecoin&tag=guides", 200, []string{
			`href="/search?q=filecoin" rel="nofollow" class="active" aria-current="true">`, "tag: guides", "Clear all filters"}, nil},
		{"browsing without words", "/search?tag=filecoin&sort=oldest", 200, []string{"<h1 class=\"results-title\">Posts</h1>", "3 posts tagged filecoin", `aria-current="true">Oldest`}, []string{">Relevance<"}},
		{"paging keeps the state", "/search?q=filecoin&per_page=1&page=2", 200, []string{
			`rel="prev" href="/search?per_page=1&amp;q=filecoin"`, `rel="next" href="/search?page=3&amp;per_page=1&amp;q=filecoin"`, `aria-current="page"><span class="visually-hidden">Page </span>2</a>`}, nil},
		{"no results offers popular tags", "/search?q=zebrafish", 200, []string{"No posts match", "Popular tags", `href="/tags/filecoin"`}, nil},
		{"article has toc, prev/next, related and open graph", "/posts/long-guide", 200, []string{
			`<details class="fold toc">`, `<nav aria-labelledby="toc-title">`, `<a href="#part-1">Part 1</a><ol>`, `<a href="#detail-1">Detail 1</a>`,
			`rel="prev"><span class="label">← Older</span> Storage markets on Filecoin`, `rel="next"><span class="label">Newer →</span> &lt;img src=x onerror=alert(1)&gt; evil`,
			`<h2 id="related-title">Related posts</h2>`, `<link rel="canonical" href="https://archive.example/posts/long-guide">`,
			`<meta property="og:title" content="A long guide to Filecoin deals">`, `<meta property="article:published_time" content="2021-07-15T00:00:00Z">`,
			`min read`}, nil},
		{"short article has no toc", "/posts/filecoin-markets", 200, []string{"Storage markets"}, []string{`class="toc"`}},
		{"highlight marks the words", "/posts/long-guide?highlight=stream", 200, []string{
			`The intro says <mark class="hl" id="first-match">streaming</mark>.`, `<a href="#first-match">1 match</a>`, "Remove highlighting"}, nil},
		{"hostile highlight is inert", "/posts/evil?highlight=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E+streaming", 200, []string{
			`&lt;img src=x onerror=alert(1)&gt; streaming`, `<mark class="hl" id="first-match">streaming</mark>`}, []string{"<img src=x"}},
		{"tag index", "/tags", 200, []string{`href="/tags/guides">guides <span class="count">1</span>`, `href="/tags/ipfs%2Fgo-ipfs"`}, nil},
		{"tag page", "/tags/filecoin", 200, []string{"Posts tagged <q>filecoin</q>", "3 posts", `href="/tags/filecoin/feed.atom"`, `href="/posts/long-guide"`}, nil},
		{"tag with a slash", "/tags/ipfs%2Fgo-ipfs", 200, []string{"Posts tagged <q>ipfs/go-ipfs</q>", `href="/posts/slash-tag"`}, nil},
		{"hostile tag page is escaped", "/tags/%3Cb%3Ebold%3C%2Fb%3E", 200, []string{"Posts tagged <q>&lt;b&gt;bold&lt;/b&gt;</q>"}, []string{"<b>bold</b>"}},
		{"unknown tag is a 404", "/tags/nothing-here", 404, []string{"No post has the tag", `value="nothing here"`}, nil},
		{"archive lists years", "/archive", 200, []string{`href="/archive/2018">2018</a>`, "5 posts"}, nil},
		{"year page groups by month", "/archive/2021", 200, []string{`<h2 id="m-june">June 2021</h2>`, `<h2 id="m-july">July 2021</h2>`, `rel="prev"><span class="label">← Older</span> 2019`}, nil},
		{"empty year is a 404", "/archive/1999", 404, []string{"no posts from 1999"}, nil},
		{"not a year is a 404", "/archive/abc", 404, []string{"Page not found"}, nil},
		{"404 offers a search from the address", "/posts/storage-deals-explained", 404, []string{`value="storage deals explained"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, s, tt.target)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body:\n%s", res.StatusCode, tt.status, body)
			}
			checkBody(t, body, tt.want, tt.notWant)
		})
	}
}

func TestTagAddressesAreNormalised(t *testing.T) {
	s := newServerFor(t, readerContent(t), Deps{})
	res, _ := get(t, s, "/tags/FileCoin/feed.atom")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/tags/filecoin/feed.atom" {
		t.Errorf("got %d to %q, want 301 to /tags/filecoin/feed.atom", res.StatusCode, res.Header.Get("Location"))
	}
}

// atomDoc is what a feed reader reads of an Atom feed.
type atomDoc struct {
	Title string `xml:"title"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		Title   string `xml:"title"`
		ID      string `xml:"id"`
		Content string `xml:"content"`
	} `xml:"entry"`
}

func TestFeeds(t *testing.T) {
	s := newServerFor(t, readerContent(t), Deps{BaseURL: "https://archive.example"})
	tests := []struct {
		target, contentType, self string
		entries                   int
	}{
		{"/feed.atom", "application/atom+xml", "https://archive.example/feed.atom", 5},
		{"/tags/filecoin/feed.atom", "application/atom+xml", "https://archive.example/tags/filecoin/feed.atom", 3},
		{"/search.atom?q=filecoin&tag=guides", "application/atom+xml", "https://archive.example/search.atom?q=filecoin&tag=guides", 1},
		{"/search.atom?q=zebrafish", "application/atom+xml", "https://archive.example/search.atom?q=zebrafish", 0},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, s, tt.target)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.contentType) {
				t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			var f atomDoc
			if err := xml.Unmarshal([]byte(body), &f); err != nil {
				t.Fatalf("not XML: %v\n%s", err, body)
			}
			if len(f.Entries) != tt.entries {
				t.Errorf("entries = %d, want %d", len(f.Entries), tt.entries)
			}
			if len(f.Links) == 0 || f.Links[0].Rel != "self" || f.Links[0].Href != tt.self {
				t.Errorf("links = %+v, want self %s", f.Links, tt.self)
			}
		})
	}
	t.Run("hostile post stays text", func(t *testing.T) {
		_, body := get(t, s, "/feed.atom")
		var f atomDoc
		if err := xml.Unmarshal([]byte(body), &f); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range f.Entries {
			if e.ID == "https://archive.example/posts/evil" {
				found = true
				if e.Title != "<img src=x onerror=alert(1)> evil" || strings.Contains(e.Content, "<script") || strings.Contains(e.Content, `href="javascript`) {
					t.Errorf("entry = %+v", e)
				}
			}
		}
		if !found || strings.Contains(body, "<img src=x") {
			t.Errorf("evil entry found %v; raw feed:\n%s", found, body)
		}
	})
	t.Run("rss", func(t *testing.T) {
		res, body := get(t, s, "/feed.rss")
		var f struct {
			Items []struct{ Title, Link string } `xml:"channel>item"`
		}
		if err := xml.Unmarshal([]byte(body), &f); err != nil || res.StatusCode != 200 || len(f.Items) != 5 {
			t.Fatalf("status %d, %d items, err %v", res.StatusCode, len(f.Items), err)
		}
	})
}

func TestDiscovery(t *testing.T) {
	s := newServerFor(t, readerContent(t), Deps{BaseURL: "https://archive.example"})
	tests := []struct {
		target, contentType string
		want                []string
	}{
		{"/sitemap.xml", "application/xml", []string{"<loc>https://archive.example/posts/long-guide</loc>", "<lastmod>2021-07-15</lastmod>",
			"<loc>https://archive.example/tags/ipfs%2Fgo-ipfs</loc>", "<loc>https://archive.example/archive/2019</loc>"}},
		{"/robots.txt", "text/plain", []string{"Sitemap: https://archive.example/sitemap.xml", "Disallow: /api/"}},
		{"/opensearch.xml", "application/opensearchdescription+xml", []string{
			`template="https://archive.example/search?q={searchTerms}"`, `type="application/x-suggestions+json"`}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, s, tt.target)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.contentType) {
				t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
		})
	}
}

func TestSuggestAPI(t *testing.T) {
	s := newServerFor(t, readerContent(t), Deps{})
	res, body := get(t, s, "/api/v1/suggest?q=storage+fil")
	var out struct {
		Completions []string
		Posts       []struct{ Title, URL string }
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || res.StatusCode != 200 {
		t.Fatalf("status %d, %v: %s", res.StatusCode, err, body)
	}
	if len(out.Completions) == 0 || out.Completions[0] != "storage filecoin" {
		t.Errorf("completions = %v, want \"storage filecoin\" first", out.Completions)
	}
	if len(out.Posts) == 0 || out.Posts[0].URL != "/posts/filecoin-markets" {
		t.Errorf("posts = %+v, want the storage markets post", out.Posts)
	}
	_, body = get(t, s, "/api/v1/suggest?q=fil&format=opensearch")
	if !strings.HasPrefix(body, `["fil",["filecoin"`) {
		t.Errorf("opensearch suggestions = %s", body)
	}
	for _, bad := range []string{"/api/v1/suggest?q=fil&format=xml", "/api/v1/suggest?q=" + strings.Repeat("a", 201)} {
		if res, _ := get(t, s, bad); res.StatusCode != 400 {
			t.Errorf("%s: status %d, want 400", bad[:40], res.StatusCode)
		}
	}
}

func TestCompression(t *testing.T) {
	s := newTestServer(t)
	_, plain := get(t, s, "/")
	tests := []struct {
		name, method, accept string
		wantGzip             bool
	}{
		{"gzip accepted", http.MethodGet, "gzip, deflate, br", true},
		{"not accepted", http.MethodGet, "", false},
		{"refused with q=0", http.MethodGet, "gzip;q=0, identity", false},
		{"head is never compressed", http.MethodHead, "gzip", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/", nil)
			req.Header.Set("Accept-Encoding", tt.accept)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tt.wantGzip {
				t.Fatalf("gzip = %v, want %v", got, tt.wantGzip)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary = %q", rec.Header().Get("Vary"))
			}
			if !tt.wantGzip {
				return
			}
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(zr)
			if err != nil || string(b) != plain {
				t.Errorf("decompressed body differs from the plain one (err %v)", err)
			}
		})
	}
}

func TestPagerNumbers(t *testing.T) {
	tests := []struct {
		page  int
		total uint64
		want  string
	}{
		{1, 5, ""},
		{1, 30, "[1] 2 3"},
		{6, 200, "1 … 4 5 [6] 7 8 … 20"},
		{20, 200, "1 … 18 19 [20]"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.page, "/", tt.total), func(t *testing.T) {
			p := newPager("/search", url.Values{"q": {"x"}}, tt.page, 10, tt.total)
			var parts []string
			for _, n := range p.Numbers {
				switch {
				case n.Gap:
					parts = append(parts, "…")
				case n.Current:
					parts = append(parts, fmt.Sprintf("[%d]", n.N))
				default:
					parts = append(parts, fmt.Sprint(n.N))
				}
			}
			if got := strings.Join(parts, " "); got != tt.want {
				t.Errorf("numbers = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBadBaseURLFailsFast(t *testing.T) {
	for _, bad := range []string{"archive.example", "ftp://x", "https://x/?q=1"} {
		if _, err := New(Deps{BaseURL: bad}); err == nil || !strings.Contains(err.Error(), "base URL") {
			t.Errorf("BaseURL %q: err = %v, want a base URL error", bad, err)
		}
	}
}
