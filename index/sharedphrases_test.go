package index

import (
	"context"
	"testing"

	"github.com/blust/archive/index/internal/bm25f"
)

// goldenSharedPhrasesAgree checks that a search whose phrases bleve's
// match searcher checks, and whose rank searcher then takes their counts
// from it (reading the stems' positions only where it must), answers
// exactly as one that reads every phrase's positions itself: the same
// hits, scores, snippets, totals and cursors, pruned or not.
func goldenSharedPhrasesAgree(t *testing.T, ix *Index) {
	var shared uint64
	for _, r := range []Request{
		{Query: `"peer to peer"`},
		{Query: `"peer to peer"`, Fragments: 3},
		{Query: `"peer to peer" network`},
		{Query: `"content routing" ipfs`, Facets: FacetNames},
		{Query: `"distributed hash table" -bitswap`, Fragments: 2},
		{Query: `title:"peer to peer"`},
		{Query: `"content addressing"`, Sort: SortNewest, Size: 20},
		{Query: `"content addressing"`, Offset: 20},
		{Query: "p2p", Tags: []string{"ipfs"}},
		{Query: "peer-to-peer network", Tags: []string{"libp2p"}, Fragments: 3},
		{Query: `"the network"`},
		{Query: `+gateway "content routing"`},
	} {
		for _, pruned := range []bool{true, false} {
			base := context.Background()
			if !pruned {
				base = bm25f.WithoutPruning(base)
			}
			var st bm25f.PruneStats
			got, err := ix.Search(bm25f.WithPruneStats(base, &st), r)
			if err != nil {
				t.Fatalf("%+v: %v", r, err)
			}
			want, err := ix.Search(bm25f.WithoutSharedPhrases(base), r)
			if err != nil {
				t.Fatalf("%+v: %v", r, err)
			}
			if g, w := describeResult(got), describeResult(want); g != w {
				t.Errorf("%+v (pruned %v):\n got %s\nwant %s", r, pruned, g, w)
			}
			shared += st.SharedPhrases
		}
	}
	if shared == 0 {
		t.Error("no phrase count was shared: the test compares one path with itself")
	}
}
