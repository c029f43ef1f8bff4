package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blust/archive/internal/gen"
)

// genContent writes n generated posts (internal/gen) into a new folder.
func genContent(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := gen.New(gen.DefaultSeed).Ensure(context.Background(), dir, n); err != nil {
		tb.Fatal(err)
	}
	os.Remove(filepath.Join(dir, ".complete")) // the generator's stamp; Load skips it anyway
	return dir
}

func runOK(tb testing.TB, args ...string) string {
	tb.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		tb.Fatalf("archive %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

func searchTotal(tb testing.TB, base, q string) (int, string) {
	tb.Helper()
	res, err := http.Get(base + "/api/v1/search?q=" + q)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Total int `json:"total"`
	}
	json.NewDecoder(res.Body).Decode(&body)
	return body.Total, res.Header.Get("X-Archive-Index")
}

func TestReindexDelegatesToTheRunningServer(t *testing.T) {
	content := t.TempDir()
	seed, _ := os.ReadFile("../../content/p2p-and-blockchain-have-come-of-age.md")
	os.WriteFile(filepath.Join(content, "seed.md"), seed, 0o644)
	idx := t.TempDir()
	base, logs := startServer(t, "-content", content, "-index", idx)

	os.WriteFile(filepath.Join(content, "zebra.md"), []byte("---\ntitle: Zebras\ndate: 2020-01-01\n---\nzebra crossings\n"), 0o644)
	out := runOK(t, "-reindex", "-content", content, "-index", idx)
	for _, want := range []string{"indexed 2 posts, rejected 0", "added 1, updated 0, renamed 0, removed 0, unchanged 1", "applied by the server"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary %q lacks %q", out, want)
		}
	}
	// The server applied it before the command returned: no waiting.
	if n, _ := searchTotal(t, base, "zebra"); n != 1 {
		t.Errorf("zebra total = %d right after -reindex, want 1; logs:\n%s", n, logs)
	}
}

func TestSecondServerOnTheSameIndexStopsWithAMessage(t *testing.T) {
	idx := t.TempDir()
	startServer(t, "-content", "../../content", "-index", idx)
	err := run(context.Background(), []string{"-content", "../../content", "-index", idx, "-addr", freeAddr(t)}, io.Discard, io.Discard)
	if exitStatus(err) != 2 || !strings.Contains(err.Error(), "in use by another archive process") || !strings.Contains(err.Error(), idx) {
		t.Errorf("second server: %v, want exit 2 naming %s as in use", err, idx)
	}
}

// TestNoFailedSearchDuringAFullReindex runs searches on several
// goroutines while -reindex -full rebuilds the index beside the serving
// one and the server switches to it, twice. Every search must succeed and
// find posts.
func TestNoFailedSearchDuringAFullReindex(t *testing.T) {
	posts := 80
	if raceEnabled {
		posts = 30 // the instrumented build is ten times slower
	}
	content := genContent(t, posts)
	idx := t.TempDir()
	base, _ := startServer(t, "-content", content, "-index", idx)
	_, before := searchTotal(t, base, "p2p")

	ctx, stop := context.WithCancel(context.Background())
	var searches, failures atomic.Int64
	var firstFailure atomic.Value
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			queries := []string{"p2p", "filecoin", "ipfs", "blockchain"}
			for i := 0; ctx.Err() == nil; i++ {
				searches.Add(1)
				if msg := searchOnce(base, queries[(g+i)%len(queries)]); msg != "" {
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, msg)
				}
			}
		})
	}
	for range 2 {
		out := runOK(t, "-reindex", "-full", "-content", content, "-index", idx)
		if want := fmt.Sprintf("unchanged %d", posts); !strings.Contains(out, "full rebuild") || !strings.Contains(out, want) {
			t.Errorf("summary = %q, want a full rebuild with %s", out, want)
		}
	}
	for n := searches.Load(); searches.Load() < n+20; {
		time.Sleep(10 * time.Millisecond) // some searches on the last build too
	}
	stop()
	wg.Wait()
	if f := failures.Load(); f != 0 {
		t.Errorf("%d of %d searches failed during the reindex; first: %v", f, searches.Load(), firstFailure.Load())
	}
	if _, after := searchTotal(t, base, "p2p"); after == before {
		t.Errorf("still serving build %s after two full reindexes", after)
	}
	t.Logf("%d searches, %d failures", searches.Load(), failures.Load())
}

