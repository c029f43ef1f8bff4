package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRawConnReadsEveryKindOfAnswer drives one connection through answers
// with a length, chunked ones, errors and a close: each status and body
// size must be right, and the connection reused until the server closes it.
func TestRawConnReadsEveryKindOfAnswer(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/len":
			w.Write([]byte(strings.Repeat("x", 40000)))
		case "/chunked":
			f := w.(http.Flusher)
			for range 5 {
				w.Write([]byte(strings.Repeat("y", 7000)))
				f.Flush()
			}
		case "/close":
			w.Header().Set("Connection", "close")
			w.Write([]byte("bye"))
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "no such page: "+r.URL.RawQuery, http.StatusNotFound)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	rc := &rawConn{host: strings.TrimPrefix(srv.URL, "http://")}
	ctx := context.Background()
	for _, tc := range []struct {
		target string
		status int
		size   int64
		conns  int64
	}{
		{"/len", 200, 40000, 1},
		{"/chunked", 200, 35000, 1},
		{"/missing?q=a+b", 404, int64(len("no such page: q=a+b\n")), 1},
		{"/empty", 204, 0, 1},
		{"/close", 200, 3, 1},
		{"/len", 200, 40000, 2},
	} {
		status, size, err := rc.get(ctx, tc.target)
		if err != nil || status != tc.status || size != tc.size || conns.Load() != tc.conns {
			t.Errorf("get %s = %d, %d bytes, %v on connection %d; want %d, %d bytes on connection %d",
				tc.target, status, size, err, conns.Load(), tc.status, tc.size, tc.conns)
		}
	}
}

// TestRawConnRedialsAStaleConnection: a keep-alive connection the server
// closed while idle is dialled again, and the request succeeds.
func TestRawConnRedialsAStaleConnection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	rc := &rawConn{host: strings.TrimPrefix(srv.URL, "http://")}
	ctx := context.Background()
	if st, n, err := rc.get(ctx, "/"); err != nil || st != 200 || n != 2 {
		t.Fatalf("first get = %d, %d, %v", st, n, err)
	}
	srv.CloseClientConnections()
	if st, n, err := rc.get(ctx, "/"); err != nil || st != 200 || n != 2 {
		t.Errorf("get after the server closed the idle connection = %d, %d, %v; want 200, 2 bytes", st, n, err)
	}
}
