package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// tiedContent has n posts built to tie: every three share a date, and
// every post has the same words, so scores tie too and only the id tells
// hits apart.
func tiedContent(n int) fstest.MapFS {
	fs := fstest.MapFS{}
	for i := range n {
		month := 1 + (i/3)%12
		year := 2016 + i/36
		tags := "[p2p]"
		if i%2 == 0 {
			tags = "[p2p, filecoin]"
		}
		fs[fmt.Sprintf("post-%03d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: Post %d\ndate: %d-%02d-15\nauthor: Author %d\ntags: %s\n---\n\nPeer to peer networks and p2p storage.\n",
			i, year, month, i%4, tags))}
	}
	return fs
}

// pageAll follows next cursors from the first page to the end.
func pageAll(tb testing.TB, ix *Index, r Request) []string {
	tb.Helper()
	var got []string
	for pages := 0; ; pages++ {
		if pages > 100 {
			tb.Fatal("cursor paging does not end")
		}
		res, err := ix.Search(context.Background(), r)
		if err != nil {
			tb.Fatalf("page %d: %v", pages+1, err)
		}
		if res.Offset != len(got) {
			tb.Errorf("page %d: Offset = %d, want %d", pages+1, res.Offset, len(got))
		}
		got = append(got, slugs(res.Hits)...)
		if res.NextCursor == "" {
			return got
		}
		r.Cursor = res.NextCursor
	}
}

func TestCursorPagingMatchesOneBigPage(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(50))
	for _, s := range []Sort{SortRelevance, SortNewest, SortOldest} {
		for _, q := range []string{"", "p2p"} {
			t.Run(fmt.Sprintf("%s/%q", s, q), func(t *testing.T) {
				all, err := ix.Search(context.Background(), Request{Query: q, Sort: s, Size: MaxPerPage})
				if err != nil {
					t.Fatal(err)
				}
				if all.Total != 50 || all.NextCursor != "" {
					t.Fatalf("one page: total %d, next %q; want 50 and no cursor", all.Total, all.NextCursor)
				}
				got := pageAll(t, ix, Request{Query: q, Sort: s, Size: 7})
				if want := slugs(all.Hits); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("cursor pages:\n%v\nwant one page's order:\n%v", got, want)
				}
			})
		}
	}
}

func TestCursorAfterAnOffsetPageContinuesIt(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(20))
	all, _ := ix.Search(context.Background(), Request{Sort: SortNewest, Size: 20})
	p2, err := ix.Search(context.Background(), Request{Sort: SortNewest, Size: 5, Offset: 5})
	if err != nil {
		t.Fatal(err)
	}
	p3, err := ix.Search(context.Background(), Request{Sort: SortNewest, Size: 5, Cursor: p2.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slugs(p3.Hits), slugs(all.Hits)[10:15]; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("page after offset 5: %v, want %v", got, want)
	}
	if p3.Offset != 10 {
		t.Errorf("Offset = %d, want 10", p3.Offset)
	}
}

func TestCursorKeepsFacetsAndTotalOfTheWholeSet(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(20))
	first, _ := ix.Search(context.Background(), Request{Size: 5, Facets: []string{FacetTags}})
	next, err := ix.Search(context.Background(), Request{Size: 5, Facets: []string{FacetTags}, Cursor: first.NextCursor})
	if err != nil {
		t.Fatal(err)
	}
	if next.Total != 20 {
		t.Errorf("Total on a cursor page = %d, want 20", next.Total)
	}
	if got, want := fmt.Sprint(next.Facets[FacetTags]), fmt.Sprint(first.Facets[FacetTags]); got != want {
		t.Errorf("tags facet on a cursor page = %s, want %s", got, want)
	}
}

