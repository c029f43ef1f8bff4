package render

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blust/archive/internal/testshared"
)

// corpusBlogs are the real blogs of the shared corpus, one folder each,
// written with different site generators.
var corpusBlogs = []string{
	"ipfs-blog", "pl-research", "hugo-opentelemetry-blog", "jekyll-bitcoinops-en",
	"docusaurus-react-native-blog", "pelican-datafusion-blog", "hexo-site-news",
}

// TestCorpusBlogsNoTemplateSyntax renders every post of every blog, nested
// folders and bundles included, and fails when template or component
// syntax shows outside code in the HTML, the plain text or the summary.
func TestCorpusBlogsNoTemplateSyntax(t *testing.T) {
	r := New()
	for _, blog := range corpusBlogs {
		t.Run(blog, func(t *testing.T) {
			dir := testshared.Dir(t, "corpus/"+blog)
			n := 0
			err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !isPostFile(d.Name()) {
					return err
				}
				n++
				rel, _ := filepath.Rel(dir, path)
				t.Run(rel, func(t *testing.T) { checkBlogPost(t, r, path) })
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Fatalf("no posts under %s", dir)
			}
		})
	}
}

func isPostFile(name string) bool {
	if strings.HasPrefix(name, "_index.") {
		return false
	}
	for _, ext := range []string{".md", ".markdown", ".mdx"} {
		if strings.HasSuffix(name, ext) && !strings.HasSuffix(name, ".README.md") {
			return true
		}
	}
	return false
}

func checkBlogPost(t *testing.T, r *Renderer, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	body, page := splitFrontMatter(b)
	opts := Options{Page: page, Dir: os.DirFS(filepath.Dir(path))}
	doc, err := r.RenderWith(body, opts)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	checkSafeHTML(t, string(doc.HTML))
	checkDoc(t, doc)
	checkNoLeaks(t, doc)
	text, err := r.TextWith(body, opts)
	if err != nil {
		t.Fatalf("Text: %v", err)
	}
	if text.Text != doc.Text {
		t.Errorf("Text() and Render() disagree on the plain text")
	}
}

// splitFrontMatter drops YAML (---) or TOML (+++) front matter and keeps
// its top-level one-line scalar values, which is all {{ page.x }} and
// {{% param x %}} read in these posts.
func splitFrontMatter(b []byte) (body []byte, page map[string]string) {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	page = map[string]string{}
	var delim string
	switch {
	case bytes.HasPrefix(b, []byte("---\n")):
		delim = "---"
	case bytes.HasPrefix(b, []byte("+++\n")):
		delim = "+++"
	default:
		return b, page
	}
	rest := b[4:]
	end := bytes.Index(rest, []byte("\n"+delim+"\n"))
	if end < 0 {
		return b, page
	}
	for _, line := range strings.Split(string(rest[:end]), "\n") {
		sep := ":"
		if delim == "+++" {
			sep = "="
		}
		k, v, ok := strings.Cut(line, sep)
		if !ok || strings.HasPrefix(line, " ") {
			continue
		}
		page[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return rest[end+len(delim)+2:], page
}
