package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestPanicIsALogged500WithTheRequestID(t *testing.T) {
	s, logs := newServerWith(t, testContent(t), nil)
	boom := func(c *gin.Context) { panic("handler exploded") }
	s.engine.GET("/boom", boom)
	s.engine.GET("/api/v1/boom", boom)
	for _, tt := range []struct{ name, target, id, want string }{
		{"HTML page", "/boom", "panic-page-1", "quote request id <code>panic-page-1</code>"},
		{"JSON API", "/api/v1/boom", "panic-api-1", `"request_id":"panic-api-1"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, tt.target, http.Header{RequestIDHeader: {tt.id}})
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("status = %d, want 500", rec.Code)
			}
			if body := rec.Body.String(); !strings.Contains(body, tt.want) || strings.Contains(body, "exploded") {
				t.Errorf("body = %s\nwant it to contain %q and not the panic value", body, tt.want)
			}
			var failed, requestLine bool
			for _, l := range strings.Split(logs.String(), "\n") {
				if !strings.Contains(l, "request_id="+tt.id) {
					continue
				}
				failed = failed || strings.Contains(l, "level=ERROR") && strings.Contains(l, "handler exploded") && strings.Contains(l, "stack=")
				requestLine = requestLine || strings.Contains(l, "msg=request") && strings.Contains(l, "status=500")
			}
			if !failed || !requestLine {
				t.Errorf("want an ERROR line with the panic and stack and a request line with status=500, both with the id; logs:\n%s", logs)
			}
		})
	}
	if rec := do(t, s, http.MethodGet, "/healthz", nil); rec.Code != http.StatusOK {
		t.Errorf("after a panic /healthz = %d, want 200", rec.Code)
	}
}

func TestSearchTimeoutIs503(t *testing.T) {
	// A deadline already past when the search starts: the index gives up
	// before collecting a hit, as it would on a slow query.
	s, _ := newServerWith(t, testContent(t), func(d *Deps) { d.Limits.SearchTimeout = time.Nanosecond })
	rec := do(t, s, http.MethodGet, "/api/v1/search?q=p2p", nil)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("API status = %d, want 503; body %s", rec.Code, rec.Body)
	}
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code != "timeout" {
		t.Errorf("API body = %s, want the error shape with code timeout", rec.Body)
	}
	rec = do(t, s, http.MethodGet, "/search?q=p2p", nil)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "took too long") {
		t.Errorf("page = %d %s, want a 503 page saying the search took too long", rec.Code, rec.Body)
	}
	if rec := do(t, s, http.MethodGet, "/posts/"+seedSlug, nil); rec.Code != http.StatusOK {
		t.Errorf("article = %d, want 200: the search timeout applies to searches only", rec.Code)
	}
}

func TestOverloadAnswers503WithRetryAfter(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), func(d *Deps) {
		d.Limits.MaxInflight = 2
		d.Limits.QueueWait = time.Millisecond
	})
	// Two searches hold the only slots, as slow queries would.
	for range 2 {
		if !s.gate.enter(t.Context(), 0) {
			t.Fatal("could not take a slot")
		}
	}
	for _, target := range []string{"/api/v1/search?q=p2p", "/search?q=p2p"} {
		rec := do(t, s, http.MethodGet, target, nil)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s = %d (Retry-After %q), want 503 with Retry-After", target, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	if rec := do(t, s, http.MethodGet, "/api/v1/search?q=p2p", nil); !strings.Contains(rec.Body.String(), `"code":"overloaded"`) {
		t.Errorf("API body = %s, want code overloaded", rec.Body)
	}
	for _, target := range []string{"/healthz", "/readyz", "/posts/" + seedSlug, "/metrics"} {
		if rec := do(t, s, http.MethodGet, target, nil); rec.Code != http.StatusOK {
			t.Errorf("%s while overloaded = %d, want 200", target, rec.Code)
		}
	}
	s.gate.leave()
	if rec := do(t, s, http.MethodGet, "/api/v1/search?q=p2p", nil); rec.Code != http.StatusOK {
		t.Errorf("with a slot free the search = %d, want 200", rec.Code)
	}
	s.gate.leave()
}

// A search that finds every worker busy waits its turn and is answered,
// rather than refused, when a worker frees up within the queue wait.
func TestBusySearchWaitsItsTurn(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), func(d *Deps) {
		d.Limits.MaxInflight = 4
		d.Limits.SearchWorkers = 1
		d.Limits.QueueWait = time.Minute
	})
	if !s.gate.enter(t.Context(), 0) { // a slow search holds the only worker
		t.Fatal("could not take the worker")
	}
	done := make(chan int, 1)
	go func() { done <- do(t, s, http.MethodGet, "/api/v1/search?q=p2p", nil).Code }()
	select {
	case code := <-done:
		t.Fatalf("search answered %d while the worker was busy, want it to wait", code)
	case <-time.After(50 * time.Millisecond):
	}
	s.gate.leave()
	if code := <-done; code != http.StatusOK {
		t.Errorf("search after the worker freed = %d, want 200", code)
	}
}

func TestQueryLimitsAre400sNamingTheLimit(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("w+", n)) }
	for _, tt := range []struct {
		name, query  string
		limit, param string
	}{
		{"length", "q=" + strings.Repeat("a", MaxQueryLength+1), "length", "q"},
		{"terms", "q=" + words(65), "terms", "q"},
		{"per_page", "q=p2p&per_page=101", "per_page", "per_page"},
		{"deep paging within the page cap", "q=p2p&page=1001&per_page=10", "deep_paging", "page"},
		{"deep paging beyond the page cap", "q=p2p&page=99999", "deep_paging", "page"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, "/api/v1/search?"+tt.query, nil)
			var body errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error == nil {
				t.Fatalf("body %s is not the error shape: %v", rec.Body, err)
			}
			if rec.Code != http.StatusBadRequest || body.Error.Limit != tt.limit || body.Error.Param != tt.param {
				t.Errorf("got %d limit=%q param=%q, want 400 limit=%q param=%q (%s)", rec.Code, body.Error.Limit, body.Error.Param, tt.limit, tt.param, rec.Body)
			}
			page := do(t, s, http.MethodGet, "/search?"+tt.query, nil)
			if page.Code != http.StatusBadRequest {
				t.Errorf("page status = %d, want 400", page.Code)
			}
		})
	}
	for _, ok := range []string{"q=" + strings.Repeat("a", MaxQueryLength), "q=" + words(64), "q=p2p&per_page=100"} {
		if rec := do(t, s, http.MethodGet, "/api/v1/search?"+ok, nil); rec.Code != http.StatusOK {
			t.Errorf("%.60s… = %d, want 200 at the limit; %s", ok, rec.Code, rec.Body)
		}
	}
	// The deepest page the cap admits is not refused as too deep; with
	// fewer hits than that it is past the last page: a 404 naming page.
	rec := do(t, s, http.MethodGet, "/api/v1/search?q=p2p&page=1000&per_page=10", nil)
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusNotFound || body.Error == nil || body.Error.Code != "not_found" || body.Error.Param != "page" {
		t.Errorf("page 1000 = %d %s, want 404 not_found naming page (not a deep_paging 400)", rec.Code, rec.Body)
	}
}
