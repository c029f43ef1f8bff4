package index

import (
	"context"
	"slices"
	"testing"
)

func dated(title, date string) string {
	return "---\ntitle: " + title + "\ndate: " + date + "\n---\n\nSome text about " + title + ".\n"
}

// TestBrowseCacheFollowsSyncs checks that whole-archive pages and the date
// span are cached per build state: an incremental sync must show at once.
func TestBrowseCacheFollowsSyncs(t *testing.T) {
	f := newFolder(t, map[string]string{"old.md": dated("Old", "2019-05-01"), "mid.md": dated("Mid", "2020-05-01")})
	_, ix := openSynced(t, f)
	ctx := context.Background()
	newest := Request{Sort: SortNewest, Size: 10, Facets: []string{FacetYear}}
	check := func(wantSlugs, wantYears []string) {
		t.Helper()
		for range 2 { // the second answer comes from the cache
			res, err := ix.Search(ctx, newest)
			if err != nil {
				t.Fatal(err)
			}
			var years []string
			for _, fc := range res.Facets[FacetYear] {
				years = append(years, fc.Value)
			}
			if got := slugs(res.Hits); !slices.Equal(got, wantSlugs) || !slices.Equal(years, wantYears) {
				t.Fatalf("newest = %v, years %v; want %v, years %v", got, years, wantSlugs, wantYears)
			}
			res.Hits[0].Slug = "changed by a caller"
		}
	}
	check([]string{"mid", "old"}, []string{"2019", "2020"})
	f.write("new.md", dated("New", "2023-01-02"))
	if _, err := writerOf(ix).syncFolder(ctx, f.options()); err != nil {
		t.Fatal(err)
	}
	check([]string{"new", "mid", "old"}, []string{"2019", "2020", "2023"})
}

func TestBrowseKey(t *testing.T) {
	tests := []struct {
		name   string
		r      Request
		cached bool
	}{
		{"home page", Request{Sort: SortNewest, Size: 10}, true},
		{"popular tags", Request{Size: 1, Facets: []string{FacetTags}}, true},
		{"query text", Request{Query: "ipfs"}, false},
		{"tag filter", Request{Tags: []string{"p2p"}}, false},
		{"author filter", Request{Author: "Ada"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := browseKey(tc.r) != ""; got != tc.cached {
				t.Errorf("browseKey(%+v) cached = %v, want %v", tc.r, got, tc.cached)
			}
		})
	}
}
