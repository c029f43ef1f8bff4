package web

import (
	"bytes"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// logBuffer collects the server's log lines; handlers write it from the
// request goroutines while the test reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newServerWith builds a real index of content and a server over it whose
// Deps the caller may adjust; its log lines go to the returned buffer.
func newServerWith(tb testing.TB, content fs.FS, adjust func(*Deps)) (*Server, *logBuffer) {
	tb.Helper()
	ix := openTestIndex(tb, content)
	logs := &logBuffer{}
	d := Deps{Index: ix, Content: content, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	if adjust != nil {
		adjust(&d)
	}
	s, err := New(d)
	if err != nil {
		tb.Fatal(err)
	}
	return s, logs
}

// do sends one request with the given headers and returns the recorder.
func do(tb testing.TB, h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, target, nil)
	req.RemoteAddr = "127.0.0.1:40000" // on this machine, as /metrics requires
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
