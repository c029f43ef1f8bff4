package index

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snippettest"
)

// runText is a run of n bytes without a space or a newline, made of
// path segments so a tokenizer still splits it into words.
func runText(seg string, n int) string {
	return strings.Repeat(seg, n/len(seg)+1)[:n]
}

// longRunPost is a post whose match sits inside a long run without
// spaces (a URL, a hash), followed by another such run: the shape that
// made a window start after its own end.
func longRunPost(word string) string {
	return "Intro words here.\n\nsee " + runText("abc/", 300) + "/" + word + "/" + runText("def/", 300) +
		" " + runText("ghi/", 300) + " and the end\n"
}

// The same through a search: a post with a long run, at the smallest and
// the default fragment sizes.
func TestSearchSnippetsInALongRun(t *testing.T) {
	content := fstest.MapFS{
		"long-run.md": {Data: []byte("---\ntitle: A long link\ndate: 2021-03-04\n---\n\n" + longRunPost("googleusercontent"))},
	}
	_, ix, _ := buildTestIndex(t, content)
	for _, size := range []int{50, 100, 0} {
		res, err := ix.Search(context.Background(), Request{Query: "googleusercontent", Fragments: 3, FragmentSize: size})
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if len(res.Hits) != 1 || len(res.Hits[0].Fragments) != 1 {
			t.Fatalf("size %d: hits %+v, want one with one fragment", size, res.Hits)
		}
		if f := res.Hits[0].Fragments[0].HTML; !strings.Contains(f, "<mark>googleusercontent</mark>") {
			t.Errorf("size %d: fragment %q does not show the match", size, f)
		}
	}
}

// A panic while marking one hit costs that hit its marks, not the page
// its answer, and is logged once a page.
func TestAPanicInMarkingKeepsTheHit(t *testing.T) {
	var logged bytes.Buffer
	hl := highlighter{
		ctx: context.Background(),
		log: slog.New(slog.NewTextHandler(&logged, nil)),
		mark: func(_ context.Context, h *search.DocumentMatch, _ Request, hit *Hit) {
			hit.TitleHTML = "<mark>half</mark>"
			if h.ID == "bad" || h.ID == "worse" {
				panic("slice bounds out of range")
			}
		},
	}
	var got []Hit
	for _, id := range []string{"good", "bad", "worse"} {
		got = append(got, hl.hit(&search.DocumentMatch{ID: id, Fields: map[string]any{schema.FieldTitle: "A <b> title"}}, Request{Query: "q", Fragments: 1}))
	}
	if got[0].TitleHTML != "<mark>half</mark>" {
		t.Errorf("good hit = %+v, want it marked", got[0])
	}
	for _, h := range got[1:] {
		if h.Slug == "" || h.TitleHTML != "A &lt;b&gt; title" || h.Fragments != nil {
			t.Errorf("hit after a panic = %+v, want it whole, escaped and unmarked", h)
		}
	}
	if n := strings.Count(logged.String(), "level=ERROR"); n != 1 || !strings.Contains(logged.String(), "slug=bad") {
		t.Errorf("log = %q, want one error naming the first hit", logged.String())
	}
}

// goldenLongRunSnippets searches the real corpus for words that stand
// in links: at fragment_size 50 and 100 this was a 500 (a window past
// its own end), on 76 posts at 50.
func goldenLongRunSnippets(t *testing.T, ix *Index) {
	for _, q := range []string{"googleusercontent", "github", "https"} {
		for _, size := range []int{50, 100, DefaultFragSize} {
			res, err := ix.Search(context.Background(), Request{Query: q, Size: MaxPerPage, Fragments: MaxFragments, FragmentSize: size})
			if err != nil {
				t.Fatalf("%q at %d: %v", q, size, err)
			}
			if len(res.Hits) == 0 {
				t.Fatalf("%q: no hits", q)
			}
			for _, h := range res.Hits {
				for _, f := range h.Fragments {
					snippettest.CheckMarks(t, f.HTML)
				}
			}
		}
	}
}
