package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

// exportFixture is a few hundred made-up posts built to tie: many share
// a date, a title and a body, so rows are ordered by score, date and slug
// in turn, and some match a query only through tags or authors.
func exportFixture(n int) fstest.MapFS {
	words := []string{"p2p", "filecoin", "storage", "consensus", "streaming", "ipfs"}
	authors := []string{"Ada Lovelace", "Grace Hopper", "Alan Kay"}
	fsys := fstest.MapFS{}
	for i := range n {
		w, w2 := words[i%len(words)], words[(i/7)%len(words)]
		date := fmt.Sprintf("20%02d-%02d-%02d", 15+i%9, 1+i%12, 1+(i/13)%3) // repeats often
		body := fmt.Sprintf("A note on %s and %s.\n\n## Detail\n\n%s again, then %s %s.\n", w, w2, w, w2, strings.Repeat("filler ", i%5))
		if i%10 == 0 {
			body = "Nothing to see here.\n" // matches only by title or tag
		}
		title := fmt.Sprintf("On %s", w)
		if i%4 == 0 {
			title = fmt.Sprintf("=%s and friends", w2) // a formula-looking cell
		}
		fm := fmt.Sprintf("---\ntitle: %q\ndate: %s\nauthor: %s\ntags: [%s, t%d]\n---\n\n", title, date, authors[i%len(authors)], w2, i%3)
		fsys[fmt.Sprintf("post-%03d.md", (i*37)%n)] = &fstest.MapFile{Data: []byte(fm + body)}
	}
	return fsys
}

// TestIndexedExportEqualsPagedExport proves that streaming an export from
// one search (index.Export) sends the same bytes as paging through the
// ranked search did, for every format, order, filter and field choice.
func TestIndexedExportEqualsPagedExport(t *testing.T) {
	s := newServerFor(t, exportFixture(1300), Deps{})
	queries := []string{
		"q=p2p",
		"q=storage+OR+filecoin",
		"q=%22note+on%22",
		"q=p2p&tag=t1",
		"q=storage&author=Grace+Hopper",
		"q=ipfs&from=2017-01-01&to=2021-06-30",
		"q=filler",
		"q=note",
		"q=note+OR+p2p&tag=t0",
		"q=",
		"q=nosuchwordanywhere",
		"q=consensus&fields=slug,score,title_html,date",
		"q=strage", // a typo the search corrects
		"q=p2p&highlight=true",
		"q=%22note+on%22&highlight=true&fragments=2&fragment_size=60&fields=slug,title_html,fragments",
		"q=storage+OR+filecoin&tag=t1&highlight=true",
		"q=&highlight=true&fields=slug,fragments",
	}
	total := 0
	for _, path := range []string{"/api/v1/search.csv", "/api/v1/search.jsonl"} {
		for _, sort := range []string{"", "&sort=newest", "&sort=oldest", "&sort=relevance"} {
			for _, q := range queries {
				target := path + "?" + q + sort
				s.pagedExports = true
				oldRes, oldBody := get(t, s, target)
				s.pagedExports = false
				newRes, newBody := get(t, s, target)
				if oldRes.StatusCode != http.StatusOK || newRes.StatusCode != http.StatusOK {
					t.Fatalf("%s: status %d (paged) and %d (indexed)", target, oldRes.StatusCode, newRes.StatusCode)
				}
				for _, h := range []string{"X-Total-Count", "Content-Disposition", "Content-Type"} {
					if o, n := oldRes.Header.Get(h), newRes.Header.Get(h); o != n {
						t.Errorf("%s: %s %q (paged) but %q (indexed)", target, h, o, n)
					}
				}
				if oldBody != newBody {
					t.Errorf("%s: bodies differ\npaged:\n%.600s\nindexed:\n%.600s", target, oldBody, newBody)
				}
				if strings.Contains(q, "highlight") && !strings.HasPrefix(q, "q=&") && !strings.Contains(newBody, "mark") {
					t.Errorf("%s: no marked snippets, so the test proves nothing about them", target)
				}
				total += strings.Count(newBody, "\n")
			}
		}
	}
	if total < 2000 {
		t.Fatalf("only %d lines exported in all: the fixture does not exercise the walk", total)
	}
}

// TestIndexedPostsExportEqualsPaged covers /posts, which has no query.
func TestIndexedPostsExportEqualsPaged(t *testing.T) {
	s := newServerFor(t, exportFixture(1300), Deps{})
	for _, target := range []string{"/api/v1/posts?format=csv", "/api/v1/posts?format=jsonl&sort=oldest", "/api/v1/posts?format=csv&tag=t2&sort=newest"} {
		s.pagedExports = true
		_, oldBody := get(t, s, target)
		s.pagedExports = false
		_, newBody := get(t, s, target)
		if oldBody != newBody || strings.Count(newBody, "\n") < 50 {
			t.Errorf("%s: bodies differ or are short\npaged:\n%.400s\nindexed:\n%.400s", target, oldBody, newBody)
		}
	}
}

// TestExportPagesWhenTooManyAreHeld: past maxHeldExports streams holding
// a snapshot, an export pages instead, with the same bytes.
func TestExportPagesWhenTooManyAreHeld(t *testing.T) {
	s := newServerFor(t, exportFixture(60), Deps{})
	const target = "/api/v1/search.csv?q=note&sort=oldest"
	_, want := get(t, s, target)
	if n := len(s.heldExports); n != 0 {
		t.Fatalf("%d places still held after the export ended", n)
	}
	for range maxHeldExports {
		if !s.holdExport() {
			t.Fatal("a place was taken before the test")
		}
	}
	if s.holdExport() {
		t.Fatalf("more than %d exports held at once", maxHeldExports)
	}
	res, got := get(t, s, target)
	if res.StatusCode != http.StatusOK || got != want || strings.Count(got, "\n") < 40 {
		t.Errorf("paged export: status %d, %d lines, same bytes %v", res.StatusCode, strings.Count(got, "\n"), got == want)
	}
	for range maxHeldExports {
		<-s.heldExports
	}
}
