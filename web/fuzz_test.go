package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The fuzz targets send what a hostile client can: any query string to
// the search routes, with a parameter repeated up to thousands of times,
// and any method and header to any route. Whatever comes in, the answer
// is never a 5xx and never larger than a page may be. Seeds found worth
// keeping live in testdata/fuzz.

// fuzzSearchRoutes read the search parameters.
var fuzzSearchRoutes = []string{"/search", "/api/v1/search", "/search.atom", "/api/v1/posts", "/api/v1/trends", "/api/v1/search.csv", "/api/v1/suggest"}

// maxFuzzBody is the most any answer may weigh: the page bound.
const maxFuzzBody = DefaultMaxPageBytes

func FuzzSearchParams(f *testing.F) {
	for _, seed := range []struct {
		raw    string
		repeat uint16
		route  uint8
	}{
		{"q=p2p", 1, 0},
		{"tag=t", 3000, 0},
		{"tag=filecoin&tag=p2p&author=Rhett+Sampson&from=2018&to=2021&sort=oldest", 1, 0},
		{"tag=%E2%80%AE%00", 20, 0},
		{"q=p2p&drop=tag:a&tag=a", 1, 0},
		{"author=" + strings.Repeat("x", 300), 1, 1},
		{"q=" + strings.Repeat("a ", 70), 1, 4},
		{"q=filecoin&fragment_size=50&fragments=5&per_page=100", 1, 1},
		{"cursor=eyJ2IjoxLCJuIjo5MjIzMzcyMDM2ODU0Nzc1ODA3fQ&fields=slug", 1, 5},
		{"page=1000&per_page=100&q=*", 1, 1},
		{"facets=tags,authors,year&facet_size=100", 21, 1},
		{"q=%22unclosed&mode=advanced", 1, 0},
		{"a=1", 200, 0},
	} {
		f.Add(seed.raw, seed.repeat, seed.route)
	}
	s, _ := newServerWith(f, testContent(f), nil)
	f.Fuzz(func(t *testing.T, raw string, repeat uint16, route uint8) {
		n := 1 + int(repeat)%3000
		query := strings.Repeat(raw+"&", n)
		target := fuzzSearchRoutes[int(route)%len(fuzzSearchRoutes)]
		req, err := http.NewRequest(http.MethodGet, "http://archive.test"+target, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		req.RemoteAddr = "192.0.2.9:4000"
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		checkFuzzAnswer(t, target+"?"+query, rec)
	})
}

// fuzzRoutes is one address per kind of route, and two without one.
var fuzzRoutes = []string{"/", "/search?q=p2p", "/posts/" + seedSlug, "/tags/filecoin", "/tags/filecoin/feed.atom", "/archive/2021",
	"/api/v1/search?q=p2p", "/api/v1/posts/" + seedSlug, "/api/v1/search.jsonl?q=p2p", "/metrics", "/healthz", "/feed.atom",
	"/sitemap.xml", "/static/nope.css", "/search/", "/nowhere"}

func FuzzMethodHeaders(f *testing.F) {
	for _, seed := range []struct {
		method, name, value string
		route               uint8
	}{
		{"GET", "Accept-Encoding", "gzip", 0},
		{"HEAD", "If-None-Match", "*", 6},
		{"OPTIONS", "Access-Control-Request-Headers", "x-a", 7},
		{strings.Repeat("M", 1000), "X-Request-ID", strings.Repeat("a", 200), 1},
		{"PROPFIND", "X-Forwarded-Prefix", "//evil.example", 14},
		{"GET", "X-Forwarded-Proto", "javascript", 12},
		{"GET", "Host", "evil.example\"><script>", 11},
		{"GET", "Accept-Encoding", "gzip;q=0, *;q=0.5", 8},
		{"DELETE", "Range", "bytes=0-1", 2},
		{"GET", "X-Forwarded-For", "127.0.0.1", 9},
	} {
		f.Add(seed.method, seed.name, seed.value, seed.route)
	}
	s, _ := newServerWith(f, testContent(f), nil)
	f.Fuzz(func(t *testing.T, method, name, value string, route uint8) {
		target := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req, err := http.NewRequest(method, "http://archive.test"+target, nil)
		if err != nil || !validHeaderName(name) || !validHeaderValue(value) {
			return // the server's HTTP parser refuses these before any handler
		}
		if strings.EqualFold(name, "Host") {
			req.Host = value
		} else {
			req.Header.Set(name, value)
		}
		req.RemoteAddr = "192.0.2.9:4000"
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		checkFuzzAnswer(t, method+" "+target+" "+name+": "+value, rec)
		if id := rec.Header().Get(RequestIDHeader); !validRequestID(id) {
			t.Errorf("request id %q", id)
		}
	})
}

func checkFuzzAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if len(what) > 300 {
		what = what[:300] + "…"
	}
	if rec.Code >= 500 {
		t.Errorf("%q = %d: %.500s", what, rec.Code, rec.Body)
	}
	if rec.Body.Len() > maxFuzzBody {
		t.Errorf("%q: a body of %d bytes", what, rec.Body.Len())
	}
}

// validHeaderName is RFC 9110's token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validHeaderValue refuses what net/http's parser refuses in a value.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
