package web

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/media"
	"github.com/blust/archive/internal/testshared"
)

// mediaRef is a reference the archive rewrote to one of its own files.
var mediaRef = regexp.MustCompile(`(?:src|href|poster)="(/media/[^"]+)"`)

// On a real Hugo blog of page bundles with their images, every post's
// page points its images at the archive, and every such URL serves the
// image with its type.
func TestRealBundleImagesAreServed(t *testing.T) {
	dir := testshared.Dir(t, "corpus/hugo-opentelemetry-blog")
	if testing.Short() {
		t.Skip("indexes a real blog")
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	s := newServerFor(t, os.DirFS(dir), Deps{Media: media.New(root.FS(), nil, "")})
	var hits []index.Hit
	for off := 0; ; off += 100 {
		res, err := s.deps.Index.Search(context.Background(), index.Request{Sort: index.SortNewest, Size: 100, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		hits = append(hits, res.Hits...)
		if len(res.Hits) < 100 {
			break
		}
	}
	posts, refs := 0, 0
	for _, h := range hits {
		_, page := get(t, s, "/posts/"+h.Slug)
		posts++
		for _, m := range mediaRef.FindAllStringSubmatch(page, -1) {
			refs++
			u := strings.ReplaceAll(m[1], "&amp;", "&")
			r, body := get(t, s, u)
			ct, _ := media.ContentType(u)
			if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != ct || len(body) == 0 {
				t.Errorf("%s: %s answers %d %s", h.Slug, u, r.StatusCode, r.Header.Get("Content-Type"))
			}
		}
	}
	t.Logf("%d posts, %d references to the archive's files, all served", posts, refs)
	if posts == 0 {
		t.Fatal("no post indexed")
	}
}
