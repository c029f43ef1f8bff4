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

// faultEnv is the environment that makes a binary built with the
// faultinject tag fail a full build at stage (index/internal/store/faultpoint_inject.go).
func faultEnv(stage, action string) []string {
	return []string{"ARCHIVE_FAULT_STAGE=" + stage, "ARCHIVE_FAULT_ACTION=" + action}
}

// moveGenerated adds n generated posts to content and returns their paths.
func moveGenerated(t *testing.T, content string, n int) []string {
	t.Helper()
	big := generatedContent(t, n)
	entries, _ := os.ReadDir(big)
	var paths []string
	for _, e := range entries {
		p := filepath.Join(content, e.Name())
		if err := os.Rename(filepath.Join(big, e.Name()), p); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestDiskFullAtEachStageOfAFullRebuild fills the disk at each stage of a
// -reindex -full that a running server carries out: while its batches are
// written, before the final merge (which used to hang for ever: the
// client waited, the writer's lock stayed held, and SIGTERM could not end
// the server), before the manifest and before CURRENT. Each time the
// reindex ends within a bound with exit 2 and a message naming the cause
// and the build that still serves; the half-made build is gone; the
// server logs the failure and serves the old build; a rebuild with room
// works; and SIGTERM ends the server.
func TestDiskFullAtEachStageOfAFullRebuild(t *testing.T) {
	if raceEnabled {
		t.Skip("crash tests skip under -race; plain go test runs them")
	}
	bin := archiveBinaryTags(t, "faultinject")
	cases := []struct {
		stage string
		posts int    // generated posts beside the seed post
		says  string // what the message names, proving the stage was reached
	}{
		{"batches", 60, "bodies"}, // each post's text goes first
		// Batches of 20 (ARCHIVE_FAULT_BATCH), so the final merge has
		// segments to merge (a one-segment build skips it). The message
		// is the forced merge's error or the background merger's.
		{"merge", 120, "merg"},
		{"manifest", 60, "write manifest"},
		{"current", 60, "switch to build"},
	}
	for _, tc := range cases {
		stage := tc.stage
		t.Run(stage, func(t *testing.T) {
			mnt := mountTmpfs(t, "64m")
			content, idx := tinyContent(t), filepath.Join(mnt, "index")
			moveGenerated(t, content, tc.posts)
			if code, msg := runReindexWithin(t, 60*time.Second, content, idx); code != 0 {
				t.Fatalf("first reindex: %d %s", code, msg)
			}
			old := current(t, idx)
			addr := freeAddr(t)
			base := "http://" + addr
			env := append(faultEnv(stage, "fill"), "ARCHIVE_FAULT_BATCH=20")
			server := startProcessEnv(t, bin, base, env, "-content", content, "-index", idx, "-addr", addr)
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("server logs:\n%s", server.logs)
				}
			})

			code, msg := runReindexWithin(t, 60*time.Second, content, idx, "-full")
			t.Logf("-reindex -full said %q", msg)
			if code != 2 || !strings.Contains(msg, "no space left on device") || !strings.Contains(msg, tc.says) ||
				!strings.Contains(msg, "previous index (build "+old+") keeps serving") {
				t.Errorf("-reindex -full on a full disk = %d %q, want exit 2 naming %q, the cause and build %s", code, msg, tc.says, old)
			}
			if got := current(t, idx); got != old {
				t.Errorf("CURRENT = %s, want the old build %s", got, old)
			}
			if got := builds(t, idx); !slices.Equal(got, []string{old}) {
				t.Errorf("builds = %v, want the half-made one removed", got)
			}
			if r := ready(t, base); r.code != 200 || r.Build != old {
				t.Errorf("/readyz = %+v, want 200 on the old build", r)
			}
			if code, body := fetch(t, base+"/api/v1/search?q=p2p"); code != 200 || !strings.Contains(body, `"index_build":"`+old) || strings.Contains(body, `"total":0`) {
				t.Errorf("search = %d %.300s, want hits from build %s", code, body, old)
			}
			logs := server.logs.String()
			if !strings.Contains(logs, "sync requested over the control socket failed") || !strings.Contains(logs, "no space left on device") {
				t.Errorf("the server did not log the failed sync; logs:\n%s", logs)
			}

			// Room again (the fault fires once): the rebuild works.
			if err := os.Truncate(filepath.Join(idx, ".fault-filler"), 0); err != nil {
				t.Fatal(err)
			}
			if code, msg := runReindexWithin(t, 60*time.Second, content, idx, "-full"); code != 0 {
				t.Fatalf("-reindex -full with room: %d %s", code, msg)
			}
			next := current(t, idx)
			waitFor(t, 30*time.Second, func() string {
				if r := ready(t, base); r.Build != next {
					return "server on " + r.Build + ", want " + next
				}
				return ""
			})
			if err := server.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if code := server.wait(t, 40*time.Second); code != 0 {
				t.Errorf("server exit status %d after SIGTERM, want 0", code)
			}
		})
	}
}

