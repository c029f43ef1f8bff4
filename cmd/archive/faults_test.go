package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readyState is /readyz's answer.
type readyState struct {
	code   int
	Status string `json:"status"`
	Build  string `json:"index_build"`
	Reason string `json:"reason"`
}

func ready(tb testing.TB, base string) readyState {
	tb.Helper()
	code, body := fetch(tb, base+"/readyz")
	var r readyState
	json.Unmarshal([]byte(body), &r)
	r.code = code
	return r
}

// tinyContent is a content folder with the repository's seed post.
func tinyContent(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	seed, err := os.ReadFile("../../content/p2p-and-blockchain-have-come-of-age.md")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "seed.md"), seed, 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// TestKillDuringReindex kills the server with SIGKILL while it writes a
// full rebuild (the server is the index's writer; -reindex hands it the
// work): the -reindex client fails with a clear message, a restart serves
// the old build and removes the half-written one, and the next reindex
// works. (A -reindex killed while no server runs is sync_test.go's.)
func TestKillDuringReindex(t *testing.T) {
	if raceEnabled {
		t.Skip("crash tests skip under -race; plain go test runs them")
	}
	bin := archiveBinary(t)
	content, idx := tinyContent(t), t.TempDir()
	if code, msg := runReindex(t, content, idx); code != 0 {
		t.Fatalf("first reindex: %d %s", code, msg)
	}
	old := current(t, idx)
	addr := freeAddr(t)
	base := "http://" + addr
	server := startProcess(t, bin, base, "-content", content, "-index", idx, "-addr", addr)

	big := generatedContent(t, 2000)
	entries, _ := os.ReadDir(big)
	for _, e := range entries {
		os.Rename(filepath.Join(big, e.Name()), filepath.Join(content, e.Name()))
	}
	re := startProcess(t, bin, "", append(reindexArgs(content, idx), "-full")...)
	waitFor(t, 60*time.Second, func() string {
		for _, b := range builds(t, idx) {
			if b != old {
				if _, err := os.Stat(filepath.Join(idx, "builds", b, "bleve")); err == nil {
					return ""
				}
			}
		}
		return "the reindex never started writing a build"
	})
	time.Sleep(300 * time.Millisecond) // let it write some batches
	if err := server.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := server.wait(t, 10*time.Second); code != -1 {
		t.Fatalf("server exited %d before the kill; logs:\n%s", code, server.logs)
	}
	if code := re.wait(t, 30*time.Second); code != 2 {
		t.Errorf("-reindex exit status %d when its server died, want 2; output:\n%s", code, re.logs)
	}
	t.Logf("-reindex said: %s", strings.TrimSpace(re.logs.String()))
	if got := current(t, idx); got != old {
		t.Fatalf("CURRENT = %s after the kill, want the old build %s", got, old)
	}
	if len(builds(t, idx)) < 2 {
		t.Fatalf("builds = %v: the killed reindex left nothing behind, so the test proves nothing", builds(t, idx))
	}

	// The big posts were only there to make the reindex slow enough to be
	// killed; the rest of the test needs none of them.
	for _, e := range entries {
		os.Remove(filepath.Join(content, e.Name()))
	}

	// Restart: the leftover build is removed and the old one serves.
	server = startProcess(t, bin, base, "-content", content, "-index", idx, "-addr", addr)
	if r := ready(t, base); r.code != 200 || r.Build != old {
		t.Errorf("after the restart /readyz = %+v, want 200 on build %s", r, old)
	}
	if code, body := fetch(t, base+"/api/v1/search?q=p2p"); code != 200 || !strings.Contains(body, `"total":1`) {
		t.Errorf("after the restart search = %d %s", code, body)
	}
	if got := builds(t, idx); !slices.Equal(got, []string{old}) {
		t.Errorf("builds after restart = %v, want only %s", got, old)
	}

	// The next full reindex completes and the server switches to it.
	if code, msg := runReindex(t, content, idx, "-full"); code != 0 {
		t.Fatalf("reindex after the kill: %d %s", code, msg)
	}
	next := current(t, idx)
	waitFor(t, 30*time.Second, func() string {
		if r := ready(t, base); r.Build != next {
			return "server still on " + r.Build + ", want " + next
		}
		if got := builds(t, idx); !slices.Equal(got, []string{next}) {
			return "builds = " + strings.Join(got, ",") + ", want only " + next
		}
		return ""
	})
}

