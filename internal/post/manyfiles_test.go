package post

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

// peakHeap samples the live heap until stop is called and returns the
// highest figure seen.
func peakHeap(tb testing.TB) (stop func() uint64) {
	tb.Helper()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

const (
	manyFiles    = 100_000
	manyBadEvery = 10_000
)

// manyPosts calls add for each of the 100,000 tiny posts, spread over 100
// folders, with a bad one (an impossible date) every 10,000.
func manyPosts(add func(dir, name string, body []byte)) {
	for k := range manyFiles {
		body := fmt.Sprintf("---\ntitle: Post %d\ndate: 2020-01-02\n---\nword%d\n", k, k)
		if k%manyBadEvery == 0 {
			body = "---\ntitle: Bad\ndate: 2020-02-30\n---\n"
		}
		add(fmt.Sprintf("d%02d", k/(manyFiles/100)), fmt.Sprintf("p%06d.md", k), []byte(body))
	}
}

// checkLoadsAllWithBoundedHeap loads fsys and checks that every post is
// accounted for and that the heap stays within a bound proportional to
// what the posts hold.
func checkLoadsAllWithBoundedHeap(t *testing.T, fsys fs.FS) {
	t.Helper()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := peakHeap(t)
	res, err := Load(fsys, LoadOptions{})
	peak := stop()
	if err != nil {
		t.Fatal(err)
	}
	wantBad := manyFiles / manyBadEvery
	if len(res.Posts) != manyFiles-wantBad || len(res.Problems) != wantBad {
		t.Errorf("loaded %d posts and %d problems, want %d and %d", len(res.Posts), len(res.Problems), manyFiles-wantBad, wantBad)
	}
	// A tiny post costs a few hundred bytes of strings plus its struct;
	// 2 KiB a post leaves room for the walk and the parser's garbage but
	// catches anything that keeps whole files or parse trees alive.
	const perPost = 2 << 10
	grown := peak - min(peak, before.HeapAlloc)
	t.Logf("heap before %d MiB, peak %d MiB (%d bytes a post)", before.HeapAlloc>>20, peak>>20, grown/manyFiles)
	if grown > manyFiles*perPost {
		t.Errorf("heap grew by %d MiB while loading, want under %d MiB", grown>>20, (manyFiles*perPost)>>20)
	}
	runtime.KeepAlive(res)
}

// TestLoadHundredThousandTinyFiles walks 100,000 posts held in memory, so
// the test measures Load itself and stays quick.
func TestLoadHundredThousandTinyFiles(t *testing.T) {
	if raceDetector {
		t.Skip("one goroutine walks the folder: nothing for -race to find, and 10x slower")
	}
	fsys := fstest.MapFS{}
	manyPosts(func(dir, name string, body []byte) { fsys[dir+"/"+name] = &fstest.MapFile{Data: body} })
	checkLoadsAllWithBoundedHeap(t, fsys)
}

// TestLoadHundredThousandTinyFilesOnDisk does the same through the real
// file system. Creating 100,000 files costs about half a minute of system
// time, so plain `go test` skips it and .ci/run turns it on with
// ARCHIVE_SLOW_TESTS=1.
func TestLoadHundredThousandTinyFilesOnDisk(t *testing.T) {
	if os.Getenv("ARCHIVE_SLOW_TESTS") == "" {
		t.Skip("set ARCHIVE_SLOW_TESTS=1 to write 100,000 files (.ci/run does)")
	}
	dir := t.TempDir()
	manyPosts(func(sub, name string, body []byte) {
		p := filepath.Join(dir, sub, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	checkLoadsAllWithBoundedHeap(t, os.DirFS(dir))
}
