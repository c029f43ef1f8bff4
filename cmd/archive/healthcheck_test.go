package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthURL(t *testing.T) {
	for _, tt := range []struct{ addr, want string }{
		{":8080", "http://127.0.0.1:8080/healthz"},
		{"0.0.0.0:80", "http://127.0.0.1:80/healthz"},
		{"[::]:8080", "http://[::1]:8080/healthz"},
		{"localhost:8080", "http://localhost:8080/healthz"},
		{"10.0.0.5:9000", "http://10.0.0.5:9000/healthz"},
	} {
		if got, err := healthURL(tt.addr); err != nil || got != tt.want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", tt.addr, got, err, tt.want)
		}
	}
	if _, err := healthURL("8080"); err == nil || !strings.Contains(err.Error(), "-addr") {
		t.Errorf("healthURL(8080) err = %v, want one naming -addr", err)
	}
}

// archive healthcheck exits 0 only on a 200, 1 on any other answer or
// none, 2 on a usage error, and says why in one line.
func TestHealthcheckCommand(t *testing.T) {
	hang := make(chan struct{})
	defer close(hang)
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"status":"ok"}`)) })
	mux.HandleFunc("/down", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("down\x1b[31m"))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/healthz", http.StatusFound) })
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	closed := httptest.NewServer(mux)
	closed.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	tests := []struct {
		name   string
		args   []string
		status int
		says   string
	}{
		{"the default URL is /healthz on -addr", []string{"-addr", addr, "healthcheck"}, 0, "healthy: " + srv.URL + "/healthz answered 200"},
		{"an explicit URL", []string{"healthcheck", "-url", srv.URL + "/healthz"}, 0, "answered 200"},
		{"a 503 is unhealthy, its body escaped", []string{"healthcheck", "-url", srv.URL + "/down"}, 1, `answered 503 down\x1b[31m`},
		{"a redirect is not followed", []string{"healthcheck", "-url", srv.URL + "/moved"}, 1, "answered 302"},
		{"no server", []string{"healthcheck", "-url", closed.URL + "/healthz"}, 1, "unhealthy: " + closed.URL},
		{"a hung server times out", []string{"healthcheck", "-timeout", "200ms", "-url", srv.URL + "/hang"}, 1, "unhealthy"},
		{"not a URL", []string{"healthcheck", "-url", "localhost:8080/healthz"}, 2, "-url"},
		{"arguments are refused", []string{"healthcheck", "now"}, 2, "no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tt.args, &out, &errOut)
			if got := exitStatus(err); got != tt.status {
				t.Fatalf("exit %d (%v), want %d; stderr %s", got, err, tt.status, errOut.String())
			}
			said := out.String()
			if err != nil {
				said = err.Error()
			}
			if !strings.Contains(said, tt.says) {
				t.Errorf("said %q, want it to contain %q", said, tt.says)
			}
		})
	}
}