// TestIndexFolderDeletedUnderARunningServer removes the whole index folder
// while the server runs: /readyz turns 503 naming the folder, searches
// still answer from the open build, and a reindex brings it back.
func TestIndexFolderDeletedUnderARunningServer(t *testing.T) {
	content, idx := tinyContent(t), filepath.Join(t.TempDir(), "index")
	base, logs := startServer(t, "-content", content, "-index", idx)
	if r := ready(t, base); r.code != 200 {
		t.Fatalf("/readyz = %+v before the fault", r)
	}
	if err := os.RemoveAll(idx); err != nil {
		t.Fatal(err)
	}
	r := ready(t, base)
	t.Logf("/readyz said %q", r.Reason)
	if r.code != 503 || !strings.Contains(r.Reason, idx) || !strings.Contains(r.Reason, "-reindex") {
		t.Errorf("/readyz = %+v, want 503 naming %s and the fix", r, idx)
	}
	if code, body := fetch(t, base+"/api/v1/search?q=p2p"); code != 200 || !strings.Contains(body, `"total":1`) {
		t.Errorf("search with the folder gone = %d %s, want the open build to answer", code, body)
	}
	if code, _ := fetch(t, base+"/metrics"); code != 200 {
		t.Errorf("/metrics = %d", code)
	}
	if code, msg := runReindex(t, content, idx); code != 0 {
		t.Fatalf("reindex into the deleted folder: %d %s", code, msg)
	}
	waitFor(t, 30*time.Second, func() string {
		if r := ready(t, base); r.code != 200 || r.Build != current(t, idx) {
			return "after the reindex /readyz = " + r.Status + " " + r.Reason
		}
		return ""
	})
	if n := strings.Count(logs.String(), "reload index"); n > 3 {
		t.Errorf("the broken folder was logged %d times; want it reported once, not every poll", n)
	}
}

// TestIndexFolderReadOnlyUnderARunningServer makes the index folder
// unwritable while the server runs (see freezeDirs for how, as root):
// /readyz turns 503 saying so, searches still answer, a reindex fails with
// a clear message, and all is well again once the folder is writable.
func TestIndexFolderReadOnlyUnderARunningServer(t *testing.T) {
	content, idx := tinyContent(t), filepath.Join(t.TempDir(), "index")
	base, _ := startServer(t, "-content", content, "-index", idx)
	freezeDirs(t, idx, true)
	t.Cleanup(func() { freezeDirs(t, idx, false) })

	r := ready(t, base)
	if r.code != 503 || !strings.Contains(r.Reason, idx+" is not writable") {
		t.Errorf("/readyz = %+v, want 503 saying %s is not writable", r, idx)
	}
	if code, _ := fetch(t, base+"/api/v1/search?q=p2p"); code != 200 {
		t.Errorf("search on a read-only folder = %d, want the open build to answer", code)
	}
	code, msg := runReindex(t, content, idx, "-full")
	t.Logf("/readyz said %q; -reindex -full said %q", r.Reason, msg)
	if code != 2 || !strings.Contains(msg, "previous index") || !strings.Contains(msg, idx) {
		t.Errorf("reindex on a read-only folder = %d %q, want exit 2 naming the folder", code, msg)
	}

	freezeDirs(t, idx, false)
	if r := ready(t, base); r.code != 200 {
		t.Errorf("/readyz after the fix = %+v, want 200", r)
	}
	if code, msg := runReindex(t, content, idx, "-full"); code != 0 {
		t.Errorf("reindex after the fix = %d %s", code, msg)
	}
}

