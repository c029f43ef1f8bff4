package web

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"

	"github.com/blust/archive/index"
)

const seedSlug = "p2p-and-blockchain-have-come-of-age"

func testContent(tb testing.TB) fstest.MapFS {
	tb.Helper()
	seed, err := os.ReadFile("../content/" + seedSlug + ".md")
	if err != nil {
		tb.Fatalf("read seed post: %v", err)
	}
	return fstest.MapFS{
		seedSlug + ".md": {Data: seed},
		"filecoin-markets.md": {Data: []byte("---\ntitle: Storage markets on Filecoin\ndate: 2021-06-01\nauthor: Grace Hopper\ntags: [filecoin]\n---\n\n" +
			"An intro.\n\n## Deals\n\nFilecoin storage deals pay miners in FIL.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")},
		"evil.md": {Data: []byte("---\ntitle: <img src=x onerror=alert(1)> evil\ndate: 2022-02-02\ntags: [\"<b>bold</b>\"]\n---\n\n" +
			"<script>alert('post')</script> streaming [click](javascript:alert(1)) done.\n")},
	}
}

// newTestServer builds a real index from the content and serves it.
func newTestServer(tb testing.TB) *Server {
	tb.Helper()
	return newServerFor(tb, testContent(tb), Deps{})
}

// newServerFor builds a real index of content and serves it with d's
// settings (its Index and Content are filled in).
func newServerFor(tb testing.TB, content fs.FS, d Deps) *Server {
	tb.Helper()
	d.Index, d.Content = openTestIndex(tb, content), content
	s, err := New(d)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// openTestIndex builds a real index of content in a temporary folder and
// opens it with opts; it is closed when the test ends.
func openTestIndex(tb testing.TB, content fs.FS, opts ...index.Option) *index.Index {
	tb.Helper()
	store, err := index.NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := store.Build(context.Background(), index.BuildOptions{Content: content}); err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Open(store, nil, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func get(tb testing.TB, h http.Handler, target string) (*http.Response, string) {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestPages(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		name, target string
		status       int
		want         []string
		notWant      []string
	}{
		{"home lists latest posts", "/", 200,
			[]string{`href="/posts/` + seedSlug + `"`, "P2P (Peer to Peer) and Blockchain Have Come of Age", `role="search"`}, nil},
		{"tags link to their page, escaped once", "/posts/evil", 200, []string{`href="/tags/%3Cb%3Ebold%3C%2Fb%3E"`}, nil},
		{"search shows marked snippets", "/search?q=p2p", 200,
			[]string{`<a href="/posts/` + seedSlug + `?highlight=p2p#first-match">`, "<mark>p2p</mark>", "20 September 2018", "Rhett Sampson", `href="/tags/blockchain"`}, nil},
		{"phrase search", "/search?q=%22Tron+buying+BitTorrent%22", 200, []string{"<mark>Tron buying BitTorrent</mark>", "1 post"}, nil},
		{"no hits offers help", "/search?q=zebrafish", 200, []string{"No posts match", "Check the spelling"}, []string{`class="hit"`}},
		{"query is escaped", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", 200, []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert(1)"}},
		{"article renders markdown", "/posts/filecoin-markets", 200,
			[]string{"<h1>Storage markets on Filecoin</h1>", `id="deals"`, "<table>", "min read", "Grace Hopper"}, nil},
		{"article of the seed post", "/posts/" + seedSlug, 200, []string{"Tron buying BitTorrent", "Rhett Sampson", `<time datetime="2018-09-20">`}, nil},
		{"hostile post is inert", "/posts/evil", 200, []string{"&lt;img src=x onerror=alert(1)&gt; evil"},
			[]string{"<script>alert('post')", `href="javascript:`, "<img src=x onerror", "<b>bold</b>"}},
		{"unknown post is a real 404", "/posts/nope", 404, []string{"Page not found", `name="q"`}, nil},
		{"unknown page is a 404", "/nowhere", 404, []string{"Page not found"}, nil},
		{"bad page number is a 400 page", "/search?q=p2p&page=zero", 400, []string{"page must be a whole number"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, s, tt.target)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body:\n%s", res.StatusCode, tt.status, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q", ct)
			}
			checkBody(t, body, tt.want, tt.notWant)
		})
	}
}

func TestSecurityHeadersOnPages(t *testing.T) {
	s := newTestServer(t)
	res, _ := get(t, s, "/")
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") == "" {
		t.Errorf("headers = %v", res.Header)
	}
}

