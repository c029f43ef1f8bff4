package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWholeWriter(t *testing.T) {
	big := strings.Repeat("x", wholeLimit+1)
	cases := []struct {
		name      string
		head      bool
		handler   func(w http.ResponseWriter)
		status    int
		length    string // Content-Length sent
		body      string
		flushedAt int // bytes the client had when the handler flushed; -1: never flushed
	}{
		{"whole answer gets its length", false, func(w http.ResponseWriter) { w.Write([]byte("ab")); w.Write([]byte("cd")) }, 200, "4", "abcd", -1},
		{"status kept", false, func(w http.ResponseWriter) { w.WriteHeader(404); w.Write([]byte("no")) }, 404, "2", "no", -1},
		{"not modified has no length", false, func(w http.ResponseWriter) { w.WriteHeader(304) }, 304, "", "", -1},
		{"HEAD has no length", true, func(w http.ResponseWriter) { w.WriteHeader(200) }, 200, "", "", -1},
		{"a flush streams", false, func(w http.ResponseWriter) {
			w.Write([]byte("row1\n"))
			w.(http.Flusher).Flush()
			w.Write([]byte("row2\n"))
		}, 200, "", "row1\nrow2\n", 5},
		{"past the limit streams", false, func(w http.ResponseWriter) { w.Write([]byte(big)) }, 200, "", big, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			method := http.MethodGet
			if c.head {
				method = http.MethodHead
			}
			ww := &wholeWriter{w: rec, r: httptest.NewRequest(method, "/", nil)}
			c.handler(&flushSpy{wholeWriter: ww, rec: rec, want: c.flushedAt, t: t})
			ww.finish()
			if rec.Code != c.status || rec.Header().Get("Content-Length") != c.length || rec.Body.String() != c.body {
				t.Errorf("got %d, length %q, %d bytes; want %d, length %q, %d bytes", rec.Code, rec.Header().Get("Content-Length"), rec.Body.Len(), c.status, c.length, len(c.body))
			}
		})
	}
}

// flushSpy checks what the client had when the handler flushed.
type flushSpy struct {
	*wholeWriter
	rec  *httptest.ResponseRecorder
	want int
	t    *testing.T
}

func (f *flushSpy) Flush() {
	f.wholeWriter.Flush()
	if f.rec.Body.Len() != f.want {
		f.t.Errorf("after Flush the client had %d bytes, want %d", f.rec.Body.Len(), f.want)
	}
}

// TestWholeWriterOverHTTP: on a real connection the answer arrives whole,
// with its status, headers and length, and the connection is closed.
func TestWholeWriterOverHTTP(t *testing.T) {
	body := strings.Repeat("an answer of more than net/http's 4 KB buffer. ", 500)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := &wholeWriter{w: w, r: r}
		ww.Header().Set("X-Archive-Index", "b1")
		ww.Header().Set("Content-Type", "text/plain; charset=utf-8")
		ww.WriteHeader(http.StatusTeapot)
		io.WriteString(ww, body[:100])
		io.WriteString(ww, body[100:])
		ww.finish()
	}))
	defer srv.Close()
	for range 3 { // a new connection each time: the last was closed
		res, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusTeapot || string(b) != body || res.ContentLength != int64(len(body)) ||
			res.Header.Get("X-Archive-Index") != "b1" || !res.Close {
			t.Fatalf("got %d, %d bytes (length %d), index %q, close %v, err %v", res.StatusCode, len(b), res.ContentLength, res.Header.Get("X-Archive-Index"), res.Close, err)
		}
	}
}
