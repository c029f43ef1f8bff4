package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blust/archive/index/internal/qplan"
	"github.com/blust/archive/internal/qlang"
)

// goldenUnrankedAgrees checks that filter-only searches, whose page is
// found among the newest matches (narrowFilterOnly), give what the
// general path gives over all the matches: the same hits in the same
// order, scores, total, snippets and next cursor.
func goldenUnrankedAgrees(t *testing.T, ix *Index) {
	narrowedOnce := false
	for _, r := range []Request{
		{Query: "tag:ipfs", Size: 3},
		{Query: "tag:ipfs", Size: 5, Offset: 4},
		{Query: "tag:ipfs", Size: 3, Sort: SortNewest},
		{Query: "tag:ipfs", Size: 4, Fragments: 2},
		{Query: "tag:ipfs"},
		{Query: "tag:ipfs", Sort: SortOldest, Size: 3},
		{Query: "tag:ipfs", Size: 3, Facets: FacetNames},
		{Query: "tag:ipfs tag:filecoin", Size: 2},
		{Query: "tag:ipfs -tag:filecoin", Size: 3},
		{Query: "tag:ipf*", Size: 3},
		{Query: "tag:ipf*", Size: 5, Offset: 5, Fragments: 1},
		{Query: "tag:ipfs", Size: 3, Tags: []string{"ipfs"}},
		{Query: "tag:nosuchtag", Size: 3},
		{Query: "bitswap tag:ipfs", Size: 3},
		{Tags: []string{"ipfs"}, Size: 3},
		{Tags: []string{"ipfs"}, Size: 5, Offset: 4, Fragments: 2},
		{Tags: []string{"ipfs"}, Size: 3, Sort: SortNewest},
		{Tags: []string{"ipfs"}, Size: 3, Sort: SortOldest},
		{Tags: []string{"ipfs", "filecoin"}, Size: 2},
		{Tags: []string{"ipfs"}, Size: 3, From: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Size: 4},
	} {
		ctx := withTermLimit(context.Background())
		parsed, err := qlang.Parse(r.Query, r.Mode)
		if err != nil {
			t.Fatal(err)
		}
		if r.Size == 0 {
			r.Size = 10
		}
		pl, err := ix.planText(ctx, parsed, r, false)
		if err != nil {
			t.Fatal(err)
		}
		narrow, err := ix.narrowUnranked(ctx, r, pl)
		if err != nil {
			t.Fatal(err)
		}
		narrowedOnce = narrowedOnce || narrow != nil
		got, err := ix.Search(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := ix.runPlan(ctx, r, pl, ix.buildID(), 0) // the full order over every match
		if err != nil {
			t.Fatal(err)
		}
		g, w := describeResult(got), describeResult(want)
		if g != w {
			t.Errorf("%+v (narrowed %v):\n got %s\nwant %s", r, narrow != nil, g, w)
		}
		t.Logf("%q size %d offset %d sort %q: total %d, narrowed %v", r.Query, r.Size, r.Offset, r.Sort, got.Total, narrow != nil)
	}
	if !narrowedOnce {
		t.Error("no search was narrowed: the test checks nothing")
	}
}

// TestFiltersDoNotReorderABrowse: without text every post scores the
// same, so a tag filter keeps a browse newest first. bleve's scoring of
// the tag put posts with fewer tags ahead of newer ones.
func TestFiltersDoNotReorderABrowse(t *testing.T) {
	c := fstest.MapFS{}
	for i := range 6 {
		tags := "[ipfs]"
		if i%2 == 0 {
			tags = "[ipfs, libp2p, dht, release]"
		}
		c[fmt.Sprintf("p%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Post %d\ndate: 2020-01-0%d\ntags: %s\n---\n\nSome text.\n", i, i+1, tags))}
	}
	_, ix, _ := buildTestIndex(t, c)
	newest := []string{"p5", "p4", "p3", "p2", "p1", "p0"}
	for _, r := range []Request{{}, {Tags: []string{"ipfs"}}, {Tags: []string{"IPFS"}, Sort: SortNewest}, {Query: "tag:ipfs"}} {
		res, err := ix.Search(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if got := slugs(res.Hits); !slices.Equal(got, newest) {
			t.Errorf("%+v: %v, want newest first %v", r, got, newest)
		}
		for _, h := range res.Hits {
			if h.Score != res.Hits[0].Score {
				t.Errorf("%+v: %s scores %v, %s %v; want one score for all", r, h.Slug, h.Score, res.Hits[0].Slug, res.Hits[0].Score)
			}
		}
	}
}

// TestNarrowedSearchHoldsToItsSnapshot: a narrowed page's bound and total
// are found on one snapshot. If a sync lands before the search runs, the
// narrowed query refuses the new snapshot and the search is made whole, so
// the total counts the post the sync added, though it is older than the
// page.
func TestNarrowedSearchHoldsToItsSnapshot(t *testing.T) {
	files := map[string]string{}
	for i := range 8 {
		files[fmt.Sprintf("p%d.md", i)] = fmt.Sprintf("---\ntitle: Post %d\ndate: 2020-01-1%d\ntags: [ipfs]\n---\n\nSome text.\n", i, i)
	}
	f := newFolder(t, files)
	_, ix := openSynced(t, f)
	ctx := withTermLimit(context.Background())
	r := Request{Tags: []string{"ipfs"}, Size: 2}
	parsed, err := qlang.Parse(r.Query, r.Mode)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := ix.planText(ctx, parsed, r, false)
	if err != nil {
		t.Fatal(err)
	}
	narrow, err := ix.narrowUnranked(ctx, r, pl)
	if err != nil || narrow == nil {
		t.Fatalf("narrowUnranked = %v, %v; want a narrowed search", narrow, err)
	}
	if narrow.total != 8 {
		t.Fatalf("narrowed total %d, want 8", narrow.total)
	}
	if res, _, err := ix.runPlanOn(ctx, r, pl, ix.buildID(), 0, narrow); err != nil || res.Total != 8 {
		t.Fatalf("narrowed search on its own snapshot: %+v, %v; want it to run, total 8", res, err)
	}

	f.write("old.md", "---\ntitle: Old\ndate: 2019-05-05\ntags: [ipfs]\n---\n\nOlder text.\n")
	if _, err := writerOf(ix).syncFolder(context.Background(), f.options()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ix.runPlanOn(ctx, r, pl, ix.buildID(), 0, narrow); !errors.Is(err, qplan.ErrSnapshotMoved) {
		t.Fatalf("narrowed search on the synced snapshot: %v, want ErrSnapshotMoved", err)
	}
	res, settled, err := ix.runText(ctx, r, parsed, ix.buildID(), 0)
	if err != nil || !settled {
		t.Fatalf("runText: %v, settled %v", err, settled)
	}
	if res.Total != 9 || !slices.Equal(slugs(res.Hits), []string{"p7", "p6"}) {
		t.Errorf("after the sync: total %d, hits %v; want 9, [p7 p6]", res.Total, slugs(res.Hits))
	}
}
