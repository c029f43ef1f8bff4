package index

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
)

func match(id string, score float64, date string) *search.DocumentMatch {
	return &search.DocumentMatch{ID: id, Score: score, Fields: map[string]interface{}{fieldDate: date}}
}

func ids(hits search.DocumentMatchCollection) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSettleScoreOnly(t *testing.T) {
	tests := []struct {
		name   string
		hits   search.DocumentMatchCollection
		size   int
		want   []string
		wantOK bool
	}{
		{"ties inside the page fall newest first, then by slug",
			search.DocumentMatchCollection{
				match("b", 2, "2020-01-01T00:00:00Z"), match("a", 2, "2020-01-01T00:00:00Z"),
				match("c", 2, "2021-01-01T00:00:00Z"), match("d", 3, "2000-01-01T00:00:00Z"), match("e", 1, "2022-01-01T00:00:00Z"),
			}, 4, []string{"d", "c", "a", "b"}, true},
		{"a tie across the page's edge needs the full order",
			search.DocumentMatchCollection{match("a", 3, "2020-01-01T00:00:00Z"), match("b", 2, "2020-01-01T00:00:00Z"), match("c", 2, "2021-01-01T00:00:00Z")},
			2, nil, false},
		{"fewer hits than the page",
			search.DocumentMatchCollection{match("a", 1, "2020-01-01T00:00:00Z"), match("b", 5, "2020-01-01T00:00:00Z")},
			10, []string{"b", "a"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := settleScoreOnly(tc.hits, tc.size)
			if ok != tc.wantOK || !slices.Equal(ids(got), tc.want) {
				t.Errorf("settleScoreOnly = %v, %v; want %v, %v", ids(got), ok, tc.want, tc.wantOK)
			}
		})
	}
}

// TestScoreOnlyPageMatchesFullOrder compares first pages, and the cursors
// made from them, with what bleve returns in the full relevance order.
func TestScoreOnlyPageMatchesFullOrder(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	ctx := context.Background()
	for _, q := range []string{"p2p", "filecoin storage", `"peer to peer"`, "libp2p release", "the"} {
		for _, size := range []int{1, 2, 10} {
			r := Request{Query: q, Size: size}
			got, err := ix.Search(ctx, r)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			q, err := ix.buildQuery(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ix.prepare(ctx, r, q, ix.buildID())
			if err != nil {
				t.Fatal(err)
			}
			res, err := ix.alias.SearchInContext(ctx, p.req)
			if err != nil {
				t.Fatal(err)
			}
			want := p.result(res, r)
			if !slices.Equal(slugs(got.Hits), slugs(want.Hits)) || got.NextCursor != want.NextCursor || got.Total != want.Total {
				t.Errorf("%q size %d: got %v (cursor %q, total %d), full order gives %v (cursor %q, total %d)",
					q, size, slugs(got.Hits), got.NextCursor, got.Total, slugs(want.Hits), want.NextCursor, want.Total)
			}
		}
	}
}
