package media

import (
	"io"
	"testing"
	"testing/fstest"
)

func TestResolve(t *testing.T) {
	content := fstest.MapFS{
		"2024/trip/index.md":     {Data: []byte("post")},
		"2024/trip/map.png":      {Data: []byte("png")},
		"2024/trip/my photo.JPG": {Data: []byte("jpg")},
		"2024/notes.md":          {Data: []byte("post")},
		"2024/notes/sketch.svg":  {Data: []byte("<svg/>")}, // an asset folder named like the post
		"static/logo.png":        {Data: []byte("png")},
		"paper.pdf":              {Data: []byte("%PDF")},
		".git/secret.png":        {Data: []byte("png")},
		"script.js":              {Data: []byte("js")},
	}
	site := fstest.MapFS{
		"static/blog/assets/diagram.webp": {Data: []byte("webp")},
		"images/banner.gif":               {Data: []byte("gif")},
		"img/posts/chart.png":             {Data: []byte("png")}, // Jekyll publishes every folder
		"secret.png":                      {Data: []byte("png")},
		"content/blog/x.png":              {Data: []byte("png")},
	}
	lib := New(content, site, "content/blog")
	tests := []struct {
		post, ref, want string
		local           bool
	}{
		{"2024/trip/index.md", "map.png", "/media/c/2024/trip/map.png", true},
		{"2024/trip/index.md", "./map.png?v=2#x", "/media/c/2024/trip/map.png", true},
		{"2024/trip/index.md", "my%20photo.JPG", "/media/c/2024/trip/my%20photo.JPG", true},
		{"2024/trip/index.md", "my photo.JPG", "/media/c/2024/trip/my%20photo.JPG", true},
		{"2024/notes.md", "sketch.svg", "/media/c/2024/notes/sketch.svg", true},
		{"2024/notes.md", "/logo.png", "/media/c/static/logo.png", true},
		{"2024/notes.md", "/paper.pdf", "/media/c/paper.pdf", true},
		{"2024/notes.md", "../paper.pdf", "/media/c/paper.pdf", true},
		{"2024/notes.md", "/blog/assets/diagram.webp", "/media/s/static/blog/assets/diagram.webp", true},
		{"2024/notes.md", "../../../static/blog/assets/diagram.webp", "/media/s/static/blog/assets/diagram.webp", true},
		{"2024/notes.md", "/images/banner.gif", "/media/s/images/banner.gif", true},
		{"2024/notes.md", "/img/posts/chart.png", "/media/s/img/posts/chart.png", true},
		{"2024/notes.md", "missing.png", "", true},
		{"2024/notes.md", "/secret.png", "", true},                // the site root itself is not served
		{"2024/notes.md", "../../../secret.png", "", true},        // nor reached by climbing
		{"2024/notes.md", "../../../../../etc/x.png", "", true},   // nor anything above it
		{"2024/notes.md", "/.git/secret.png", "", true},           // hidden
		{"2024/notes.md", "https://example.org/a.png", "", false}, // another site
		{"2024/notes.md", "//cdn.example.org/a.png", "", false},
		{"2024/notes.md", "data:image/png;base64,AAAA", "", false},
		{"2024/notes.md", "#fig-1", "", false},
		{"2024/notes.md", "other.md", "", false},   // a post link, check's business
		{"2024/notes.md", "/script.js", "", false}, // not media
		{"2024/notes.md", "", "", false},
		// Pelican's forms: {static} and {attach}, rooted or relative, and
		// the older bars; goldmark writes the braces percent-escaped.
		{"2024/notes.md", "{static}/paper.pdf", "/media/c/paper.pdf", true},
		{"2024/notes.md", "%7Bstatic%7D/images/banner.gif", "/media/s/images/banner.gif", true},
		{"2024/trip/index.md", "{attach}map.png", "/media/c/2024/trip/map.png", true},
		{"2024/trip/index.md", "|static|map.png", "/media/c/2024/trip/map.png", true},
		{"2024/notes.md", "{static}/../../secret.png", "", true},
		{"2024/notes.md", "{static}", "", false},
	}
	for _, tt := range tests {
		u, local := lib.Resolve(tt.post, tt.ref)
		if u != tt.want || local != tt.local {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q, %v", tt.post, tt.ref, u, local, tt.want, tt.local)
		}
	}
}

func TestOpen(t *testing.T) {
	content := fstest.MapFS{"a/b.png": {Data: []byte("png")}, "a/c.html": {Data: []byte("<script>")}, "d": {Mode: 0o755 | 1<<31}}
	site := fstest.MapFS{"public/x.mp4": {Data: []byte("mp4")}, "x.mp4": {Data: []byte("mp4")}}
	lib := New(content, site, "posts")
	for _, tt := range []struct {
		root, name string
		ok         bool
	}{
		{"c", "a/b.png", true}, {"s", "public/x.mp4", true},
		{"c", "a/c.html", false}, {"s", "x.mp4", false}, {"c", "../a/b.png", false}, {"c", "/a/b.png", false},
		{"c", "a//b.png", false}, {"c", "a/./b.png", false}, {"z", "a/b.png", false}, {"c", "", false},
	} {
		f, _, err := lib.Open(tt.root, tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("Open(%q, %q): err %v, want ok=%v", tt.root, tt.name, err, tt.ok)
		}
		if f != nil {
			b, _ := io.ReadAll(f)
			f.Close()
			if len(b) == 0 {
				t.Errorf("Open(%q, %q) read nothing", tt.root, tt.name)
			}
		}
	}
	if New(content, nil, "posts").under != "" {
		t.Error("without a site root the content folder sits nowhere")
	}
}

func TestContentType(t *testing.T) {
	for name, want := range map[string]string{"a.PNG": "image/png", "b.svg": "image/svg+xml", "c.pdf": "application/pdf", "d.webm": "video/webm", "e.html": "", "f": "", "g.svgz": ""} {
		got, ok := ContentType(name)
		if got != want || ok != (want != "") {
			t.Errorf("ContentType(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}
