package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/blust/archive/internal/gen"
)

// server is the real archive binary serving the benchmark index.
type server struct {
	cmd    *exec.Cmd
	base   string
	exited chan error    // receives cmd.Wait's result once
	synced chan struct{} // closed when the server logs its start-up sync's end
	// Startup is from starting the process to its first answered search.
	Startup time.Duration
}

// startServer starts the binary on a free port of 127.0.0.1 and waits for
// its first answered search (at most a minute).
func startServer(ctx context.Context, bin, corpus, indexDir string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-content", corpus, "-index", indexDir, "-addr", addr)
	logs, logw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = io.Discard, logw
	s := &server{cmd: cmd, base: "http://" + addr, exited: make(chan error, 1), synced: make(chan struct{})}
	start := time.Now()
	err = cmd.Start()
	logw.Close()
	if err != nil {
		logs.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go s.watchLog(logs)
	go func() { s.exited <- cmd.Wait() }()
	probe := s.base + "/api/v1/search?q=ipfs"
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(probe)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.Startup = time.Since(start)
				return s, nil
			}
		}
		select {
		case err := <-s.exited:
			return nil, fmt.Errorf("server exited before answering: %v", err)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
		if time.Since(start) > time.Minute {
			s.stop()
			return nil, errors.New("server did not answer within a minute")
		}
	}
}

// watchLog reads the server's log to its end, closing synced at the line
// that ends its start-up sync (done or failed).
func (s *server) watchLog(logs *os.File) {
	defer logs.Close()
	sc := bufio.NewScanner(logs)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	seen := false
	for sc.Scan() {
		if !seen && strings.Contains(sc.Text(), "start-up sync") {
			seen = true
			close(s.synced)
		}
	}
	io.Copy(io.Discard, logs) // a line too long for the scanner
}

// awaitSync waits for the end of the server's start-up sync, which runs in
// the background once the server answers (at 100,000 posts it took about
// three seconds of both cores), so the load test measures a settled
// server; start-up is measured on its own.
func (s *server) awaitSync(ctx context.Context, limit time.Duration) error {
	select {
	case <-s.synced:
		return nil
	case err := <-s.exited:
		s.exited <- err
		return fmt.Errorf("server exited during its start-up sync: %v", err)
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(limit):
		return fmt.Errorf("server did not end its start-up sync within %s", limit)
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// stop asks the server to shut down gracefully and waits for it.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// Memory is the server's resident memory in MB, now and at its peak.
type Memory struct {
	RSSMB  float64 `json:"rss_mb"`
	PeakMB float64 `json:"peak_rss_mb"`
	AnonMB float64 `json:"anon_mb"`
	FileMB float64 `json:"file_mb"`
}

func (s *server) memory() (Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	var m Memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		switch k {
		case "VmRSS":
			m.RSSMB = kb / 1024
		case "VmHWM":
			m.PeakMB = kb / 1024
		case "RssAnon":
			m.AnonMB = kb / 1024
		case "RssFile":
			m.FileMB = kb / 1024
		}
	}
	return m, sc.Err()
}

// urls is the query mix as URLs of one endpoint.
func (s *server) urls(path string, qs []gen.Query) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		text, tags := q.SearchBox()
		v := url.Values{"q": {text}}
		for _, t := range tags {
			v.Add("tag", t)
		}
		out[i] = s.base + path + "?" + v.Encode()
	}
	return out
}

// LoadResult is one endpoint at one concurrency.
type LoadResult struct {
	Endpoint string `json:"endpoint"`
	Throughput
}

// load drives path with conns concurrent keep-alive connections for d.
func (s *server) load(ctx context.Context, path string, qs []gen.Query, conns int, d time.Duration) LoadResult {
	// The deadline both ends the callers and cuts the requests in flight.
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	do, done := s.caller(ctx, path, qs, conns)
	defer done()
	th := hammerN(ctx, conns, 0, len(qs), do)
	return LoadResult{Endpoint: path, Throughput: th}
}

// caller asks query i of the mix from path on one of conns keep-alive
// connections, for hammer's callers; done closes the connections.
func (s *server) caller(ctx context.Context, path string, qs []gen.Query, conns int) (do func(i int) error, done func()) {
	urls := s.urls(path, qs)
	host := strings.TrimPrefix(s.base, "http://")
	pool := make(chan *rawConn, conns) // one connection per caller at a time
	for range conns {
		pool <- &rawConn{host: host}
	}
	done = func() {
		for range conns {
			if rc := <-pool; rc.c != nil {
				rc.c.Close()
			}
		}
	}
	do = func(i int) error {
		rc := <-pool
		defer func() { pool <- rc }()
		status, _, err := rc.get(ctx, strings.TrimPrefix(urls[i], s.base))
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("status %d", status)
		}
		return err
	}
	return do, done
}
