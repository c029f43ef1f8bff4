package render

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/blust/archive/internal/testshared"
)

// TestCorpus renders every real post in the shared corpus: none may fail,
// leak script, or leave site-generator syntax in the text.
func TestCorpus(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*.md"))
	if len(paths) == 0 {
		testshared.Missing(t, "corpus", errors.New("no posts under "+corpusDir))
	}
	r := New()
	for _, path := range paths {
		name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkCorpusPost(t, r, stripFrontMatter(b))
		})
	}
}

func checkCorpusPost(tb testing.TB, r *Renderer, body []byte) {
	tb.Helper()
	doc, err := r.Render(body)
	if err != nil {
		tb.Fatalf("Render: %v", err)
	}
	text, err := r.Text(body)
	if err != nil {
		tb.Fatalf("Text: %v", err)
	}
	// Prose may well say "JavaScript:"; only the markup must not.
	markup := strings.ToLower(tagsOnly(string(doc.HTML)))
	for _, bad := range []string{"<script", "onerror", "javascript:"} {
		if strings.Contains(markup, bad) {
			tb.Errorf("HTML markup contains %q", bad)
		}
	}
	checkSafeHTML(tb, string(doc.HTML))
	checkHeadingAnchors(tb, doc)
	for _, d := range []*Doc{doc, text} {
		for _, bad := range []string{"{{<", "{{%", "@[youtube]", "@[vimeo]", "[[toc]]", "&nbsp;", "\u200b"} {
			if i := strings.Index(d.Text, bad); i >= 0 {
				tb.Errorf("Text contains %q: …%s…", bad, clip(d.Text[i:], 60))
			}
		}
		checkDoc(tb, d)
	}
	if text.Text != doc.Text || jsonOf(tb, text.Headings) != jsonOf(tb, doc.Headings) {
		tb.Errorf("Text() and Render() disagree on Text or Headings")
	}
}

// tagsOnly returns the tags of an HTML fragment without its text.
func tagsOnly(h string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(h))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tt != html.TextToken {
			b.Write(z.Raw())
		}
	}
	return b.String()
}
