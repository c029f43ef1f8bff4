package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestReplicasBehindHAProxy runs the shipped deploy/haproxy.cfg in front
// of three read replicas and, under 32 connections of searches, article
// pages and API calls, rolls a new build out replica by replica and
// kills one replica with SIGKILL and restarts it. No request may fail,
// every answer names build A or B, and after the roll all name B.
func TestReplicasBehindHAProxy(t *testing.T) {
	haproxy := requireHAProxy(t)
	bin := archiveBinary(t)
	work := t.TempDir()
	ca := generatedContent(t, 60)
	cb := copyContent(t, ca)
	writeFile(t, filepath.Join(cb, "rolled-out.md"), "---\ntitle: Rolled out\ndate: 2024-05-01\n---\n\nOnly build B knows the word zanzibarite.\n")
	packA, labelA := packBuild(t, bin, ca, filepath.Join(work, "a"))
	packB, labelB := packBuild(t, bin, cb, filepath.Join(work, "b"))

	reps := make([]*replicaProc, 3)
	for i := range reps {
		reps[i] = &replicaProc{bin: bin, dir: filepath.Join(work, fmt.Sprintf("replica%d", i+1)), addr: freeAddr(t)}
		runBin(t, bin, "-index", reps[i].dir, "unpack", "-i", packA)
		reps[i].start(t)
	}
	proxy, hlogs := startHAProxy(t, haproxy, work, reps)
	for _, r := range reps {
		waitBuild(t, "http://"+r.addr, labelA, 20*time.Second)
	}
	cursor := firstCursor(t, proxy, labelA)

	slugs := postSlugs(t, ca)
	load := startLoad(proxy, slugs, labelA, labelB, 32)
	time.Sleep(time.Second)

	rollStart := time.Now()
	for _, r := range reps {
		runBin(t, bin, "-index", r.dir, "unpack", "-i", packB)
		waitBuild(t, "http://"+r.addr, labelB, 20*time.Second)
	}
	roll := time.Since(rollStart)
	time.Sleep(500 * time.Millisecond)

	killStart := time.Now()
	reps[1].kill(t)
	reps[1].start(t)
	waitBuild(t, "http://"+reps[1].addr, labelB, 20*time.Second)
	back := time.Since(killStart)
	time.Sleep(2 * time.Second) // traffic through the restarted replica
	st := load.stop()

	t.Logf("replicas behind HAProxy: %d requests at 32 connections, %d failed; roll of 3 replicas from %s to %s took %v; a SIGKILLed replica was ready again after %v",
		st.requests, st.failed, labelA, labelB, roll.Round(time.Millisecond), back.Round(time.Millisecond))
	if st.failed > 0 {
		t.Errorf("%d of %d requests failed; first: %s\nhaproxy's lines for them:\n%s", st.failed, st.requests, st.firstFailure, linesWith(hlogs.String(), st.failedIDs))
	}
	if st.requests < 500 {
		t.Errorf("only %d requests ran; the load did not exercise the roll", st.requests)
	}
	if st.byBuild[labelA] == 0 || st.byBuild[labelB] == 0 {
		t.Errorf("answers by build: %v; want both %s and %s", st.byBuild, labelA, labelB)
	}
	for i := range 30 {
		res, body := get(t, proxy+"/api/v1/search?q=zanzibarite", fmt.Sprintf("after-roll-%d", i))
		if got := res.Header.Get("X-Archive-Index"); got != labelB || !strings.Contains(body, `"total":1`) {
			t.Fatalf("after the roll an answer came from %q (want %s): %s", got, labelB, tail(body, 300))
		}
	}
	res, body := get(t, proxy+"/api/v1/search?q=storage&per_page=2&cursor="+url.QueryEscape(cursor), "cursor-from-a")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"param":"cursor"`) {
		t.Errorf("a cursor of build A on build B: %d %s; want the documented 400 on cursor", res.StatusCode, tail(body, 300))
	}
	if got := res.Header.Get("X-Request-ID"); got != "cursor-from-a" {
		t.Errorf("request id through HAProxy = %q, want the client's cursor-from-a", got)
	}
}

// requireHAProxy finds haproxy, or skips saying why (fails when
// ARCHIVE_REQUIRE_HAPROXY=1, as in CI).
func requireHAProxy(t *testing.T) string {
	p, err := exec.LookPath("haproxy")
	if err == nil {
		return p
	}
	if os.Getenv("ARCHIVE_REQUIRE_HAPROXY") == "1" {
		t.Fatalf("haproxy is not installed and ARCHIVE_REQUIRE_HAPROXY=1: %v", err)
	}
	t.Skip("haproxy is not installed (apt-get install haproxy); set ARCHIVE_REQUIRE_HAPROXY=1 to fail instead")
	return ""
}

func copyContent(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dst, e.Name()), string(b))
	}
	return dst
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runBin runs the archive binary and fails the test on a non-zero exit.
func runBin(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("archive %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

var packedLabel = regexp.MustCompile(`packed build (\S+) `)

// packBuild indexes content into dir/index and packs it into dir.tar.zst.
func packBuild(t *testing.T, bin, content, dir string) (file, label string) {
	t.Helper()
	file = dir + ".tar.zst"
	runBin(t, bin, "-content", content, "-index", filepath.Join(dir, "index"), "-reindex")
	out := runBin(t, bin, "-content", content, "-index", filepath.Join(dir, "index"), "pack", "-o", file)
	m := packedLabel.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pack said %q", out)
	}
	return file, m[1]
}

// replicaProc is one archive -read-only process.
type replicaProc struct {
	bin, dir, addr string
	p              *process
}

func (r *replicaProc) start(t *testing.T) {
	t.Helper()
	r.p = startProcess(t, r.bin, "http://"+r.addr, "-index", r.dir, "-read-only", "-addr", r.addr)
}

func (r *replicaProc) kill(t *testing.T) {
	t.Helper()
	if err := r.p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-r.p.done
}

// startHAProxy runs the shipped haproxy.cfg with its bind and server
// addresses replaced by local ones, and waits until it passes requests.
func startHAProxy(t *testing.T, bin, work string, reps []*replicaProc) (string, *syncBuffer) {
	t.Helper()
	b, err := os.ReadFile("deploy/haproxy.cfg")
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(b)
	front := freeAddr(t)
	subst := map[string]string{"bind 127.0.0.1:8080": "bind " + front}
	for i, r := range reps {
		subst[fmt.Sprintf(" 127.0.0.1:%d", 8081+i)] = " " + r.addr
	}
	for from, to := range subst {
		if strings.Count(cfg, from) != 1 {
			t.Fatalf("deploy/haproxy.cfg: want %q exactly once, to point it at the test's ports", from)
		}
		cfg = strings.Replace(cfg, from, to, 1)
	}
	path := filepath.Join(work, "haproxy.cfg")
	writeFile(t, path, cfg)
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "-db", "-f", path)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	base := "http://" + front
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return base, logs
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("haproxy never passed a request; its log:\n%s", logs)
	return "", nil
}

// waitBuild waits until the replica at base is ready on build label.
func waitBuild(t *testing.T, base, label string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	var last string
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			last = string(b)
			if res.StatusCode == 200 && strings.Contains(last, `"index_build":"`+label+`"`) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never became ready on build %s; last /readyz: %s", base, label, last)
}

func get(t *testing.T, u, requestID string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("X-Request-ID", requestID)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// firstCursor is a next_cursor made on build label.
func firstCursor(t *testing.T, proxy, label string) string {
	t.Helper()
	_, body := get(t, proxy+"/api/v1/search?q=storage&per_page=2", "first-cursor")
	var page struct {
		Build  string  `json:"index_build"`
		Cursor *string `json:"next_cursor"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || page.Cursor == nil || page.Build != label {
		t.Fatalf("no cursor from build %s: %v %s", label, err, tail(body, 300))
	}
	return *page.Cursor
}