// TestDiskFullDuringReindex fills a small file system mid-reindex: the
// reindex fails with a clear message and removes its half-written build,
// the old build keeps serving, and a reindex that fits succeeds.
func TestDiskFullDuringReindex(t *testing.T) {
	mnt := mountTmpfs(t, "6m")
	content, idx := tinyContent(t), filepath.Join(mnt, "index")
	if code, msg := runReindex(t, content, idx); code != 0 {
		t.Fatalf("first reindex: %d %s", code, msg)
	}
	old := current(t, idx)
	base, logs := startServer(t, "-content", content, "-index", idx)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server logs:\n%s", logs)
		}
	})

	// Leave 256 KiB free, whatever the first build took: 600 generated
	// posts need many times that. 600 is over one batch (500), so the
	// sync waits until its batches are on disk rather than returning once
	// they are searchable (see index/flow.go).
	filler := fillDisk(t, mnt, 256<<10)
	big := generatedContent(t, 600)
	entries, _ := os.ReadDir(big)
	for _, e := range entries {
		os.Rename(filepath.Join(big, e.Name()), filepath.Join(content, e.Name()))
	}
	code, msg := runReindex(t, content, idx)
	t.Logf("-reindex said %q", msg)
	full := strings.Contains(msg, "no space left on device") || strings.Contains(msg, "is the disk full?")
	if code != 2 || !full || !strings.Contains(msg, "previous index") {
		t.Fatalf("reindex on a full disk = %d %q, want exit 2 naming the cause", code, msg)
	}
	for _, q := range []string{"p2p", "streaming", "ipfs"} {
		if code, body := fetch(t, base+"/api/v1/search?q="+q); code != 200 {
			t.Errorf("search %s after the full disk = %d %.200s", q, code, body)
		}
	}
	if got := current(t, idx); got != old {
		t.Errorf("CURRENT = %s, want the old build %s", got, old)
	}
	if got := builds(t, idx); !slices.Equal(got, []string{old}) {
		t.Errorf("builds = %v, want the half-written one removed", got)
	}
	if r := ready(t, base); r.code != 200 || r.Build != old {
		t.Errorf("/readyz = %+v, want 200 on the old build", r)
	}
	if code, body := fetch(t, base+"/api/v1/search?q=p2p"); code != 200 || !strings.Contains(body, `"total":1`) {
		t.Errorf("search = %d %s", code, body)
	}
	for _, e := range entries {
		os.Remove(filepath.Join(content, e.Name()))
	}
	os.Remove(filler)
	if code, msg := runReindex(t, content, idx); code != 0 {
		t.Errorf("reindex that fits = %d %s", code, msg)
	}
}

// TestSIGTERMDuringAnExport sends SIGTERM while a client is half-way
// through a large JSONL export: the export still ends cleanly with every
// row, a short request started before the signal finishes too, and the
// server exits 0 within its grace period.
func TestSIGTERMDuringAnExport(t *testing.T) {
	const posts = 3000
	bin := archiveBinary(t)
	content, idx := t.TempDir(), t.TempDir()
	for i := range posts {
		body := fmt.Sprintf("---\ntitle: Export post %d\ndate: 2020-01-%02d\n---\n\nStreaming row %d of the export.\n", i, i%28+1, i)
		if err := os.WriteFile(filepath.Join(content, fmt.Sprintf("post-%04d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, msg := runReindex(t, content, idx); code != 0 {
		t.Fatalf("reindex: %d %s", code, msg)
	}
	addr := freeAddr(t)
	base := "http://" + addr
	server := startProcess(t, bin, base, "-content", content, "-index", idx, "-addr", addr)

	res, err := http.Get(base + "/api/v1/search.jsonl?q=streaming&highlight=false")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	first, err := r.ReadString('\n')
	if err != nil || !strings.Contains(first, `"rank":1`) {
		t.Fatalf("first row %q: %v", first, err)
	}
	sent := time.Now()
	if err := server.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // the export is now in flight during shutdown
	rows := 1
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			rows++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("export broke after %d rows: %v", rows, err)
		}
	}
	if rows != posts {
		t.Errorf("export gave %d rows, want %d", rows, posts)
	}
	if code := server.wait(t, 15*time.Second); code != 0 {
		t.Errorf("server exit status %d, want 0; logs:\n%s", code, server.logs)
	}
	if took := time.Since(sent); took > 12*time.Second {
		t.Errorf("shutdown took %v, beyond the 10 s grace period", took)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still answers after exiting")
	}
}
