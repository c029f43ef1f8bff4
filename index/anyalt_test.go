package index

import (
	"context"
	"fmt"
	"testing"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/qplan"
	"github.com/blust/archive/internal/qlang"
)

// goldenAnyAltAgrees checks that searches made of plain words, which the
// rank searcher answers from its own postings, give what bleve's match
// searcher gives unpruned: the same hits, scores, totals, facets, snippets
// and cursors, on the first page, deeper pages and the pages cursors
// reach. The first pages are pruned (index/internal/bm25f), so this also checks that
// pruning changes nothing a reader sees.
func goldenAnyAltAgrees(t *testing.T, ix *Index) {
	tests := []struct {
		r      Request
		anyAlt bool // the planner must take the union path
	}{
		{Request{Query: "ipfs"}, true}, // a synonym is a phrase
		{Request{Query: "bitswap"}, true},
		{Request{Query: "the bitswap"}, true},
		{Request{Query: "gateway outage"}, true},
		{Request{Query: "netflix container images"}, true},
		{Request{Query: "bitswap bitswap netflix"}, true},
		{Request{Query: "decentralised storage browsers"}, true},
		{Request{Query: "wasm runtime"}, true},
		{Request{Query: "title:eclipse attacks"}, true},
		{Request{Query: "ipfs deskt"}, true},
		{Request{Query: "multi-gatew"}, true},
		{Request{Query: "verified fet"}, true},
		{Request{Query: "gatway outage"}, true},
		{Request{Query: "bitswpa netflix"}, true},
		{Request{Query: "spacenett"}, true},
		{Request{Query: "zzzqqx gateway"}, true},
		{Request{Query: "(gateway outage)"}, true},
		{Request{Query: "bitswap", Offset: 20, Size: 10}, true},
		{Request{Query: "gateway outage", Sort: SortNewest}, true},
		{Request{Query: "node", Sort: SortOldest, Size: 25}, true},
		{Request{Query: "bitswap gateway", Facets: FacetNames, Fragments: 2}, true},
		{Request{Query: "node", Fragments: 3, Size: 50}, true},
		{Request{Query: "p2p"}, true},
		{Request{Query: "dht"}, true},
		{Request{Query: "p2p", Facets: FacetNames, Fragments: 3}, true}, // phrase-only posts among the facets' documents
		{Request{Query: "IPFS", Facets: FacetNames}, true},
		{Request{Query: "Peer to Peer network"}, true},
		{Request{Query: "peer-to-peer", Sort: SortNewest, Facets: FacetNames}, true},
		{Request{Query: "distributed hash table hardening", Fragments: 3}, true},
		{Request{Query: "ipfs", Offset: 40, Fragments: 3}, true},
		{Request{Query: "node"}, true},
		{Request{Query: "data network"}, true},
		{Request{Query: "content routing", Facets: FacetNames, Fragments: 3}, true},
		{Request{Query: `"content routing"`, Facets: FacetNames}, false},
		{Request{Query: `"peer to peer"`}, false},
		{Request{Query: "bitswap", Tags: []string{"ipfs"}}, false},
		{Request{Query: "bitswap tag:ipfs"}, false},
		{Request{Query: "bitswap -netflix"}, false},
		{Request{Query: "+bitswap netflix"}, false},
		{Request{Query: `"jumping inspectors"`}, false},
		{Request{Query: "webrtc OR webtransport", Mode: qlang.ModeAdvanced}, false},
	}
	var pruned bm25f.PruneStats
	for _, tt := range tests {
		r := tt.r
		if r.Size == 0 {
			r.Size = 10
		}
		t.Run(fmt.Sprintf("%s/%s/%d/%v", r.Query, r.Sort, r.Offset, r.Facets), func(t *testing.T) {
			for page := 0; page < 3; page++ {
				union, bleves, anyAlt, st := searchBothWays(t, ix, r)
				pruned.Searches += st.Searches
				pruned.Pruned += st.Pruned
				pruned.Scored += st.Scored
				pruned.Matched += st.Matched
				if anyAlt != tt.anyAlt {
					t.Fatalf("anyAlt = %v, want %v", anyAlt, tt.anyAlt)
				}
				if page == 0 && union.Total == 0 {
					t.Fatal("found nothing: the comparison proves nothing")
				}
				if got, want := describeResult(union), describeResult(bleves); got != want {
					t.Fatalf("page %d:\nunion of postings: %s\nbleve's match:     %s", page+1, got, want)
				}
				if union.NextCursor == "" {
					break
				}
				r.Cursor, r.Offset = union.NextCursor, 0
			}
		})
	}
	// The pages agree; pruning must also have spared work, or this
	// compared the unpruned search with itself.
	if pruned.Pruned < 20 || float64(pruned.Scored) > 0.9*float64(pruned.Matched) {
		t.Errorf("pruning: %+v; want at least 20 pruned searches scoring under 90%% of their matches (unpruned, every match is scored)", pruned)
	}
	t.Logf("pruning: %+v", pruned)
}

// searchBothWays runs r as Search does, once as planned and once with
// bleve's match searcher deciding what matches.
func searchBothWays(tb testing.TB, ix *Index, r Request) (planned, bleves *Result, anyAlt bool, pruning bm25f.PruneStats) {
	tb.Helper()
	ctx := withTermLimit(context.Background())
	parsed, err := qlang.Parse(r.Query, r.Mode)
	if err != nil {
		tb.Fatal(err)
	}
	pl, err := ix.planText(ctx, parsed, r, false)
	if err != nil {
		tb.Fatal(err)
	}
	rq := pl.Query.(*bm25f.Query)
	viaMatch := *rq
	viaMatch.AnyAlt = false
	plMatch := *pl
	plMatch.Query = &viaMatch
	run := func(ctx context.Context, pl *qplan.Plan, st *bm25f.PruneStats) *Result {
		tb.Helper()
		ctx = bm25f.WithPruneStats(ctx, st)
		extra := 0
		if scoreOnlyOK(r) {
			extra = 1
		}
		res, settled, err := ix.runPlan(ctx, r, pl, ix.buildID(), extra)
		if err == nil && !settled {
			res, _, err = ix.runPlan(ctx, r, pl, ix.buildID(), 0)
		}
		if err != nil {
			tb.Fatal(err)
		}
		return res
	}
	var unpruned bm25f.PruneStats
	planned = run(ctx, pl, &pruning)
	bleves = run(bm25f.WithoutPruning(ctx), &plMatch, &unpruned)
	if unpruned.Pruned > 0 {
		tb.Fatalf("the reference search was pruned: %+v", unpruned)
	}
	return planned, bleves, rq.AnyAlt, pruning
}

// describeResult is what a reader of the result sees, in one string.
func describeResult(res *Result) string {
	type hit struct {
		Slug, TitleHTML string
		Score           float64
		Fragments       []Fragment
	}
	hits := make([]hit, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = hit{h.Slug, h.TitleHTML, h.Score, h.Fragments}
	}
	return fmt.Sprintf("total %d offset %d next %q facets %v hits %+v", res.Total, res.Offset, res.NextCursor, res.Facets, hits)
}