func postSlugs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, e := range entries {
		if s, ok := strings.CutSuffix(e.Name(), ".md"); ok {
			slugs = append(slugs, s)
		}
	}
	return slugs
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// linesWith picks the log lines that name one of the request ids.
func linesWith(log string, ids []string) string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		for _, id := range ids {
			if strings.Contains(line, "{"+id+"}") {
				out = append(out, line)
			}
		}
	}
	return strings.Join(out, "\n")
}

// loadStats is what the load saw.
type loadStats struct {
	requests, failed int
	byBuild          map[string]int
	firstFailure     string
	failedIDs        []string // the first few
}

type loadRun struct {
	stopped atomic.Bool
	wg      sync.WaitGroup
	mu      sync.Mutex
	st      loadStats
}

// startLoad runs conns clients in a loop over searches, article pages
// and API calls until stop. A request fails unless it is answered 200,
// whole, by build a or b, with the request id it sent.
func startLoad(proxy string, slugs []string, a, b string, conns int) *loadRun {
	l := &loadRun{st: loadStats{byBuild: map[string]int{}}}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns}}
	words := []string{"storage", "network", "zanzibarite", "data OR protocol", `"the network"`}
	for c := range conns {
		l.wg.Go(func() {
			for i := 0; !l.stopped.Load(); i++ {
				slug, word := slugs[(c*7+i)%len(slugs)], url.QueryEscape(words[(c+i)%len(words)])
				paths := []string{"/search?q=" + word, "/posts/" + slug, "/api/v1/search?q=" + word + "&facets=tags", "/api/v1/posts/" + slug}
				id := fmt.Sprintf("load-%d-%d", c, i)
				build, err := loadRequest(client, proxy+paths[i%len(paths)], id, a, b)
				l.record(id, build, err)
			}
		})
	}
	return l
}

// loadRequest makes one request; it returns the build that answered, or
// an error saying why the request failed.
func loadRequest(client *http.Client, u, id, a, b string) (string, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("X-Request-ID", id)
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	build := res.Header.Get("X-Archive-Index")
	switch {
	case err != nil:
		return "", fmt.Errorf("%s: body: %w", u, err)
	case res.StatusCode != http.StatusOK:
		return "", fmt.Errorf("%s: status %d: %s", u, res.StatusCode, tail(string(body), 300))
	case build != a && build != b:
		return "", fmt.Errorf("%s: answered by build %q, neither %s nor %s", u, build, a, b)
	case res.Header.Get("X-Request-ID") != id:
		return "", fmt.Errorf("%s: request id %q came back as %q", u, id, res.Header.Get("X-Request-ID"))
	}
	return build, nil
}

func (l *loadRun) record(id, build string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.st.requests++
	if err != nil {
		l.st.failed++
		if len(l.st.failedIDs) < 10 {
			l.st.failedIDs = append(l.st.failedIDs, id)
		}
		if l.st.firstFailure == "" {
			l.st.firstFailure = err.Error()
		}
		return
	}
	l.st.byBuild[build]++
}

func (l *loadRun) stop() loadStats {
	l.stopped.Store(true)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st
}
