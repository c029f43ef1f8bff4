package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blust/archive/internal/media"
)

// pngBytes is a 1×1 PNG, enough to be an image.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// mediaSite writes a Hugo-shaped site: a content/blog folder with a page
// bundle and a flat post with an asset folder named like it, the site's
// static folder, a secret outside the site and a symlink pointing at it.
// It returns the site root and the content folder.
func mediaSite(t *testing.T) (root, content string) {
	t.Helper()
	top := t.TempDir()
	root = filepath.Join(top, "site")
	content = filepath.Join(root, "content", "blog")
	files := map[string][]byte{
		"site/hugo.toml":                          []byte("title = 'Media test'\n"),
		"site/static/images/logo.png":             pngBytes,
		"site/static/blog/assets/diagram.svg":     []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"site/static/notes.txt":                   []byte("not media"),
		"site/secret.png":                         pngBytes, // in the root, not in a static folder
		"outside/secret.png":                      []byte("outside the site"),
		"site/content/blog/2024/bundle/img.png":   pngBytes,
		"site/content/blog/2024/bundle/chart.PNG": pngBytes,
		"site/content/blog/flat/pic.jpg":          []byte("\xff\xd8\xff\xe0 a jpeg"),
		"site/content/blog/paper.pdf":             []byte("%PDF-1.4 a paper"),
		"site/content/blog/notes.txt":             []byte("not media"),
		"site/content/blog/.hidden/x.png":         pngBytes,
		"site/content/blog/2024/bundle/index.md": []byte("---\ntitle: A bundle\nslug: bundle\ndate: 2024-01-02\n---\n\n" +
			"![a chart](img.png) ![another](./chart.PNG \"t\") ![logo](/images/logo.png)\n\n" +
			"<img src=\"../../../../static/blog/assets/diagram.svg\" alt=\"diagram\">\n\n[elsewhere](https://example.org/x.png) [a post](../../flat.md)\n"),
		"site/content/blog/flat.md": []byte("---\ntitle: Flat post\ndate: 2023-05-06\n---\n\n" +
			"![a picture](pic.jpg) [the paper](/paper.pdf) ![gone](missing.png) ![svg](/blog/assets/diagram.svg)\n"),
	}
	for name, data := range files {
		p := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(top, "outside", "secret.png"), filepath.Join(content, "escape.png")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("paper.pdf", filepath.Join(content, "inside.pdf")); err != nil {
		t.Fatal(err)
	}
	return root, content
}

// newMediaServer indexes the content folder and serves it with the
// library the program builds: both folders opened as os.Root.
func newMediaServer(t *testing.T) *Server {
	t.Helper()
	root, content := mediaSite(t)
	cr, err := os.OpenRoot(content)
	if err != nil {
		t.Fatal(err)
	}
	sr, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cr.Close(); sr.Close() })
	return newServerFor(t, os.DirFS(content), Deps{Media: media.New(cr.FS(), sr.FS(), "content/blog")})
}

// References in posts point at the URLs the archive serves, and a link to
// another post's file at that post (postLinks); a missing file, another
// site's URL and code stay as written.
func TestPostReferencesResolve(t *testing.T) {
	s := newMediaServer(t)
	tests := []struct {
		target string
		want   []string
	}{
		{"/posts/bundle", []string{`src="/media/c/2024/bundle/img.png"`, `src="/media/c/2024/bundle/chart.PNG"`,
			`src="/media/s/static/images/logo.png"`, `src="/media/s/static/blog/assets/diagram.svg"`,
			`href="https://example.org/x.png"`, `href="/posts/flat"`}},
		{"/posts/flat", []string{`src="/media/c/flat/pic.jpg"`, `href="/media/c/paper.pdf"`, `src="missing.png"`,
			`src="/media/s/static/blog/assets/diagram.svg"`}},
		{"/api/v1/posts/flat", []string{`src=\"/media/c/flat/pic.jpg\"`}},
		{"/feed.atom", []string{`src=&#34;http://example.com/media/c/2024/bundle/img.png&#34;`}},
		{"/feed.rss", []string{`src=&#34;http://example.com/media/s/static/images/logo.png&#34;`, `href=&#34;https://example.org/x.png&#34;`}},
	}
	for _, tt := range tests {
		res, body := get(t, s, tt.target)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", tt.target, res.StatusCode)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %s", tt.target, w)
			}
		}
	}
}

