package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blust/archive/internal/testshared"
)

// syncBuffer is a bytes.Buffer the server's goroutines may write while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 2
}

func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs the whole program as a server and waits until it answers.
func startServer(tb testing.TB, args ...string) (base string, logs *syncBuffer) {
	tb.Helper()
	addr := freeAddr(tb)
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append(args, "-addr", addr), io.Discard, logs) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("server exited with %v; logs:\n%s", err, logs)
			}
		case <-time.After(20 * time.Second):
			tb.Errorf("server did not shut down")
		}
	})
	base = "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			tb.Fatalf("server exited early: %v; logs:\n%s", err, logs)
		default:
		}
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			return base, logs
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("server never answered; logs:\n%s", logs)
	return "", nil
}

func fetch(tb testing.TB, url string) (int, string) {
	tb.Helper()
	res, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestReindexThenServe(t *testing.T) {
	idx := t.TempDir()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-reindex", "-content", shippedContent, "-index", idx}, &out, &errOut)
	if err != nil {
		t.Fatalf("reindex: %v\n%s", err, errOut.String())
	}
	posts := shippedPosts(t)
	if want := fmt.Sprintf("indexed %d posts, rejected 0", posts); !strings.Contains(out.String(), want) {
		t.Errorf("summary = %q, want %q", out.String(), want)
	}

	base, logs := startServer(t, "-content", shippedContent, "-index", idx)
	if !strings.Contains(logs.String(), fmt.Sprintf("posts=%d ", posts)) || !strings.Contains(logs.String(), "url=http://127.0.0.1") {
		t.Errorf("start-up log lacks url and post count:\n%s", logs)
	}
	code, body := fetch(t, base+"/search?q=p2p")
	if code != 200 || !strings.Contains(body, "<mark>p2p</mark>") || !strings.Contains(body, `href="/posts/p2p-and-blockchain-have-come-of-age?highlight=p2p#first-match"`) {
		t.Errorf("search page: %d\n%s", code, body)
	}
	code, body = fetch(t, base+"/posts/p2p-and-blockchain-have-come-of-age")
	if code != 200 || !strings.Contains(body, "Peer5 proved beyond any shadow of a doubt") {
		t.Errorf("article page: %d", code)
	}
	// Peer5 is a word of the seed post alone.
	code, body = fetch(t, base+"/api/v1/search?q=peer5")
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			Slug string `json:"slug"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(body), &res); code != 200 || err != nil || res.Total != 1 || res.Hits[0].Slug != "p2p-and-blockchain-have-come-of-age" {
		t.Errorf("api search: %d %v %s", code, err, body)
	}
	if code, _ := fetch(t, base+"/readyz"); code != 200 {
		t.Errorf("readyz = %d", code)
	}
}

func TestServeBuildsTheIndexWhenThereIsNone(t *testing.T) {
	base, logs := startServer(t, "-content", shippedContent, "-index", t.TempDir(), "-log-format", "json")
	want := fmt.Sprintf(`"total":%d,`, shippedMentioning(t, "Tron buying BitTorrent"))
	if code, body := fetch(t, base+"/api/v1/search?q=%22Tron+buying+BitTorrent%22"); code != 200 || !strings.Contains(body, want) {
		t.Errorf("api: %d %s, want %s", code, body, want)
	}
	var line map[string]any
	first := strings.SplitN(logs.String(), "\n", 2)[0]
	if err := json.Unmarshal([]byte(first), &line); err != nil {
		t.Errorf("-log-format json wrote a non-JSON line %q: %v", first, err)
	}
}

func TestReindexWhileServingSwitchesBuilds(t *testing.T) {
	content := t.TempDir()
	seed, _ := os.ReadFile("../../content/p2p-and-blockchain-have-come-of-age.md")
	os.WriteFile(filepath.Join(content, "seed.md"), seed, 0o644)
	idx := t.TempDir()
	base, _ := startServer(t, "-content", content, "-index", idx)

	os.WriteFile(filepath.Join(content, "zebra.md"), []byte("---\ntitle: Zebras\ndate: 2020-01-01\n---\nzebra crossings\n"), 0o644)
	if err := run(context.Background(), []string{"-reindex", "-content", content, "-index", idx}, io.Discard, io.Discard); err != nil {
		t.Fatalf("reindex while serving: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, body := fetch(t, base+"/api/v1/search?q=zebra"); strings.Contains(body, `"total":1`) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the server never switched to the new build")
}

func TestReindexExitStatus(t *testing.T) {
	good := "---\ntitle: Good\ndate: 2020-01-01\n---\nfine\n"
	tests := []struct {
		name   string
		files  map[string]string
		args   []string
		status int
		stdout string
		stderr string
	}{
		{"all indexed", map[string]string{"a.md": good}, nil, 0, "indexed 1 posts, rejected 0", ""},
		{"some rejected", map[string]string{"a.md": good, "b.md": "---\ntitle: Bad\ndate: 2023-02-30\n---\n"}, nil, 1,
			"indexed 1 posts, rejected 1", "b.md:3:"},
		{"unknown flag", nil, []string{"-frobnicate"}, 2, "", "flag provided but not defined"},
		{"stray argument", nil, []string{"extra"}, 2, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range tt.files {
				os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
			}
			var out, errOut bytes.Buffer
			args := append([]string{"-reindex", "-content", dir, "-index", t.TempDir()}, tt.args...)
			err := run(context.Background(), args, &out, &errOut)
			if got := exitStatus(err); got != tt.status {
				t.Fatalf("exit status %d (%v), want %d; stderr:\n%s", got, err, tt.status, errOut.String())
			}
			if !strings.Contains(out.String(), tt.stdout) {
				t.Errorf("stdout = %q, want %q", out.String(), tt.stdout)
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stderr = %q, want %q", errOut.String(), tt.stderr)
			}
		})
	}
}

func TestMissingContentFolderIsAUsageError(t *testing.T) {
	err := run(context.Background(), []string{"-reindex", "-content", filepath.Join(t.TempDir(), "nope")}, io.Discard, io.Discard)
	if exitStatus(err) != 2 || !strings.Contains(err.Error(), "content folder") {
		t.Errorf("err = %v, want exit 2 naming the content folder", err)
	}
}

// Every search limit must be positive; a zero or negative one is a usage
// error naming the flags, whether it came from a flag or the environment.
func TestSearchLimitsMustBePositive(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  [2]string
	}{
		{"queue wait flag", []string{"-queue-wait", "0s"}, [2]string{}},
		{"queue wait env", nil, [2]string{"ARCHIVE_QUEUE_WAIT", "-1s"}},
		{"workers", []string{"-search-workers", "0"}, [2]string{}},
		{"request timeout", []string{"-request-timeout", "0s"}, [2]string{}},
		{"request timeout env", nil, [2]string{"ARCHIVE_REQUEST_TIMEOUT", "-1s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env[0] != "" {
				t.Setenv(tt.env[0], tt.env[1])
			}
			args := append([]string{"-content", t.TempDir(), "-index", t.TempDir(), "-addr", "127.0.0.1:0"}, tt.args...)
			// cancelled, so that a limit let through ends the run at once
			// instead of serving
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := run(ctx, args, io.Discard, io.Discard)
			if exitStatus(err) != 2 || !strings.Contains(err.Error(), "must be positive") || !strings.Contains(err.Error(), strings.Fields(tt.name)[0]) {
				t.Errorf("err = %v (exit %d), want exit 2 naming the limits", err, exitStatus(err))
			}
		})
	}
}

func TestEnvironmentSetsTheFolders(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("---\ntitle: From env\ndate: 2020-01-01\n---\nx\n"), 0o644)
	idx := t.TempDir()
	t.Setenv("ARCHIVE_CONTENT", dir)
	t.Setenv("ARCHIVE_INDEX", idx)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-reindex"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), idx) {
		t.Errorf("summary %q does not name the index folder from ARCHIVE_INDEX", out.String())
	}
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, io.Discard, &errOut)
	if exitStatus(err) != 0 {
		t.Errorf("-h exit status = %d", exitStatus(err))
	}
	for _, w := range []string{"-content", "-index", "-addr", "-reindex", "-full", "-watch", "-log-format", "-queue-wait", "ARCHIVE_QUEUE_WAIT", "ARCHIVE_CONTENT", "ARCHIVE_INDEX", "ARCHIVE_ADDR"} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("-h output lacks %q", w)
		}
	}
}

// TestSharedCorpusIndexesCompletely is the smoke test over the real
// archives: every post must be accepted.
func TestSharedCorpusIndexesCompletely(t *testing.T) {
	for _, c := range []struct {
		dir   string
		posts int
	}{{"ipfs-blog", 459}, {"pl-research", 138}} {
		t.Run(c.dir, func(t *testing.T) {
			dir := filepath.Join("..", "..", "..", "shared", "corpus", c.dir)
			if _, err := os.Stat(dir); err != nil {
				testshared.Missing(t, "corpus/"+c.dir, err)
			}
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"-reindex", "-content", dir, "-index", t.TempDir()}, &out, &errOut)
			if err != nil {
				t.Fatalf("reindex %s: %v\n%s", c.dir, err, errOut.String())
			}
			want := fmt.Sprintf("indexed %d posts, rejected 0", c.posts)
			if !strings.Contains(out.String(), want) {
				t.Errorf("summary = %q, want %q", out.String(), want)
			}
		})
	}
}

// /metrics is opened to the network only when asked, by flag or environment.
func TestMetricsPublicFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  string
		want bool
	}{{nil, "", false}, {[]string{"-metrics-public"}, "", true}, {nil, "1", true}, {[]string{"-metrics-public=false"}, "1", false}} {
		t.Setenv("ARCHIVE_METRICS_PUBLIC", tt.env)
		cfg, err := parseFlags(tt.args, io.Discard)
		if err != nil || cfg.metricsPublic != tt.want {
			t.Errorf("%v with $ARCHIVE_METRICS_PUBLIC=%q: metricsPublic = %v (err %v), want %v", tt.args, tt.env, cfg != nil && cfg.metricsPublic, err, tt.want)
		}
	}
}

// A port already in use is reported at once, with exit 2, before any
// index is built: the index folder stays empty.
func TestTakenPortFailsBeforeTheIndexIsBuilt(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	indexDir := filepath.Join(t.TempDir(), "index")
	start := time.Now()
	err = run(context.Background(), []string{"-content", "../../content", "-index", indexDir, "-addr", taken.Addr().String()}, io.Discard, io.Discard)
	if exitStatus(err) != 2 || !strings.Contains(err.Error(), taken.Addr().String()+" is already in use") || !strings.Contains(err.Error(), "-addr") {
		t.Errorf("err = %v, want exit 2 saying the address is in use and naming -addr", err)
	}
	if entries, _ := os.ReadDir(indexDir); len(entries) > 0 {
		t.Errorf("the index folder has %d entries: the index was built before the port was tried", len(entries))
	}
	t.Logf("failed after %v", time.Since(start))
}
