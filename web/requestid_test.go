package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestRequestIDs(t *testing.T) {
	s, logs := newServerWith(t, testContent(t), nil)
	long := strings.Repeat("a", maxRequestIDLen+1)
	tests := []struct {
		name, incoming string
		keep           bool
	}{
		{"none sent: one is made", "", false},
		{"a UUID is honoured", "3f2a1b9c-7d4e-4f00-9a1b-123456789abc", true},
		{"a proxy token is honoured", "req_01HZX.abc:7", true},
		{"spaces are refused", "abc def", false},
		{"a forged log field is refused", "x\" status=200", false},
		{"newlines are refused", "abc\nlevel=ERROR", false},
		{"too long is refused", long, false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.incoming != "" {
				h[RequestIDHeader] = []string{tt.incoming}
			}
			rec := do(t, s, http.MethodGet, "/healthz", h)
			got := rec.Header().Get(RequestIDHeader)
			if tt.keep && got != tt.incoming {
				t.Errorf("X-Request-ID = %q, want the incoming %q", got, tt.incoming)
			}
			if !tt.keep && (got == tt.incoming || !validRequestID(got)) {
				t.Errorf("X-Request-ID = %q, want a fresh valid id instead of %q", got, tt.incoming)
			}
			if seen[got] {
				t.Errorf("id %q given twice", got)
			}
			seen[got] = true
			if !strings.Contains(logs.String(), "request_id="+got+" ") {
				t.Errorf("no log line carries request_id=%s; logs:\n%s", got, logs)
			}
		})
	}
}

func TestErrorsCarryTheRequestID(t *testing.T) {
	s, _ := newServerWith(t, testContent(t), nil)
	h := http.Header{RequestIDHeader: {"trace-42"}}
	rec := do(t, s, http.MethodGet, "/api/v1/search?per_page=1000", h)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"request_id":"trace-42"`) {
		t.Errorf("got %d %s, want a 400 naming request_id trace-42", rec.Code, rec.Body)
	}
}
