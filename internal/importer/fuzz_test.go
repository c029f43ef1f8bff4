package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/blust/archive/internal/post"
)

// FuzzImport feeds arbitrary bytes to every format: Import must not panic,
// and whatever it returns must be a post that loads.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(filepath.Base(name), b)
		}
	}
	f.Add("x.html", []byte("<article><h1>T</h1><time datetime=2020-01-02>x</time><ul><li><ol><li>deep"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		res, err := Import(name, data)
		if err != nil {
			return
		}
		for _, p := range res.Posts {
			md, err := p.Source.Markdown()
			if err != nil {
				t.Fatalf("%s: %v", p.Slug, err)
			}
			if _, err := post.Parse(p.Slug+".md", md); err != nil {
				t.Fatalf("imported post does not load: %v\n%s", err, md)
			}
		}
	})
}
