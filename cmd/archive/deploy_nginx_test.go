package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blust/archive/web"
)

// nginxConf is deploy/nginx.conf with the facts the tests check.
type nginxConf struct {
	text     string
	assets   *regexp.Regexp // the cached location's pattern
	upstream string         // the archive's address
}

func readNginxConf(t *testing.T) nginxConf {
	t.Helper()
	c := nginxConf{text: readDeployFile(t, "nginx.conf")}
	var cached []string
	for _, m := range regexp.MustCompile(`(?s)location ~ "([^"]+)" \{(.*?)\n\s*\}`).FindAllStringSubmatch(c.text, -1) {
		if strings.Contains(m[2], "proxy_cache ") {
			cached = append(cached, m[1])
		}
	}
	if len(cached) != 1 {
		t.Fatalf("nginx.conf has %d cached regex locations, want 1 (the assets)", len(cached))
	}
	re, err := regexp.Compile(cached[0])
	if err != nil {
		t.Fatalf("the assets location %q: %v", cached[0], err)
	}
	c.assets = re
	m := regexp.MustCompile(`upstream archive \{\s*server ([^ ;]+)`).FindStringSubmatch(c.text)
	if m == nil {
		t.Fatal("nginx.conf has no upstream archive with a server")
	}
	c.upstream = m[1]
	return c
}

// TestNginxConf: the cached location takes exactly the archive's
// fingerprinted asset URLs (as a running archive names them in its
// pages), every request carries the headers the archive reads, and the
// upstream is where archive.service listens, which trusts it.
func TestNginxConf(t *testing.T) {
	c := readNginxConf(t)
	for _, h := range []string{
		"proxy_set_header Host $host;",
		"proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
		"proxy_set_header X-Forwarded-Proto $scheme;",
		"proxy_set_header X-Request-ID $request_id;",
	} {
		if !strings.Contains(c.text, h) {
			t.Errorf("nginx.conf does not set %q", h)
		}
	}
	// A location that set one header of its own would drop all the
	// server's: they belong before the first location only.
	first := regexp.MustCompile(`(?m)^\s*location `).FindStringIndex(c.text)
	if first == nil || strings.Contains(c.text[first[0]:], "proxy_set_header") {
		t.Errorf("a location in nginx.conf sets its own proxy_set_header; the server's would then not apply there")
	}

	unit := parseUnit(t, readDeployFile(t, "archive.service"))
	exe, _ := unit.last("Service", "ExecStart")
	cfg, err := parseFlags(shellWords(exe)[1:], io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.upstream != cfg.addr {
		t.Errorf("nginx.conf proxies to %s, archive.service listens on %s", c.upstream, cfg.addr)
	}
	host, _, _ := net.SplitHostPort(c.upstream)
	proxyIP := clientAddrOf(t, host)
	trusted := false
	for _, p := range cfg.trustedProxies {
		trusted = trusted || p.Contains(proxyIP)
	}
	if !trusted {
		t.Errorf("archive.service's -trusted-proxies %v do not hold %s, where nginx connects from", cfg.trustedProxies, proxyIP)
	}

	content := filepath.Join(t.TempDir(), "content")
	writeDeployFixture(t, content)
	base, _ := startServer(t, "-content", content, "-index", t.TempDir())
	_, home := fetch(t, base+"/")
	urls := regexp.MustCompile(`"(/static/[^"]+)"`).FindAllStringSubmatch(home, -1)
	if len(urls) < 3 {
		t.Fatalf("the home page names %d assets; want the stylesheets, the script and the icon", len(urls))
	}
	for _, u := range urls {
		if !c.assets.MatchString(u[1]) {
			t.Errorf("the archive's asset %s is not cached by nginx.conf's %s", u[1], c.assets)
		}
		res, err := http.Get(base + u[1])
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s answers Cache-Control %q: caching it a year would be wrong", u[1], cc)
		}
	}
	for _, p := range []string{"/static/style.css", "/static/style.3f2a1b9c0d.css/x", "/static/style.3F2A1B9C0D.css", "/media/posts/photo.3f2a1b9c0d.png",
		"/search", "/posts/style.3f2a1b9c0d.css", "/api/v1/search", "/feed.atom"} {
		if c.assets.MatchString(p) {
			t.Errorf("%s would be cached a year by nginx.conf's %s; it is not a fingerprinted asset", p, c.assets)
		}
	}
}

// clientAddrOf is the address a connection to host comes from.
func clientAddrOf(t *testing.T, host string) netip.Addr {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return conn.LocalAddr().(*net.TCPAddr).AddrPort().Addr().Unmap()
}

