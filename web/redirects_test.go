package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

// movedContent has posts that lived at other addresses on their old
// sites, written in the shapes real blogs use: Hugo aliases (paths, full
// URLs, one under /posts/), a VuePress permalink, an index.html path.
func movedContent() fstest.MapFS {
	return fstest.MapFS{
		"hello.md": {Data: []byte("---\ntitle: Hello worlds\ndate: 2015-05-05\npermalink: /0-hello-worlds/\n---\n\nFirst words.\n")},
		"lab.md": {Data: []byte("---\ntitle: A new lab\ndate: 2019-12-19\naliases:\n  - /posts/201912-lab-launch\n" +
			"  - https://old.example.org/2019/12/19/lab.html?utm_source=x\n  - /Blog/Lab-Launch/\n  - /news/lab/index.html\n  - /café/\n---\n\nA lab opens.\n")},
		"other.md": {Data: []byte("---\ntitle: Another\ndate: 2020-01-01\n---\n\nNothing moved here.\n")},
	}
}

func TestOldURLsRedirect(t *testing.T) {
	s := newServerFor(t, movedContent(), Deps{})
	tests := []struct {
		method, target string
		want           string // final Location after 301s; "" for a 404
	}{
		{"GET", "/0-hello-worlds/", "/posts/hello"},
		{"GET", "/0-hello-worlds", "/posts/hello"},
		{"GET", "/0-hello-worlds/?ref=elsewhere", "/posts/hello"},
		{"HEAD", "/0-hello-worlds/", "/posts/hello"},
		{"GET", "/posts/201912-lab-launch", "/posts/lab"},  // an alias the article route sees first
		{"GET", "/posts/201912-lab-launch/", "/posts/lab"}, // gin drops the slash, then the alias
		{"GET", "/2019/12/19/lab.html", "/posts/lab"},      // a full URL's path
		{"GET", "/Blog/Lab-Launch", "/posts/lab"},
		{"GET", "/Blog/Lab-Launch/", "/posts/lab"},
		{"GET", "/news/lab", "/posts/lab"},
		{"GET", "/news/lab/index.html", "/posts/lab"},
		{"GET", "/caf%C3%A9/", "/posts/lab"},
		{"GET", "/blog/lab-launch", ""}, // the case of the path is kept
		{"GET", "/nothing/here", ""},
		{"GET", "/posts/nothing-here", ""},
		{"GET", "/api/v1/posts/201912-lab-launch", ""},
		{"POST", "/0-hello-worlds/", ""},
		{"GET", "/%2e%2e/0-hello-worlds", "/posts/hello"}, // cleaned like any alias
		// Permalinks no front matter names, whose last segment is a slug.
		{"GET", "/blog/2019/12/19/lab", "/posts/lab"},
		{"GET", "/2015/05/05/hello.html", "/posts/hello"},
		{"GET", "/blog/2020/01/01/Other/", "/posts/other"},
		{"GET", "/posts/Hello", "/posts/hello"},
		{"GET", "/blog/2019/12/19/laboratory", ""},
		// Addresses made from titles (Hugo's :title): several words.
		{"GET", "/blog/2019/a-new-lab/", "/posts/lab"},
		{"GET", "/2015/Hello-Worlds.html", "/posts/hello"},
		{"GET", "/blog/a-new-lab-2/", ""},
		{"GET", "/another/", ""}, // one word is never taken for a title
		{"GET", "/blog/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			target := tt.target
			for hop := 0; ; hop++ {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest(tt.method, target, nil))
				if rec.Code != http.StatusMovedPermanently {
					if tt.want == "" && rec.Code != http.StatusNotFound {
						t.Errorf("%s: status %d, want 404", target, rec.Code)
					}
					if tt.want != "" && (hop == 0 || target != tt.want || rec.Code != http.StatusOK) {
						t.Errorf("ended at %s with %d after %d redirects, want 200 at %s", target, rec.Code, hop, tt.want)
					}
					return
				}
				if tt.want == "" {
					t.Fatalf("%s: 301 to %s, want 404", target, rec.Header().Get("Location"))
				}
				if hop > 2 {
					t.Fatalf("more than two redirects from %s", tt.target)
				}
				target = rec.Header().Get("Location")
			}
		})
	}
}