func TestMediaServed(t *testing.T) {
	s := newMediaServer(t)
	tests := []struct {
		target, ctype string
		body          []byte
	}{
		{"/media/c/2024/bundle/img.png", "image/png", pngBytes},
		{"/media/c/2024/bundle/chart.PNG", "image/png", pngBytes},
		{"/media/c/flat/pic.jpg", "image/jpeg", []byte("\xff\xd8\xff\xe0 a jpeg")},
		{"/media/c/paper.pdf", "application/pdf", []byte("%PDF-1.4 a paper")},
		{"/media/c/inside.pdf", "application/pdf", []byte("%PDF-1.4 a paper")}, // a symlink that stays inside
		{"/media/s/static/images/logo.png", "image/png", pngBytes},
	}
	for _, tt := range tests {
		res, body := get(t, s, tt.target)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != tt.ctype || body != string(tt.body) {
			t.Errorf("%s: %d %s %q", tt.target, res.StatusCode, res.Header.Get("Content-Type"), body)
			continue
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Cache-Control") != "public, max-age=86400" || res.Header.Get("ETag") == "" {
			t.Errorf("%s: headers %v", tt.target, res.Header)
		}
		req := httptest.NewRequest(http.MethodGet, tt.target, nil)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", tt.target, rec.Code)
		}
	}
}

// An SVG opened by itself cannot run its script.
func TestSVGIsSandboxed(t *testing.T) {
	s := newMediaServer(t)
	res, body := get(t, s, "/media/s/static/blog/assets/diagram.svg")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, "<svg") {
		t.Fatalf("%d %s %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("SVG served with CSP %q, want a sandbox", csp)
	}
}

// No name leaves the content folder or the site's static folders, and
// nothing but allowed media is served.
func TestMediaPathsCannotEscape(t *testing.T) {
	s := newMediaServer(t)
	for _, target := range []string{
		"/media/c/../../../outside/secret.png",
		"/media/c/%2e%2e/%2e%2e/%2e%2e/outside/secret.png",
		"/media/c/%2E%2E%2F%2E%2E%2Fsecret.png",
		"/media/c/2024/../../../secret.png",
		"/media/c/escape.png", // a symlink leading out
		"/media/c//etc/passwd.png",
		"/media/c/%2Fetc%2Fhostname.png",
		"/media/c/" + filepath.ToSlash(os.TempDir()) + "/x.png",
		"/media/c/notes.txt",
		"/media/c/2024/bundle/index.md",
		"/media/c/.hidden/x.png",
		"/media/c/2024/bundle/img.png%00.txt",
		"/media/c/no-such.png",
		"/media/s/secret.png", // in the site root, not in a static folder
		"/media/s/hugo.toml",
		"/media/s/static/notes.txt",
		"/media/s/content/blog/paper.pdf",
		"/media/s/static/../secret.png",
		"/media/x/paper.pdf",
		"/media/c/",
		"/media/c/" + strings.Repeat("a/", 600) + "x.png",
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, target, nil) // the path as sent, dot segments and all
		s.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Result().Body)
		if rec.Code != http.StatusNotFound || strings.Contains(string(body), "outside the site") || strings.Contains(string(body), "\x89PNG") {
			t.Errorf("%s: %d, served %.40q", target, rec.Code, body)
		}
	}
}

// Without a site root, only the content folder's own files are served.
func TestMediaWithoutSiteRoot(t *testing.T) {
	_, content := mediaSite(t)
	cr, err := os.OpenRoot(content)
	if err != nil {
		t.Fatal(err)
	}
	defer cr.Close()
	s := newServerFor(t, os.DirFS(content), Deps{Media: media.New(cr.FS(), nil, "")})
	if res, _ := get(t, s, "/media/s/static/images/logo.png"); res.StatusCode != 404 {
		t.Errorf("site file served without a site root: %d", res.StatusCode)
	}
	_, page := get(t, s, "/posts/bundle")
	if !strings.Contains(page, `src="/images/logo.png"`) || !strings.Contains(page, `src="/media/c/2024/bundle/img.png"`) {
		t.Errorf("want the bundle's image resolved and the site's left as written")
	}
}