// TestSIGTERMEndsAStuckRebuild makes a full rebuild hang for ever where
// the final merge would run, ignoring every context, as bleve's
// ForceMerge did on a full disk: SIGTERM still ends the server within its
// stop limit, saying so, the client fails with a clear message, and a
// restart serves the old build and removes the half-made one.
func TestSIGTERMEndsAStuckRebuild(t *testing.T) {
	if raceEnabled {
		t.Skip("crash tests skip under -race; plain go test runs them")
	}
	bin := archiveBinaryTags(t, "faultinject")
	content, idx := tinyContent(t), t.TempDir()
	if code, msg := runReindex(t, content, idx); code != 0 {
		t.Fatalf("first reindex: %d %s", code, msg)
	}
	old := current(t, idx)
	addr := freeAddr(t)
	base := "http://" + addr
	server := startProcessEnv(t, bin, base, faultEnv("merge", "hang"), "-content", content, "-index", idx, "-addr", addr)
	client := startProcess(t, bin, "", append(reindexArgs(content, idx), "-full")...)
	waitFor(t, 30*time.Second, func() string {
		if len(builds(t, idx)) < 2 {
			return "the rebuild never started"
		}
		return ""
	})
	time.Sleep(500 * time.Millisecond) // into the hang
	sent := time.Now()
	if err := server.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code := server.wait(t, 45*time.Second)
	t.Logf("server stopped after %v with %d", time.Since(sent).Round(time.Second), code)
	if code != 2 || !strings.Contains(server.logs.String(), "exiting without waiting further") {
		t.Errorf("server exit %d, want 2 saying it stopped without waiting; logs:\n%s", code, server.logs)
	}
	if code := client.wait(t, 10*time.Second); code != 2 || !strings.Contains(client.logs.String(), "hung up") {
		t.Errorf("-reindex -full = %d %q, want exit 2 saying the writer hung up", code, client.logs)
	}
	server = startProcess(t, bin, base, "-content", content, "-index", idx, "-addr", addr)
	if r := ready(t, base); r.code != 200 || r.Build != old {
		t.Errorf("after the restart /readyz = %+v, want 200 on %s", r, old)
	}
	if got := builds(t, idx); !slices.Equal(got, []string{old}) {
		t.Errorf("builds after the restart = %v, want only %s", got, old)
	}
}

// TestSIGTERMDuringTheFirstBuild stops a server while it makes its first
// index: it exits within a bound, saying why, with no panic (opening the
// writer used to dereference the writer it had not made), and the next
// start builds the index.
func TestSIGTERMDuringTheFirstBuild(t *testing.T) {
	if raceEnabled {
		t.Skip("crash tests skip under -race; plain go test runs them")
	}
	bin := archiveBinary(t)
	content, idx := tinyContent(t), t.TempDir()
	generated := moveGenerated(t, content, 400)
	addr := freeAddr(t)
	server := startProcess(t, bin, "", "-content", content, "-index", idx, "-addr", addr)
	waitFor(t, 60*time.Second, func() string {
		if entries, _ := os.ReadDir(filepath.Join(idx, "builds")); len(entries) == 0 {
			return "the first build never started"
		}
		return ""
	})
	if err := server.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code := server.wait(t, 20*time.Second)
	logs := server.logs.String()
	t.Logf("server said: %s", logs[max(0, len(logs)-300):])
	if code != 2 || strings.Contains(logs, "panic") || !strings.Contains(logs, "stopped before the index was open") {
		t.Errorf("server exit %d, want 2 saying it stopped before the index was open, no panic; logs:\n%s", code, logs)
	}
	if _, err := os.Stat(filepath.Join(idx, "CURRENT")); err == nil {
		t.Error("CURRENT written by a build that was stopped")
	}
	for _, p := range generated { // they only made the build slow enough to stop
		os.Remove(p)
	}
	base := "http://" + addr
	startProcess(t, bin, base, "-content", content, "-index", idx, "-addr", addr)
	if r := ready(t, base); r.code != 200 {
		t.Errorf("after the restart /readyz = %+v, want 200", r)
	}
}

// TestDamagedCurrentAtStart damages CURRENT while no server runs: the
// next server serves the build it named before, saying it recovered it,
// and no build is lost; a damaged CURRENT under a running server is
// mended by the server itself.
func TestDamagedCurrentAtStart(t *testing.T) {
	content, idx := tinyContent(t), t.TempDir()
	if code, msg := runReindex(t, content, idx); code != 0 {
		t.Fatalf("first reindex: %d %s", code, msg)
	}
	old := current(t, idx)
	if err := os.WriteFile(filepath.Join(idx, "CURRENT"), []byte("\x1b[31mgarbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, msg := runReindex(t, content, idx)
	t.Logf("-reindex said %q", msg)
	if code != 0 {
		t.Fatalf("-reindex with a damaged CURRENT = %d %s, want it recovered", code, msg)
	}
	if got := current(t, idx); got != old {
		t.Errorf("CURRENT = %q, want the recovered build %s", got, old)
	}
	if err := os.WriteFile(filepath.Join(idx, "CURRENT"), []byte("20200101T000000-abcdef\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base, logs := startServer(t, "-content", content, "-index", idx)
	if r := ready(t, base); r.code != 200 || r.Build != old {
		t.Errorf("/readyz = %+v, want 200 on the recovered build %s", r, old)
	}
	if !strings.Contains(logs.String(), "recovered the index folder") {
		t.Errorf("the server did not say it recovered CURRENT; logs:\n%s", logs)
	}
	if err := os.WriteFile(filepath.Join(idx, "CURRENT"), []byte("torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() string {
		if got := current(t, idx); got != old {
			return "CURRENT still " + got
		}
		if r := ready(t, base); r.code != 200 {
			return "/readyz " + r.Reason
		}
		return ""
	})
	if got := builds(t, idx); !slices.Equal(got, []string{old}) {
		t.Errorf("builds = %v, want %s kept", got, old)
	}
}
