package check

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blust/archive/internal/media"
	"github.com/blust/archive/internal/testshared"
)

// check names each reference to a media file that is not there, with its
// line; files that are there, other sites, post links and code are fine.
func TestCheckReportsMissingFiles(t *testing.T) {
	content := fstest.MapFS{
		"2024/trip/index.md": {Data: []byte("---\ntitle: A trip\nslug: trip\ndate: 2024-01-01\n---\n\n" +
			"![a map](map.png)\n\n![the view](view.jpg)\n\n{{< figure src=\"sunset.webp\" caption=\"Sunset\" >}}\n\n" +
			"<img src=\"/images/logo.svg\" alt=\"logo\">\n\n[the paper](./paper.pdf) [elsewhere](https://example.org/a.png) [home](/posts/trip)\n\n" +
			"```md\n![in code](nowhere.png)\n```\n")},
		"2024/trip/map.png":      {Data: []byte("png")},
		"static/images/logo.svg": {Data: []byte("<svg/>")},
	}
	rep, err := Run(content, Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Media: media.New(content, nil, "")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		if f.Code == "missing-file" {
			if f.Severity != Warning {
				t.Errorf("%s is an error; a missing image should not fail the check", f.String(""))
			}
			got = append(got, f.String("content"))
		}
	}
	want := []string{
		"content/2024/trip/index.md:9: warning: view.jpg: no such file",
		"content/2024/trip/index.md:11: warning: sunset.webp: no such file",
		"content/2024/trip/index.md:15: warning: ./paper.pdf: no such file",
	}
	if len(got) != len(want) {
		t.Fatalf("findings:\n%s\nwant %d", strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d = %q, want it to start with %q", i, got[i], want[i])
		}
	}
}

// On a real Hugo blog of page bundles, whose images over 200 KiB were
// left out of the corpus, every reported file is truly absent and every
// image that is there resolves.
func TestCheckFilesOnARealBundleBlog(t *testing.T) {
	dir := testshared.Dir(t, "corpus/hugo-opentelemetry-blog")
	fsys := os.DirFS(dir)
	lib := media.New(fsys, nil, "")
	rep, err := Run(fsys, Options{Now: time.Now(), Media: lib})
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, f := range rep.Findings {
		if f.Code != "missing-file" {
			continue
		}
		missing++
		target, _, _ := strings.Cut(f.Message, ": no such file")
		if _, err := os.Stat(path.Join(dir, path.Dir(f.File), target)); err == nil {
			t.Errorf("%s: %s is there", f.File, target)
		}
	}
	resolved := 0
	fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && media.IsMedia(name) && path.Base(path.Dir(name)) != "." {
			if u, local := lib.Resolve(path.Dir(name)+"/index.md", path.Base(name)); !local || u == "" {
				t.Errorf("%s does not resolve from its bundle", name)
			}
			resolved++
		}
		return nil
	})
	t.Logf("%d posts load; %d missing files reported; %d images in bundles resolve", rep.Posts, missing, resolved)
	if resolved < 100 {
		t.Errorf("only %d images found in the corpus", resolved)
	}
}
