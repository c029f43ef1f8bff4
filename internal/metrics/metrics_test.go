package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLabelsComeFromFixedSets(t *testing.T) {
	for _, tt := range []struct {
		method, want string
	}{
		{"GET", "GET"}, {"HEAD", "HEAD"}, {"OPTIONS", "OPTIONS"}, {"TRACE", "TRACE"},
		{"get", "other"}, {"PROPFIND", "other"}, {strings.Repeat("X", 1000), "other"}, {"", "other"},
	} {
		if got := MethodLabel(tt.method); got != tt.want {
			t.Errorf("MethodLabel(%.20q) = %q, want %q", tt.method, got, tt.want)
		}
	}
	for _, tt := range []struct {
		status int
		want   string
	}{{200, "200"}, {499, "499"}, {599, "599"}, {0, "other"}, {99, "other"}, {600, "other"}, {-1, "other"}, {1 << 40, "other"}} {
		if got := StatusLabel(tt.status); got != tt.want {
			t.Errorf("StatusLabel(%d) = %q, want %q", tt.status, got, tt.want)
		}
	}
}

// However many distinct methods and statuses arrive, the scrape holds
// one series per fixed label value.
func TestRequestSeriesStayFew(t *testing.T) {
	m := New()
	scrape := func() string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	for i := range 500 {
		m.Request("unmatched", strings.Repeat("M", i+1), 1000+i, time.Millisecond)
	}
	if n := strings.Count(scrape(), "archive_http_requests_total{"); n != 1 {
		t.Errorf("500 odd methods and statuses made %d request series, want 1", n)
	}
}
