package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"
)

const (
	hostileTitle = `<script>alert("t")</script> & <img src=x onerror=alert(1)> ` + "\u202Egnp.exe p\u200D2p"
	hostileTag   = `<svg onload=alert(1)>`
	hostileAuth  = `</textarea><script>alert(2)</script>`
)

// hostileContent holds posts written to attack every place post text is
// shown: title, tags, author, summary, body, raw HTML and links.
func hostileContent(tb testing.TB) fstest.MapFS {
	tb.Helper()
	c := testContent(tb)
	c["hostile.md"] = &fstest.MapFile{Data: []byte("---\n" +
		"title: '" + strings.ReplaceAll(hostileTitle, "'", "''") + "'\n" +
		"date: 2023-03-03\n" +
		"author: '" + hostileAuth + "'\n" +
		"tags: ['" + hostileTag + "', 'javascript:alert(1)', '\"><b>x']\n" +
		"summary: '\"><script>alert(3)</script> &amp; &lt;b&gt;'\n" +
		"---\n\n" +
		"Streaming alert <script>alert(4)</script> and <img src=x onerror=alert(5)> here.\n\n" +
		"[click](javascript:alert(6)) <a href=\"javascript:alert(7)\">x</a> <a href=\"JaVaScRiPt:alert(8)\">y</a>\n\n" +
		"<svg><script>alert(9)</script></svg> <svg onload=alert(10)></svg> <math><mi xlink:href=\"javascript:alert(11)\">z</mi></math>\n\n" +
		"</textarea><iframe src=\"https://evil.example/\"></iframe><style>body{display:none}</style><form action=\"https://evil.example\"><input></form>\n\n" +
		"Entities &lt;script&gt; and &#x3C;script&#x3E; stay text. RTL \u202Egnp.exe and zero\u200Dwidth.\n")}
	return c
}

var (
	reTag        = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9:-]*)([^<>]*)>`)
	reAttr       = regexp.MustCompile(`([^\s"'=/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?`)
	reRawTextEnd = regexp.MustCompile(`(?i)</textarea`)
	activeTags   = map[string]bool{"script": true, "svg": true, "iframe": true, "style": true, "math": true, "object": true, "embed": true, "textarea": true, "base": true}
	urlAttrs     = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true}
)

// ownScript allows the one kind of script the site ships: an empty
// <script> loading an embedded file from /static/ (CSP allows only 'self').
func ownScript(m []string, rest string) bool {
	return strings.EqualFold(m[1], "script") && strings.Contains(m[2], ` src="/static/`) &&
		strings.HasPrefix(rest, "</script>") && strings.Count(m[2], "=") == 1
}

// checkInert fails if an HTML page holds a tag a browser would run, an
// event-handler attribute or a javascript: URL. It reads real tags and
// attributes, so hostile text escaped inside an attribute value (the
// search box echoing the query) is rightly left alone.
func checkInert(tb testing.TB, what, body string) {
	tb.Helper()
	for _, loc := range reTag.FindAllStringSubmatchIndex(body, -1) {
		m := []string{body[loc[0]:loc[1]], body[loc[2]:loc[3]], body[loc[4]:loc[5]]}
		if activeTags[strings.ToLower(m[1])] && !ownScript(m, body[loc[1]:]) {
			tb.Errorf("%s: active tag %q", what, m[0])
		}
		for _, a := range reAttr.FindAllStringSubmatch(m[2], -1) {
			name := strings.ToLower(a[1])
			val := strings.ToLower(strings.Trim(html.UnescapeString(a[2]), "\"' \t\n"))
			if strings.HasPrefix(name, "on") {
				tb.Errorf("%s: event handler in %q", what, m[0])
			}
			if urlAttrs[name] && strings.HasPrefix(strings.Join(strings.Fields(val), ""), "javascript:") {
				tb.Errorf("%s: javascript: URL in %q", what, m[0])
			}
		}
	}
	if m := reRawTextEnd.FindString(body); m != "" {
		tb.Errorf("%s: raw %q", what, m)
	}
}

