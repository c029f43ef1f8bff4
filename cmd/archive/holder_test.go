package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/index"
)

// TestServerStoppedDuringItsFirstBuild stops a server (its context ends,
// as on SIGTERM) while it builds the index it has none of: opening the
// writer fails, which used to panic on the writer it had not made. It must
// exit with a message saying why, leave no build and let go of the lock.
func TestServerStoppedDuringItsFirstBuild(t *testing.T) {
	content, idx := tinyContent(t), filepath.Join(t.TempDir(), "index")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // already stopped when the build starts
	var errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("the server panicked: %v", p)
				done <- nil
			}
		}()
		done <- run(ctx, []string{"-content", content, "-index", idx, "-addr", freeAddr(t)}, io.Discard, &errOut)
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server stopped during its first build was still running after 30s")
	}
	t.Logf("run said: %v", err)
	if err == nil && !t.Failed() {
		t.Fatal("run succeeded, want an error: the build was cancelled")
	}
	if err != nil && (exitStatus(err) != 2 || !strings.Contains(err.Error(), "cancel")) {
		t.Errorf("run = %d %v, want exit 2 saying the build was cancelled", exitStatus(err), err)
	}
	if entries, _ := os.ReadDir(filepath.Join(idx, "builds")); len(entries) != 0 {
		t.Errorf("builds left after the cancelled first build: %v", entries)
	}
	store, serr := index.NewStore(idx)
	if serr != nil {
		t.Fatal(serr)
	}
	lock, lerr := store.LockWriter()
	if lerr != nil {
		t.Fatalf("the writer lock is still held after the failed start: %v", lerr)
	}
	lock.Release()
}
