package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blust/archive/index"
)

// Repros of issue 17's low items that live in web, each made small.

// A client that hangs up is not a server failure: 499, logged at info,
// counted 499, on the search page and on an article alike.
func TestClientHangUpIs499(t *testing.T) {
	s, logs := newServerWith(t, testContent(t), nil)
	for _, target := range []string{"/search?q=p2p", "/api/v1/search?q=p2p", "/posts/" + seedSlug} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx))
		if rec.Code != statusClientClosed {
			t.Errorf("%s after the client left = %d, want 499", target, rec.Code)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a hang-up was logged as an error:\n%s", logs)
	}
	m := scrape(t, s)
	for _, series := range []string{
		`archive_http_requests_total{method="GET",route="/search",status="499"}`,
		`archive_http_requests_total{method="GET",route="/posts/:slug",status="499"}`,
	} {
		if m[series] != 1 {
			t.Errorf("%s = %v, want 1", series, m[series])
		}
	}
}

// Trends refuse a query over the word limit, as search does: a 400 naming
// the terms limit. The index's word check refuses it before any search
// runs; the watchdog only catches a hang, never slowness.
func TestTrendsKeepTheWordLimit(t *testing.T) {
	defer watchdog(t, 30*time.Second)()
	s, _ := newServerWith(t, testContent(t), nil)
	q := strings.TrimSpace(strings.Repeat("word ", index.MaxQueryTerms+1))
	rec := do(t, s, http.MethodGet, "/api/v1/trends?q="+strings.ReplaceAll(q, " ", "+"), nil)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"limit":"terms"`) {
		t.Errorf("trends with %d words = %d %s, want 400 limit terms", index.MaxQueryTerms+1, rec.Code, rec.Body)
	}
}

// A trailing slash is redirected through the middleware (security
// headers, request id, log line), and X-Forwarded-Prefix cannot send the
// reader elsewhere.
func TestTrailingSlashRedirectGoesThroughTheMiddleware(t *testing.T) {
	s, logs := newServerWith(t, testContent(t), nil)
	tests := []struct{ target, want string }{
		{"/search/?q=p2p", "/search?q=p2p"},
		{"/api/v1/posts/", "/api/v1/posts"},
		{"/help/search/", "/help/search"},
	}
	for _, tt := range tests {
		rec := do(t, s, http.MethodGet, tt.target, http.Header{"X-Forwarded-Prefix": {"//evil.example/x"}})
		if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != tt.want {
			t.Errorf("%s = %d → %q, want 301 → %q", tt.target, rec.Code, rec.Header().Get("Location"), tt.want)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", RequestIDHeader} {
			if rec.Header().Get(h) == "" {
				t.Errorf("%s: redirect without %s", tt.target, h)
			}
		}
	}
	if !strings.Contains(logs.String(), `path=/search/ route=`) {
		t.Errorf("the redirect was not logged:\n%s", logs)
	}
	if rec := do(t, s, http.MethodGet, "/nowhere/", nil); rec.Code != http.StatusNotFound {
		t.Errorf("/nowhere/ = %d, want 404", rec.Code)
	}
}

// forgeCursor takes a real cursor and sets its hit count to n.
func forgeCursor(t *testing.T, cursor string, n int64) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	c["n"] = n
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// A forged cursor's hit count would overflow the export's ranks.
func TestForgedCursorCountIsRefused(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	rec := do(t, s, http.MethodGet, "/api/v1/posts?per_page=1", nil)
	var page struct {
		NextCursor string `json:"next_cursor"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || page.NextCursor == "" {
		t.Fatalf("no cursor: %v %s", err, rec.Body)
	}
	for _, n := range []int64{math.MaxInt64, math.MaxInt64 - 1, 1 << 40} {
		forged := forgeCursor(t, page.NextCursor, n)
		for _, target := range []string{"/api/v1/posts?per_page=1&cursor=", "/api/v1/search.jsonl?cursor=", "/api/v1/search.csv?cursor="} {
			rec := do(t, s, http.MethodGet, target+forged, nil)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"param":"cursor"`) {
				t.Errorf("%s<n=%d> = %d %.200s, want 400 on cursor", target, n, rec.Code, rec.Body)
			}
		}
	}
}

// Without -base-url, a body that names the request's Host is never
// marked for shared caches, so one Host's answer is not served for others.
func TestHostDerivedBodiesAreNotShared(t *testing.T) {
	evil := http.Header{"Host": {"evil.example"}}
	for _, base := range []string{"", "https://archive.example.org"} {
		s, _ := newServerWith(t, testContent(t), func(d *Deps) { d.BaseURL = base })
		for _, target := range []string{"/sitemap.xml", "/robots.txt", "/opensearch.xml", "/feed.atom", "/feed.rss", "/search.atom?q=p2p", "/tags/filecoin/feed.atom", "/api/v1/posts/" + seedSlug + "/cite"} {
			req := httptest.NewRequest(http.MethodGet, target, nil)
			req.Host = evil.Get("Host")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			cc := rec.Header().Get("Cache-Control")
			reflected := strings.Contains(rec.Body.String(), "evil.example")
			if base != "" && reflected {
				t.Errorf("with -base-url %s reflects the Host", target)
			}
			if base == "" && reflected && !strings.Contains(cc, "private") {
				t.Errorf("%s names the request's Host but is cacheable by shared caches (%q)", target, cc)
			}
			if rec.Code != http.StatusOK {
				t.Errorf("%s = %d", target, rec.Code)
			}
		}
	}
}

// A tag no post has has no feed.
func TestUnknownTagFeedIs404(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	if rec := do(t, s, http.MethodGet, "/tags/no-such-tag/feed.atom", nil); rec.Code != http.StatusNotFound {
		t.Errorf("an unknown tag's feed = %d, want 404", rec.Code)
	}
	if rec := do(t, s, http.MethodGet, "/tags/filecoin/feed.atom", nil); rec.Code != http.StatusOK {
		t.Errorf("a known tag's feed = %d, want 200", rec.Code)
	}
}

// X-Archive-Index and the ETag name the build that answered, even when
// an incremental sync lands between the request's arrival and its search.
func TestBuildHeaderNamesTheSnapshotThatAnswered(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		write(fmt.Sprintf("p%d.md", i), fmt.Sprintf("---\ntitle: Post %d\ndate: 2021-03-0%d\ntags: [t]\n---\n\nfilecoin storage %d\n", i, i+1, i))
	}
	store, err := index.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opts := index.SyncOptions{BuildOptions: index.BuildOptions{Content: os.DirFS(dir), ContentDir: dir}}
	iw, err := store.LockWriter()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iw.Release)
	ix, _, err := iw.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s, err := New(Deps{Index: ix, Content: os.DirFS(dir)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			write("p0.md", fmt.Sprintf("---\ntitle: Post 0\ndate: 2021-03-01\n---\n\nfilecoin edit %d\n", i))
			if _, err := iw.SyncFiles(ctx, opts, []string{"p0.md"}); err != nil && ctx.Err() == nil {
				t.Errorf("sync: %v", err)
			}
		}
	})
	mismatches := 0
	for range 300 {
		rec := do(t, s, http.MethodGet, "/api/v1/search?q=filecoin", nil)
		var body struct {
			IndexBuild string `json:"index_build"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		got := rec.Header().Get("X-Archive-Index")
		if got != body.IndexBuild {
			mismatches++
		}
		req := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=filecoin", nil)
		if rec.Header().Get("ETag") != etag(body.IndexBuild, req) {
			mismatches++
		}
	}
	cancel()
	wg.Wait()
	if mismatches > 0 {
		t.Errorf("%d of 300 answers name another build in their headers than in their body", mismatches)
	}
}

// /metrics is served to the machine itself, not to the network, unless
// the operator opens it.
func TestMetricsAreLocalUnlessPublic(t *testing.T) {
	for _, public := range []bool{false, true} {
		s, _ := newServerWith(t, testContent(t), func(d *Deps) { d.MetricsPublic = public })
		tests := []struct {
			remote string
			header http.Header
			open   bool
		}{
			{"127.0.0.1:5000", nil, true},
			{"[::1]:5000", nil, true},
			{"192.0.2.7:5000", nil, public},
			{"127.0.0.1:5000", http.Header{"X-Forwarded-For": {"192.0.2.7"}}, public}, // a proxy on the same machine
			{"127.0.0.1:5000", http.Header{"Forwarded": {"for=192.0.2.7"}}, public},
		}
		for _, tt := range tests {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.RemoteAddr = tt.remote
			for k, v := range tt.header {
				req.Header[k] = v
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if got := rec.Code == http.StatusOK; got != tt.open {
				t.Errorf("public=%v: /metrics from %s %v = %d", public, tt.remote, tt.header, rec.Code)
			}
		}
	}
}

// The server's write timeout leaves room for the longest request.
func TestWriteTimeoutCoversTheBudgets(t *testing.T) {
	l := Limits{}.withDefaults()
	if w := l.WriteTimeout(); w <= l.QueueWait+l.SearchTimeout || w <= l.RequestTimeout {
		t.Errorf("WriteTimeout %v is shorter than a request may take", w)
	}
}

// An export asked for by format= on /search or /posts is a stream like
// /search.csv: it takes a search slot per batch, not one for the whole
// stream plus one per batch (with one worker it refused itself), and has
// no overall deadline.
func TestExportByFormatTakesOneSlotPerBatch(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), func(d *Deps) {
		d.Limits.SearchWorkers, d.Limits.MaxInflight, d.Limits.QueueWait = 1, 1, 50*time.Millisecond
	})
	for _, target := range []string{"/api/v1/posts?format=csv", "/api/v1/search?q=p2p&format=jsonl", "/api/v1/posts?format=JSONL"} {
		if rec := do(t, s, http.MethodGet, target, nil); rec.Code != http.StatusOK {
			t.Errorf("%s with one search worker = %d %.200s, want 200", target, rec.Code, rec.Body)
		}
	}
}