// searchOnce returns "" for a good answer, else what was wrong.
func searchOnce(base, q string) string {
	res, err := http.Get(base + "/api/v1/search?q=" + q)
	if err != nil {
		return err.Error()
	}
	defer res.Body.Close()
	var body struct {
		Total int `json:"total"`
		Hits  []struct {
			Slug string `json:"slug"`
		} `json:"hits"`
	}
	err = json.NewDecoder(res.Body).Decode(&body)
	switch {
	case res.StatusCode != 200:
		return fmt.Sprintf("%q: status %d", q, res.StatusCode)
	case err != nil:
		return fmt.Sprintf("%q: %v", q, err)
	case body.Total == 0 || len(body.Hits) == 0:
		return fmt.Sprintf("%q: no results", q)
	}
	return ""
}

// child runs the real program in a separate process.
func child(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "ARCHIVE_TEST_MAIN=1")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// waitUntil polls cond; the deadline only turns a hang into a failure.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting until %s", what)
}

func readCurrent(t *testing.T, idx string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(idx, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestKilledFullReindexLeavesTheOldIndexServing(t *testing.T) {
	if raceEnabled {
		t.Skip("crash tests skip under -race; plain go test runs them")
	}
	content := genContent(t, 150)
	idx := t.TempDir()
	runOK(t, "-reindex", "-content", content, "-index", idx)
	old := readCurrent(t, idx)

	cmd := child(t, "-reindex", "-full", "-content", content, "-index", idx)
	waitUntil(t, "the new build is being written", func() bool {
		entries, _ := os.ReadDir(filepath.Join(idx, "builds"))
		for _, e := range entries {
			if e.Name() != old {
				if _, err := os.Stat(filepath.Join(idx, "builds", e.Name(), "bleve")); err == nil {
					return true
				}
			}
		}
		return false
	})
	cmd.Process.Kill() // SIGKILL: no defer, no cleanup
	cmd.Wait()
	if got := readCurrent(t, idx); got != old {
		t.Fatalf("CURRENT = %s after the kill, want the old build %s (the kill came too late?)", got, old)
	}
	if entries, _ := os.ReadDir(filepath.Join(idx, "builds")); len(entries) != 2 {
		t.Errorf("builds after the kill = %d, want the old one and the abandoned one", len(entries))
	}

	base, _ := startServer(t, "-content", content, "-index", idx)
	if msg := searchOnce(base, "p2p"); msg != "" {
		t.Errorf("the old index does not serve after the kill: %s", msg)
	}
	out := runOK(t, "-reindex", "-content", content, "-index", idx)
	if !strings.Contains(out, "indexed 150 posts, rejected 0") || !strings.Contains(out, "unchanged 150") {
		t.Errorf("next reindex: %q", out)
	}
	if entries, _ := os.ReadDir(filepath.Join(idx, "builds")); len(entries) != 1 {
		t.Errorf("builds after the next start = %d, want the abandoned one removed", len(entries))
	}
}

func TestKilledIncrementalReindexIsFinishedByTheNextRun(t *testing.T) {
	if raceEnabled {
		t.Skip("crash tests skip under -race; plain go test runs them")
	}
	content := genContent(t, 150)
	idx := t.TempDir()
	runOK(t, "-reindex", "-content", content, "-index", idx)
	files, _ := filepath.Glob(filepath.Join(content, "*.md"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		os.WriteFile(f, append(b, "\n\nAddendum: quokkafied.\n"...), 0o644)
	}
	cmd := child(t, "-reindex", "-content", content, "-index", idx)
	time.Sleep(300 * time.Millisecond) // somewhere inside the sync; any point must be safe
	cmd.Process.Kill()
	cmd.Wait()

	out := runOK(t, "-reindex", "-content", content, "-index", idx)
	if !strings.Contains(out, "indexed 150 posts, rejected 0") {
		t.Errorf("reindex after the kill: %q", out)
	}
	// A full rebuild now finds nothing to change: the incremental state
	// after the interrupted run and its repair is what a full build makes.
	out = runOK(t, "-reindex", "-full", "-content", content, "-index", idx)
	if !strings.Contains(out, "added 0, updated 0, renamed 0, removed 0, unchanged 150") {
		t.Errorf("full rebuild after the repair: %q", out)
	}
	base, _ := startServer(t, "-content", content, "-index", idx)
	if n, _ := searchTotal(t, base, "quokkafied"); n != 150 {
		t.Errorf("quokkafied total = %d, want every post's addendum (150)", n)
	}
}
