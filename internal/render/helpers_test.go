package render

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// corpusDir is the shared corpus of real posts, relative to this package.
const corpusDir = "../../../shared/corpus"

func mustRender(tb testing.TB, r *Renderer, md string) *Doc {
	tb.Helper()
	doc, err := r.Render([]byte(md))
	if err != nil {
		tb.Fatalf("Render(%q): %v", md, err)
	}
	return doc
}

func mustText(tb testing.TB, r *Renderer, md string) *Doc {
	tb.Helper()
	doc, err := r.Text([]byte(md))
	if err != nil {
		tb.Fatalf("Text(%q): %v", md, err)
	}
	return doc
}

// stripFrontMatter crudely drops everything up to the second "---" line,
// which is all the corpus posts need.
func stripFrontMatter(b []byte) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	if len(lines) == 0 || string(bytes.TrimRight(lines[0], "\r\n")) != "---" {
		return b
	}
	n := len(lines[0])
	for _, line := range lines[1:] {
		n += len(line)
		if string(bytes.TrimRight(line, "\r\n")) == "---" {
			return b[n:]
		}
	}
	return b
}

// checkDoc asserts the invariants every Doc must hold, whatever the input.
func checkDoc(tb testing.TB, doc *Doc) {
	tb.Helper()
	if !utf8.ValidString(doc.Text) {
		tb.Errorf("Text is not valid UTF-8: %q", doc.Text)
	}
	if !utf8.ValidString(doc.Summary) || len(doc.Summary) > SummaryMaxBytes {
		tb.Errorf("Summary is invalid or longer than %d bytes: %q", SummaryMaxBytes, doc.Summary)
	}
	checkSections(tb, doc)
	if doc.Words > 0 && doc.ReadingMinutes < 1 || doc.Words == 0 && doc.ReadingMinutes != 0 {
		tb.Errorf("Words = %d, ReadingMinutes = %d", doc.Words, doc.ReadingMinutes)
	}
}

// checkSections asserts that sections start at 0, ascend, stay inside Text
// and start at their heading's text, and that headings and sections agree.
func checkSections(tb testing.TB, doc *Doc) {
	tb.Helper()
	if doc.Text == "" {
		if len(doc.Sections) != 0 {
			tb.Errorf("empty Text has sections %+v", doc.Sections)
		}
		return
	}
	if len(doc.Sections) == 0 || doc.Sections[0].Start != 0 {
		tb.Fatalf("Sections = %+v, want the first to start at 0", doc.Sections)
	}
	prev := 0
	var anchors []string
	for i, s := range doc.Sections {
		if s.Start < prev || s.Start >= len(doc.Text) {
			tb.Errorf("Sections[%d].Start = %d, want in [%d, %d)", i, s.Start, prev, len(doc.Text))
			continue
		}
		prev = s.Start
		if !strings.HasPrefix(doc.Text[s.Start:], s.Heading) {
			tb.Errorf("Text[Sections[%d].Start:] = %q…, want it to start with %q", i, clip(doc.Text[s.Start:], 40), s.Heading)
		}
		if s.Anchor != "" {
			anchors = append(anchors, s.Anchor)
		}
	}
	if len(anchors) != len(doc.Headings) {
		tb.Errorf("%d sections with anchors, %d headings", len(anchors), len(doc.Headings))
		return
	}
	for i, h := range doc.Headings {
		if anchors[i] != h.ID {
			tb.Errorf("section anchor %d = %q, heading id = %q", i, anchors[i], h.ID)
		}
	}
}

// checkHeadingAnchors asserts that every heading's id is an anchor in the
// rendered HTML, so table-of-contents and search links land.
func checkHeadingAnchors(tb testing.TB, doc *Doc) {
	tb.Helper()
	for _, h := range doc.Headings {
		if !strings.Contains(string(doc.HTML), fmt.Sprintf(` id="%s"`, h.ID)) {
			tb.Errorf("HTML has no id=%q for heading %q", h.ID, h.Text)
		}
	}
}

// checkSafeHTML parses the HTML and fails on anything that could run
// script or restyle the page.
func checkSafeHTML(tb testing.TB, h string) {
	tb.Helper()
	if strings.Contains(strings.ToLower(h), "<script") {
		tb.Errorf("HTML contains <script: %s", h)
	}
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "style", "iframe", "svg", "object", "embed", "form", "link", "meta", "base", "video", "audio":
			tb.Errorf("HTML keeps a <%s> element: %s", tok.Data, h)
		}
		for _, a := range tok.Attr {
			checkSafeAttr(tb, tok.Data, a, h)
		}
	}
}

func checkSafeAttr(tb testing.TB, tag string, a html.Attribute, h string) {
	tb.Helper()
	key := strings.ToLower(a.Key)
	if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" || key == "formaction" {
		tb.Errorf("<%s> keeps attribute %s=%q: %s", tag, a.Key, a.Val, h)
	}
	if key == "href" || key == "src" || key == "cite" || key == "action" {
		v := strings.ToLower(strings.TrimSpace(a.Val))
		if i := strings.IndexAny(v, ":/?#"); i >= 0 && v[i] == ':' &&
			!strings.HasPrefix(v, "http:") && !strings.HasPrefix(v, "https:") && !strings.HasPrefix(v, "mailto:") {
			tb.Errorf("<%s %s=%q> has a dangerous scheme: %s", tag, a.Key, a.Val, h)
		}
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// checkGolden compares got with the golden file, or rewrites it under
// -update; it reports whether they matched.
func checkGolden(tb testing.TB, path string, got []byte) bool {
	tb.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return true
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the output; got:\n%s\n(run with -update and review the diff if the change is intended)", filepath.Base(path), clip(firstDiff(got, want), 600))
		return false
	}
	return true
}

// firstDiff returns got from a little before its first difference with want.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return "…" + string(got[max(0, i-80):])
}