// TestNginxInFront runs nginx with deploy/nginx.conf (its listening port,
// upstream port, log and cache paths changed) in front of an archive that
// trusts 127.0.0.1: assets are cached, the log names the reader's address
// and not one it forged in X-Forwarded-For, and nginx's request id is
// the archive's.
func TestNginxInFront(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		if os.Getenv("ARCHIVE_REQUIRE_NGINX") != "" {
			t.Fatal("nginx is not installed, and ARCHIVE_REQUIRE_NGINX is set (apt-get install nginx-light)")
		}
		t.Skip("nginx is not installed (apt-get install nginx-light); TestNginxConf checked the file without it")
	}
	c := readNginxConf(t)
	content := filepath.Join(t.TempDir(), "content")
	writeDeployFixture(t, content)
	base, logs := startServer(t, "-content", content, "-index", t.TempDir(), "-trusted-proxies", "127.0.0.1/32", "-base-url", "https://archive.example.org")
	upstream := strings.TrimPrefix(base, "http://")

	dir := t.TempDir()
	front := freeAddr(t)
	_, frontPort, _ := net.SplitHostPort(front)
	conf := strings.NewReplacer(
		"server "+c.upstream+";", "server "+upstream+";",
		"listen 80;", "listen 127.0.0.1:"+frontPort+";",
		"/var/log/nginx/archive.access.log", filepath.Join(dir, "access.log"),
		"/var/cache/nginx/archive", filepath.Join(dir, "cache"),
	).Replace(c.text)
	if !strings.Contains(conf, upstream) || !strings.Contains(conf, frontPort) || strings.Contains(conf, "/var/") {
		t.Fatalf("nginx.conf changed shape; the test could not point it at the test's archive:\n%s", conf)
	}
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	global := "pid " + filepath.Join(dir, "nginx.pid") + ";"
	if os.Geteuid() == 0 {
		global += " user root;" // the workers reach the test's private temporary folder
	}
	args := []string{"-p", dir, "-c", confPath, "-e", filepath.Join(dir, "error.log"), "-g", global}
	if out, err := exec.Command(nginx, append([]string{"-t"}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	srv := exec.Command(nginx, append(args[:len(args)-1], global+" daemon off;")...)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Process.Signal(syscall.SIGQUIT)
		done := make(chan struct{})
		go func() { srv.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			srv.Process.Kill()
			<-done
		}
	})

	// The reader is 127.0.0.5: not the proxy, so not trusted.
	reader := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.5")}}).DialContext}}
	get := func(path string, h http.Header) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://"+front+path, nil)
		for k, v := range h {
			req.Header[k] = v
		}
		var res *http.Response
		deadline := time.Now().Add(30 * time.Second) // nginx starting: a watchdog, not a speed limit
		for {
			res, err = reader.Do(req)
			if err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			b, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("GET %s through nginx: %v\n%s", path, err, b)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}

	_, home := get("/", nil)
	asset := regexp.MustCompile(`"(/static/style\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(home)
	if asset == nil {
		t.Fatalf("no stylesheet in the home page through nginx:\n%.500s", home)
	}
	var statuses []string
	var bodies []string
	for range 2 {
		res, body := get(asset[1], nil)
		statuses = append(statuses, res.Header.Get("X-Cache-Status"))
		bodies = append(bodies, body)
	}
	if statuses[0] != "MISS" || statuses[1] != "HIT" || bodies[0] != bodies[1] || len(bodies[0]) == 0 {
		t.Errorf("the stylesheet twice through nginx: cache %v, bodies equal %v; want MISS then HIT with the same body", statuses, bodies[0] == bodies[1])
	}
	res, _ := get("/search?q=container", nil)
	if got := res.Header.Get("X-Cache-Status"); got != "" {
		t.Errorf("a search passed the assets' cache (X-Cache-Status %q)", got)
	}

	res, _ = get("/healthz", http.Header{"X-Forwarded-For": {"6.6.6.6"}, web.RequestIDHeader: {"forged-id"}})
	id := res.Header.Get(web.RequestIDHeader)
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
		t.Fatalf("X-Request-ID through nginx = %q, want nginx's $request_id (32 hex digits), not the reader's", id)
	}
	line := ""
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "request_id="+id) && strings.Contains(l, "msg=request") {
			line = l
		}
	}
	if !strings.Contains(line, "client=127.0.0.5 ") {
		t.Errorf("the archive logged %q; want the reader client=127.0.0.5, not the forged 6.6.6.6 nor the proxy", line)
	}
	// nginx writes its log line after the answer has gone out.
	var access []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if access, _ = os.ReadFile(filepath.Join(dir, "access.log")); strings.Contains(string(access), "request_id="+id) {
			break
		}
	}
	if !strings.Contains(string(access), "request_id="+id) {
		t.Errorf("nginx's access log does not carry request_id=%s:\n%s", id, access)
	}

	// Straight to the archive from the reader's address: the header is
	// not believed.
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"/healthz", nil)
	req.Header.Set("X-Forwarded-For", "6.6.6.6")
	req.Header.Set(web.RequestIDHeader, "direct-1")
	if res, err := reader.Do(req); err != nil {
		t.Fatal(err)
	} else {
		res.Body.Close()
	}
	if !strings.Contains(logs.String(), fmt.Sprintf("request_id=%s client=127.0.0.5 ", "direct-1")) {
		t.Errorf("a direct request with a forged X-Forwarded-For was not logged as client=127.0.0.5:\n%s", logs)
	}
}
