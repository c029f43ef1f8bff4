package render

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type post struct {
	name string // file name without .md
	body []byte // Markdown without front matter
}

func goldenPosts(tb testing.TB) []post {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "golden", "*.md"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no golden posts in testdata/golden (err %v)", err)
	}
	posts := make([]post, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		posts = append(posts, post{name: strings.TrimSuffix(filepath.Base(p), ".md"), body: stripFrontMatter(b)})
	}
	return posts
}

// goldenDoc is what the .doc.json golden file holds: the Doc fields that
// are neither HTML nor Text, which have their own files.
type goldenDoc struct {
	Headings       []Heading
	Sections       []Section
	Summary        string
	Words          int
	ReadingMinutes int
}

func TestGolden(t *testing.T) {
	r := New()
	for _, p := range goldenPosts(t) {
		t.Run(p.name, func(t *testing.T) {
			doc, err := r.Render(p.body)
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, doc)
			checkSafeHTML(t, string(doc.HTML))
			checkHeadingAnchors(t, doc)
			base := filepath.Join("testdata", "golden", p.name)
			checkGolden(t, base+".html", []byte(doc.HTML))
			checkGolden(t, base+".txt", []byte(doc.Text))
			meta, err := json.MarshalIndent(goldenDoc{doc.Headings, doc.Sections, doc.Summary, doc.Words, doc.ReadingMinutes}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, base+".doc.json", append(meta, '\n'))

			text, err := r.Text(p.body)
			if err != nil {
				t.Fatal(err)
			}
			doc.HTML = ""
			if got, want := jsonOf(t, text), jsonOf(t, doc); got != want {
				t.Errorf("Text() differs from Render() without HTML:\n got: %s\nwant: %s", clip(got, 300), clip(want, 300))
			}
		})
	}
}

func jsonOf(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
