package render

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blust/archive/internal/testshared"
)

// FuzzRender feeds arbitrary Markdown to Render and Text. Seeds live in
// testdata/fuzz/FuzzRender; the start of each golden post is added too
// when the shared corpus is there.
// Only the start: the fuzzer minimises every new input it finds, and on
// 20 KB inputs that takes minutes per input and stalls the run.
func FuzzRender(f *testing.F) {
	if corpus, ok := testshared.Has(f, "corpus"); ok {
		for _, p := range readGoldenPosts(f, corpus) {
			f.Add(p.body[:cutAtLine(p.body, 1500)])
		}
	}
	r := New()
	f.Fuzz(func(t *testing.T, md []byte) {
		doc, err := r.Render(md)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if strings.Contains(strings.ToLower(string(doc.HTML)), "<script") {
			t.Fatalf("HTML contains <script: %s", doc.HTML)
		}
		if !utf8.ValidString(doc.Text) {
			t.Fatalf("Text is not valid UTF-8: %q", doc.Text)
		}
		checkDoc(t, doc)
		checkHeadingAnchors(t, doc)
		text, err := r.Text(md)
		if err != nil {
			t.Fatalf("Text: %v", err)
		}
		if text.Text != doc.Text || jsonOf(t, text.Headings) != jsonOf(t, doc.Headings) {
			t.Fatalf("Text() and Render() disagree:\n%q\n%q", text.Text, doc.Text)
		}
	})
}

// cutAtLine returns the end of the last whole line within the first n bytes.
func cutAtLine(b []byte, n int) int {
	if len(b) <= n {
		return len(b)
	}
	if i := bytes.LastIndexByte(b[:n], '\n'); i >= 0 {
		return i + 1
	}
	return n
}