func TestHostilePostsAndQueriesAreShownAsText(t *testing.T) {
	s, _ := newServerWith(t, hostileContent(t), nil)
	hostileQueries := []string{
		`<script>alert(1)</script>`, `"><svg onload=alert(1)>`, `</textarea><script>x</script>`,
		`javascript:alert(1)`, `&lt;script&gt;`, "\u202Egnp.exe", "p\u200D2p", `alert`, `streaming`,
		`streamng <img src=x onerror=alert(1)>`, `<svg/onload=alert(1)> filecoinn`, // typos: the "did you mean" line
		`title:<script> OR tag:"<b>"`, `author:"</textarea>" AND NOT (<x`, // the query language's echo and errors
	}
	pages := []string{"/", "/posts/hostile", "/search?tag=" + url.QueryEscape(hostileTag), "/search?author=" + url.QueryEscape(hostileAuth),
		"/tags", "/tags/" + url.PathEscape(hostileTag), "/tags/" + url.PathEscape(hostileTag) + ".atom", "/archive", "/archive/2023",
		"/feed.atom", "/feed.rss", "/sitemap.xml", "/search?q=streaming&facets=tags,authors"}
	for _, q := range hostileQueries {
		e := url.QueryEscape(q)
		pages = append(pages, "/search?q="+e, "/search?q="+e+"&page=x", "/posts/"+url.PathEscape(q), "/search.atom?q="+e,
			"/api/v1/suggest?q="+e, "/tags/"+url.PathEscape(q))
	}
	for _, target := range pages {
		t.Run("page "+target, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, target, nil)
			if rec.Code >= 500 {
				t.Fatalf("status %d", rec.Code)
			}
			checkInert(t, target, rec.Body.String())
		})
	}
	t.Run("hostile text is visible, escaped", func(t *testing.T) {
		_, body := get(t, s, "/posts/hostile")
		for _, want := range []string{
			`&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;`, // title
			"\u202Egnp.exe p\u200D2p",         // Unicode tricks kept as the author wrote them
			`&lt;/textarea&gt;&lt;script&gt;`, // author
			`&lt;svg onload=alert(1)&gt;`,     // tag
			"Entities &lt;script&gt; and &lt;script&gt; stay text",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("article lacks %q", want)
			}
		}
		_, body = get(t, s, "/search?q=alert")
		if !strings.Contains(body, "&lt;script&gt;<mark>alert</mark>(&#34;t&#34;)") {
			t.Errorf("search page should show the hostile title escaped, with marks")
		}
	})
	t.Run("JSON keeps the text and escapes markup", func(t *testing.T) {
		for _, target := range []string{"/api/v1/search?q=alert", "/api/v1/posts/hostile", "/api/v1/search?q=" + url.QueryEscape(`<script>alert(1)</script>`)} {
			// The JSON carries the text as written, markup included; what
			// keeps a browser from reading it as a page is its type.
			rec := do(t, s, http.MethodGet, target, nil)
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: Content-Type %q, nosniff %q: hostile text in JSON needs both", target, ct, rec.Header().Get("X-Content-Type-Options"))
			}
		}
		var p apiPost
		rec := do(t, s, http.MethodGet, "/api/v1/posts/hostile", nil)
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		if p.Title != hostileTitle || p.Author != hostileAuth || len(p.Tags) == 0 || p.Tags[0] != hostileTag {
			t.Errorf("JSON changed the text: title %q author %q tags %q", p.Title, p.Author, p.Tags)
		}
		checkInert(t, "post html field", p.HTML)
		var sr struct {
			Hits []struct {
				Fragments []struct {
					HTML string `json:"html"`
				} `json:"fragments"`
			} `json:"hits"`
		}
		rec = do(t, s, http.MethodGet, "/api/v1/search?q=alert", nil)
		if err := json.Unmarshal(rec.Body.Bytes(), &sr); err != nil || len(sr.Hits) == 0 {
			t.Fatalf("search: %v %s", err, rec.Body)
		}
		for _, h := range sr.Hits {
			for _, f := range h.Fragments {
				checkInert(t, "fragment", f.HTML)
				if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(f.HTML, "<mark>", ""), "</mark>", ""), "<") {
					t.Errorf("fragment holds markup other than <mark>: %q", f.HTML)
				}
			}
		}
	})
}

