package web

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scrape reads /metrics through the router into series -> value, keyed as
// the text format prints them: name{label="v",...}.
func scrape(tb testing.TB, s *Server) map[string]float64 {
	tb.Helper()
	rec := do(tb, s, http.MethodGet, "/metrics", nil)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		tb.Fatalf("/metrics = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(rec.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			tb.Fatalf("bad metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

func TestMetricsMove(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), func(d *Deps) {
		d.Limits.MaxInflight = 1
		d.Limits.QueueWait = time.Millisecond
	})
	before := scrape(t, s)
	for _, target := range []string{"/api/v1/search?q=p2p", "/api/v1/search?q=p2p", "/search?q=zebrafish", "/search?q=x&mode=plain", "/nowhere", "/posts/" + seedSlug} {
		do(t, s, http.MethodGet, target, nil)
	}
	s.gate.enter(t.Context(), 0)
	do(t, s, http.MethodGet, "/api/v1/search?q=p2p", nil) // refused: the one slot is taken
	s.gate.leave()
	after := scrape(t, s)

	moved := []struct {
		series string
		by     float64
	}{
		{`archive_http_requests_total{method="GET",route="/api/v1/search",status="200"}`, 2},
		{`archive_http_requests_total{method="GET",route="/api/v1/search",status="503"}`, 1},
		{`archive_http_requests_total{method="GET",route="/search",status="200"}`, 2},
		{`archive_http_requests_total{method="GET",route="unmatched",status="404"}`, 1},
		{`archive_http_requests_total{method="GET",route="/posts/:slug",status="200"}`, 1},
		{`archive_http_request_duration_seconds_count{method="GET",route="/api/v1/search",status="200"}`, 2},
		{`archive_search_duration_seconds_count{mode="auto"}`, 3},
		{`archive_search_duration_seconds_count{mode="plain"}`, 1},
		{`archive_search_zero_hits_total{mode="auto"}`, 1},
		{`archive_search_rejected_total{reason="overload"}`, 1},
	}
	for _, m := range moved {
		if got := after[m.series] - before[m.series]; got != m.by {
			t.Errorf("%s moved by %v, want %v", m.series, got, m.by)
		}
	}
	for series, want := range map[string]float64{"archive_index_posts": 3, "archive_index_ready": 1, "archive_index_rejected_posts": 0, "archive_search_inflight": 0} {
		if got, ok := after[series]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, want)
		}
	}
	for _, series := range []string{"archive_index_age_seconds", "archive_index_built_timestamp_seconds", "archive_reindex_duration_seconds", "process_resident_memory_bytes", "go_goroutines"} {
		if after[series] <= 0 {
			t.Errorf("%s = %v, want a positive figure", series, after[series])
		}
	}
}

func TestEachServerOwnsItsMetrics(t *testing.T) {
	a, _ := newServerWith(t, testContent(t), nil)
	b, _ := newServerWith(t, testContent(t), nil)
	do(t, a, http.MethodGet, "/api/v1/search?q=p2p", nil)
	const series = `archive_http_requests_total{method="GET",route="/api/v1/search",status="200"}`
	if got := scrape(t, b)[series]; got != 0 {
		t.Errorf("server b counts server a's request: %s = %v", series, got)
	}
}
