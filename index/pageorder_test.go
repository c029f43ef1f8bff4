package index

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blust/archive/index/internal/bm25f"
)

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
			p, _ := mustPrepare(t, ix, r)
			res, err := ix.alias.SearchInContext(ctx, p.req)
			if err != nil {
				t.Fatal(err)
			}
			want := p.result(ctx, res, r, nil)
			if !slices.Equal(slugs(got.Hits), slugs(want.Hits)) || got.NextCursor != want.NextCursor || got.Total != want.Total {
				t.Errorf("%q size %d: got %v (cursor %q, total %d), full order gives %v (cursor %q, total %d)",
					q, size, slugs(got.Hits), got.NextCursor, got.Total, slugs(want.Hits), want.NextCursor, want.Total)
			}
		}
	}
}

// TestTiedPagesMatchFullOrder searches posts that all score the same: a
// few fit the page, more settle with tieRoom, and more still need the full
// order. Each way the page is the full order's (newest first).
func TestTiedPagesMatchFullOrder(t *testing.T) {
	for _, tt := range []struct {
		posts, searches int // searches: score-only attempts before the page settled
	}{{5, 1}, {40, 2}, {bm25f.TieRoom + 40, 2}} {
		t.Run(fmt.Sprint(tt.posts), func(t *testing.T) {
			content := fstest.MapFS{}
			for i := range tt.posts {
				content[fmt.Sprintf("twin-%03d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
					"---\ntitle: Twin post\ndate: %s\n---\n\nThe same gossipsub words in every twin.\n",
					time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*37)%tt.posts).Format("2006-01-02")))}
			}
			_, ix, _ := buildTestIndex(t, content)
			for _, frags := range []int{0, 3} {
				var st bm25f.PruneStats
				ctx := bm25f.WithPruneStats(context.Background(), &st)
				got, err := ix.Search(ctx, Request{Query: "gossipsub", Size: 10, Fragments: frags})
				if err != nil {
					t.Fatal(err)
				}
				full, err := ix.Search(context.Background(), Request{Query: "gossipsub", Size: 10, Sort: SortNewest})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(slugs(got.Hits), slugs(full.Hits)) || got.Total != uint64(tt.posts) {
					t.Errorf("fragments %d: got %v of %d, want %v of %d", frags, slugs(got.Hits), got.Total, slugs(full.Hits), tt.posts)
				}
				if st.Searches != tt.searches {
					t.Errorf("fragments %d: %d score-only searches, want %d", frags, st.Searches, tt.searches)
				}
			}
		})
	}
}