// allRoutes is one request per route of the table, plus errors of each
// kind, so header checks cover every way a response is made.
func allRoutes(s *Server) []string {
	return []string{
		"/", "/search?q=p2p", "/search?q=p2p&page=x", "/posts/" + seedSlug, "/posts/nope",
		"/healthz", "/readyz", "/metrics", "/api/v1/search?q=p2p", "/api/v1/search?per_page=1000",
		"/api/v1/posts/" + seedSlug, "/api/v1/posts/nope", "/api/v1/nowhere", "/nowhere", "/static/nope.css",
		"/static/" + strings.TrimPrefix(s.assets.urlFor["style.css"], "/static/"),
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	s.engine.GET("/boom", func(*gin.Context) { panic("boom") })
	targets := append(allRoutes(s), "/boom")
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		for _, target := range targets {
			t.Run(method+" "+target, func(t *testing.T) {
				rec := do(t, s, method, target, nil)
				h := rec.Header()
				csp := h.Get("Content-Security-Policy")
				for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
					if !strings.Contains(csp, want) {
						t.Errorf("CSP %q lacks %q", csp, want)
					}
				}
				if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
					t.Errorf("CSP allows unsafe code: %q", csp)
				}
				if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("X-Content-Type-Options = %q", got)
				}
				if h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
					t.Errorf("Referrer-Policy %q, X-Frame-Options %q", h.Get("Referrer-Policy"), h.Get("X-Frame-Options"))
				}
				if h.Get(RequestIDHeader) == "" {
					t.Error("no X-Request-ID")
				}
			})
		}
	}
}

// TestSlugsNeverReachOutsideTheContent asks for posts by every path trick
// and checks that no file outside the content folder is ever shown.
func TestSlugsNeverReachOutsideTheContent(t *testing.T) {
	root := t.TempDir()
	content := filepath.Join(root, "content")
	secret := "SECRET-OUTSIDE-CONTENT"
	for name, data := range map[string]string{
		"content/ok.md":    "---\ntitle: Fine\ndate: 2020-01-01\n---\n\nfine\n",
		"secret.md":        "---\ntitle: " + secret + "\ndate: 2020-01-01\n---\n\n" + secret + "\n",
		"content/sub/x.md": "---\ntitle: Nested\ndate: 2020-01-01\n---\n\nnested\n",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := newServerWith(t, os.DirFS(content), nil)
	long := strings.Repeat("a", 100000)
	for _, slug := range []string{
		"..", "../secret", "..%2fsecret", "..%2Fsecret", "%2e%2e", "%2e%2e%2fsecret", "%2e%2e/secret",
		"..%5csecret", "sub%2fx", "sub%2f..%2f..%2fsecret", "ok%00", "%00", "ok%00.md", "secret",
		"%252e%252e%252fsecret", "..;/secret", "%c0%ae%c0%ae%2fsecret", "/etc/passwd", "%2fetc%2fpasswd", long,
	} {
		for _, prefix := range []string{"/posts/", "/api/v1/posts/", "/static/", "/tags/", "/archive/"} {
			target := prefix + slug
			t.Run(target[:min(len(target), 60)], func(t *testing.T) {
				rec := do(t, s, http.MethodGet, target, nil)
				if rec.Code == http.StatusOK || rec.Code >= 500 {
					t.Errorf("status %d, want a 4xx", rec.Code)
				}
				if strings.Contains(rec.Body.String(), secret) || strings.Contains(rec.Body.String(), "root:") {
					t.Errorf("the response shows a file outside the content folder")
				}
			})
		}
	}
	if rec := do(t, s, http.MethodGet, "/posts/ok", nil); rec.Code != http.StatusOK {
		t.Errorf("/posts/ok = %d, want 200: the content itself must still be served", rec.Code)
	}
}