func TestBadCursorsAreRefusedNamingCursor(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(10))
	res, err := ix.Search(context.Background(), Request{Query: "p2p", Size: 3})
	if err != nil || res.NextCursor == "" {
		t.Fatalf("first page: %v, cursor %q", err, res.NextCursor)
	}
	other := func(edit func(*cursor)) string {
		raw, _ := base64.RawURLEncoding.DecodeString(res.NextCursor)
		var c cursor
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		edit(&c)
		return c.encode()
	}
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"garbage", Request{Query: "p2p", Cursor: "not a cursor!"}, "not a cursor"},
		{"base64 of junk", Request{Query: "p2p", Cursor: base64.RawURLEncoding.EncodeToString([]byte("{]"))}, "not a cursor"},
		{"another query", Request{Query: "storage", Cursor: res.NextCursor}, "another query"},
		{"another sort", Request{Query: "p2p", Sort: SortNewest, Cursor: res.NextCursor}, "another query"},
		{"another filter", Request{Query: "p2p", Tags: []string{"filecoin"}, Cursor: res.NextCursor}, "another query"},
		{"another build", Request{Query: "p2p", Cursor: other(func(c *cursor) { c.Build = "20200101T000000-abcdef" })}, "index build 20200101T000000-abcdef"},
		{"another version", Request{Query: "p2p", Cursor: other(func(c *cursor) { c.V = 99 })}, "another version"},
		{"damaged", Request{Query: "p2p", Cursor: other(func(c *cursor) { c.After = c.After[:1] })}, "damaged"},
		{"forged score", Request{Query: "p2p", Cursor: other(func(c *cursor) { c.After[0] = "high" })}, "damaged"},
		{"forged date", Request{Query: "p2p", Cursor: other(func(c *cursor) { c.After[1] = "yesterday" })}, "damaged"},
		{"negative count", Request{Query: "p2p", Cursor: other(func(c *cursor) { c.Seen = -5 })}, "damaged"},
		{"with a page", Request{Query: "p2p", Offset: 10, Cursor: res.NextCursor}, "cannot be combined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), tt.req)
			var re *RequestError
			if !errors.As(err, &re) || !strings.Contains(re.Msg, tt.want) {
				t.Fatalf("err = %v, want a RequestError containing %q", err, tt.want)
			}
			if want := "cursor"; tt.name == "with a page" {
				if re.Param != "page" {
					t.Errorf("param = %q, want page", re.Param)
				}
			} else if re.Param != want {
				t.Errorf("param = %q, want %q", re.Param, want)
			}
		})
	}
}

func TestScanWalksEveryHitInOrder(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(30))
	for _, s := range []Sort{SortRelevance, SortNewest} {
		t.Run(string(s), func(t *testing.T) {
			all, _ := ix.Search(context.Background(), Request{Query: "p2p", Sort: s, Size: MaxPerPage})
			var got []string
			batches := 0
			err := ix.scan(context.Background(), Request{Query: "p2p", Sort: s, Facets: []string{FacetYear}, Size: 7}, func(r *Result) error {
				batches++
				if batches == 1 && len(r.Facets[FacetYear]) == 0 {
					t.Errorf("first batch has no year facet")
				}
				got = append(got, slugs(r.Hits)...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if batches != 5 {
				t.Errorf("%d batches of 7 for 30 hits, want 5", batches)
			}
			if strings.Join(got, " ") != strings.Join(slugs(all.Hits), " ") {
				t.Errorf("scan order:\n%v\nwant:\n%v", got, slugs(all.Hits))
			}
		})
	}
}

func TestScanStopsAtTheCallersError(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(3))
	stop := errors.New("client went away")
	if err := ix.Scan(context.Background(), Request{}, func(*Result) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("err = %v, want the callback's error", err)
	}
	var re *RequestError
	if err := ix.Scan(context.Background(), Request{Sort: "random"}, func(*Result) error { return nil }); !errors.As(err, &re) {
		t.Errorf("bad request: err = %v, want a RequestError", err)
	}
}

func TestBatchIgnoresThePageSize(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(30))
	res, err := ix.ScanStep(context.Background(), Request{Size: 7, Offset: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 30 || res.NextCursor != "" || res.Offset != 0 {
		t.Errorf("ScanStep gave %d hits (offset %d, next %q), want all 30 from the start in one batch", len(res.Hits), res.Offset, res.NextCursor)
	}
}
