package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/blust/archive/internal/gen"
)

// TestAwaitSyncWaitsForTheStartupSyncLine feeds a server's log line by
// line: the wait ends at the start-up sync's line, not before, and an
// exit during the wait is an error.
func TestAwaitSyncWaitsForTheStartupSyncLine(t *testing.T) {
	ctx := context.Background()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	s := &server{synced: make(chan struct{}), exited: make(chan error, 1)}
	go s.watchLog(r)
	fmt.Fprintln(w, `time=2026-11-26T03:00:00Z level=INFO msg="serving the archive" posts=3`)
	fmt.Fprintln(w, `time=2026-11-26T03:00:00Z level=INFO msg="syncing the index" done=1 total=3`)
	if err := s.awaitSync(ctx, 100*time.Millisecond); err == nil {
		t.Fatal("the wait ended before the start-up sync's line")
	}
	fmt.Fprintln(w, `time=2026-11-26T03:00:01Z level=INFO msg="start-up sync" added=0 unchanged=3`)
	if err := s.awaitSync(ctx, 5*time.Second); err != nil {
		t.Fatalf("after the start-up sync's line: %v", err)
	}

	quit := &server{synced: make(chan struct{}), exited: make(chan error, 1)}
	quit.exited <- errors.New("exit status 2")
	if err := quit.awaitSync(ctx, 5*time.Second); err == nil {
		t.Error("a server that exited did not fail the wait")
	}
	if err := <-quit.exited; err == nil {
		t.Error("the exit was not handed on to stop")
	}
}

// The load's deadline ends it without failing the requests it cuts: each
// is neither done nor an error.
func TestLoadEndsWithoutErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Millisecond)
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	s := &server{base: srv.URL}
	r := s.load(context.Background(), "/api/v1/search", gen.Queries()[:20], 8, 300*time.Millisecond)
	if r.Errors != 0 || r.Latency.Samples == 0 {
		t.Errorf("%d requests, %d errors (%v); want some and none", r.Latency.Samples, r.Errors, r.FirstErrors)
	}
}