func TestAssetsAreFingerprintedAndCached(t *testing.T) {
	s := newTestServer(t)
	_, body := get(t, s, "/")
	m := regexp.MustCompile(`href="(/static/style\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no fingerprinted stylesheet link in:\n%s", body)
	}
	res, css := get(t, s, m[1])
	if res.StatusCode != 200 || !strings.Contains(css, "prefers-color-scheme: dark") {
		t.Fatalf("stylesheet: status %d, %d bytes", res.StatusCode, len(css))
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control = %q", cc)
	}
	if res, _ := get(t, s, "/static/style.css"); res.StatusCode != 404 {
		t.Errorf("unfingerprinted name served with %d", res.StatusCode)
	}
}

// apiErr decodes the one error shape of the API.
type apiErr struct {
	Error struct {
		Code, Message, Param string
	}
}

func TestAPISearch(t *testing.T) {
	s := newTestServer(t)
	res, body := get(t, s, "/api/v1/search?q=filecoin&per_page=1")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var out struct {
		Query struct {
			Text, Mode, Parsed string
		} `json:"query"`
		Total      int     `json:"total"`
		TookMS     float64 `json:"took_ms"`
		Page       int     `json:"page"`
		PerPage    int     `json:"per_page"`
		IndexBuild string  `json:"index_build"`
		Hits       []struct {
			Slug, URL, Title, Date, Author string
			Tags                           []string
			Score                          float64
			Fragments                      []struct{ HTML, Heading, URL string }
		}
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("decode: %v\n%s", err, body)
	}
	if out.Total != 2 || out.Page != 1 || out.PerPage != 1 || len(out.Hits) != 1 || out.IndexBuild == "" {
		t.Fatalf("response = %+v, want total 2 with one hit on the page", out)
	}
	if out.Query.Text != "filecoin" || out.Query.Mode != "plain" || out.Query.Parsed != "filecoin*" {
		t.Errorf("query echo = %+v, want the text read as plain words, the last one a prefix", out.Query)
	}
	h := out.Hits[0]
	if h.URL != "/posts/"+h.Slug || h.Title == "" || h.Date == "" || h.Score <= 0 || len(h.Fragments) == 0 {
		t.Errorf("hit = %+v", h)
	}
	if !strings.Contains(h.Fragments[0].HTML, "<mark>") {
		t.Errorf("fragment without <mark>: %q", h.Fragments[0].HTML)
	}
	if res.Header.Get("X-Archive-Index") != out.IndexBuild {
		t.Errorf("X-Archive-Index = %q, body says %q", res.Header.Get("X-Archive-Index"), out.IndexBuild)
	}
}

func TestAPIErrors(t *testing.T) {
	s := newTestServer(t)
	tests := []struct {
		target string
		status int
		code   string
		param  string
	}{
		{"/api/v1/search?q=p2p&per_page=1000", 400, "bad_parameter", "per_page"},
		{"/api/v1/search?q=p2p&page=-1", 400, "bad_parameter", "page"},
		{"/api/v1/search?from=2018-13-01", 400, "bad_parameter", "from"},
		{"/api/v1/search?sort=random", 400, "bad_parameter", "sort"},
		{"/api/v1/search?highlight=maybe", 400, "bad_parameter", "highlight"},
		{"/api/v1/search?q=" + strings.Repeat("a", MaxQueryLength+1), 400, "bad_parameter", "q"},
		{"/api/v1/posts/nope", 404, "not_found", ""},
		{"/api/v1/nothing-here", 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.target[:min(len(tt.target), 50)], func(t *testing.T) {
			res, body := get(t, s, tt.target)
			var e apiErr
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				t.Fatalf("not the JSON error shape: %v\n%s", err, body)
			}
			if res.StatusCode != tt.status || e.Error.Code != tt.code || e.Error.Param != tt.param || e.Error.Message == "" {
				t.Errorf("got %d %+v, want %d code=%s param=%s", res.StatusCode, e.Error, tt.status, tt.code, tt.param)
			}
		})
	}
}

func TestAPIPost(t *testing.T) {
	s := newTestServer(t)
	res, body := get(t, s, "/api/v1/posts/filecoin-markets")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var p struct {
		Slug, Title, Author, Markdown, HTML, Text string
		Tags                                      []string
		Words                                     int
		ReadingMinutes                            int `json:"reading_minutes"`
		Headings                                  []struct {
			Level    int
			ID, Text string
		}
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if p.Title != "Storage markets on Filecoin" || p.Author != "Grace Hopper" || len(p.Tags) != 1 {
		t.Errorf("metadata = %+v", p)
	}
	if !strings.Contains(p.Markdown, "## Deals") || !strings.Contains(p.HTML, `id="deals"`) || strings.Contains(p.Text, "##") {
		t.Errorf("markdown/html/text = %q / %q / %q", p.Markdown, p.HTML, p.Text)
	}
	if p.Words < 10 || p.ReadingMinutes != 1 || len(p.Headings) != 1 || p.Headings[0].ID != "deals" {
		t.Errorf("words %d, minutes %d, headings %+v", p.Words, p.ReadingMinutes, p.Headings)
	}
}

func TestHealth(t *testing.T) {
	s := newTestServer(t)
	for _, tt := range []struct{ target, want string }{
		{"/healthz", `"status":"ok"`},
		{"/readyz", `"posts":3`},
	} {
		res, body := get(t, s, tt.target)
		if res.StatusCode != 200 || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d %s, want %s", tt.target, res.StatusCode, body, tt.want)
		}
	}
}

func TestTemplateErrorIsACleanServerError(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(rec)
	c.Request = httptest.NewRequest(http.MethodGet, "/posts/x", nil)
	// The article template reads .Post.Title; a home page value has none.
	s.page(c, http.StatusOK, "article", homePage{})
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	// The whole error page, never the article's first half.
	if b := rec.Body.String(); strings.Contains(b, "page-article") || !strings.Contains(b, `class="page-error"`) {
		t.Errorf("half a page was sent: %q", b)
	}
}

// checkBody reports each of want missing from body and each of notWant in it.
func checkBody(t *testing.T, body string, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
	for _, w := range notWant {
		if strings.Contains(body, w) {
			t.Errorf("body contains %q", w)
		}
	}
}
