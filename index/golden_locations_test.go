package index

import (
	"context"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
)

// goldenPageLocations checks that the term locations read for the page
// alone, after the search, are the ones scoring with term vectors
// records, so snippets and marked titles do not change.
func goldenPageLocations(t *testing.T, ix *Index) {
	ctx := context.Background()
	reqs := []Request{
		{Query: "gateway outage"},
		{Query: "ipfs"},
		{Query: "p2p"},
		{Query: "Peer to Peer"},
		{Query: `"peer to peer" network`},
		{Query: `"hierarchical consensus" scaling`},
		{Query: "distributed hash table hardening"},
		{Query: "ipfs deskt"},
		{Query: "gatway outage"},
		{Query: "title:(lassie OR durin)"},
		{Query: "tag:brave infobar"},
		{Query: "(webrtc OR webtransport) AND browser"},
		{Query: "filecoin economy -weekly"},
		{Query: "ipfs", Tags: []string{"ipfs"}, Offset: 40},
		{Query: "libp2p", Sort: SortNewest},
		{Query: "bitswap", Facets: []string{FacetTags, FacetYear}},
		{Query: "the", Size: 100},
	}
	for _, r := range reqs {
		r.Fragments = 3
		if r.Size == 0 {
			r.Size = 10
		}
		t.Run(r.Query, func(t *testing.T) {
			comparePageLocations(t, ix, r)
			first, err := ix.Search(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			if first.NextCursor != "" && r.Offset == 0 {
				r.Cursor = first.NextCursor
				comparePageLocations(t, ix, r)
			}
		})
	}
}

// comparePageLocations runs r both ways and compares every hit's locations.
func comparePageLocations(t *testing.T, ix *Index, r Request) {
	t.Helper()
	ctx := context.Background()
	p, q := mustPrepare(t, ix, r)
	defer p.page.Release()
	if p.page == nil {
		t.Fatalf("%q: the page's locations are read while scoring; want them read after the search", r.Query)
	}
	res, err := ix.alias.SearchInContext(ctx, p.req)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.page.Fill(ctx, res.Hits); err != nil {
		t.Fatal(err)
	}
	want := scoringLocations(t, ix, r, q)
	if len(res.Hits) != len(want) {
		t.Fatalf("%q: got %d hits, scoring with locations gives %d", r.Query, len(res.Hits), len(want))
	}
	located := 0
	for i, h := range res.Hits {
		if h.ID != want[i].ID {
			t.Fatalf("%q hit %d: got %s, scoring with locations gives %s", r.Query, i, h.ID, want[i].ID)
		}
		if !reflect.DeepEqual(h.Locations, want[i].Locations) {
			t.Errorf("%q hit %s: got locations %v, scoring records %v", r.Query, h.ID, describe(h.Locations), describe(want[i].Locations))
		}
		if len(h.Locations) > 0 {
			located++
		}
	}
	if len(res.Hits) > 0 && located == 0 {
		t.Errorf("%q: no hit has a location; the comparison proves nothing", r.Query)
	}
}

// scoringLocations is the page as it was before: bleve asks the rank
// searcher for locations while it scores every match.
func scoringLocations(t *testing.T, ix *Index, r Request, q bq.Query) search.DocumentMatchCollection {
	t.Helper()
	ctx := context.Background()
	// without snippets or facets, which do not change the hits
	p, err := ix.prepare(ctx, Request{Query: r.Query, Tags: r.Tags, Sort: r.Sort, Offset: r.Offset, Size: r.Size, Cursor: r.Cursor}, q, ix.buildID())
	if err != nil {
		t.Fatal(err)
	}
	p.req.IncludeLocations = true
	res, err := ix.alias.SearchInContext(ctx, p.req)
	if err != nil {
		t.Fatal(err)
	}
	return res.Hits
}

func describe(l search.FieldTermLocationMap) map[string]map[string][]search.Location {
	out := map[string]map[string][]search.Location{}
	for f, tlm := range l {
		out[f] = map[string][]search.Location{}
		for term, locs := range tlm {
			for _, loc := range locs {
				out[f][term] = append(out[f][term], *loc)
			}
		}
	}
	return out
}

// mustPrepare plans r and prepares its bleve request on the serving
// build, returning the planned query too.
func mustPrepare(tb testing.TB, ix *Index, r Request) (*prepared, bq.Query) {
	tb.Helper()
	ctx := context.Background()
	q, err := ix.buildQuery(ctx, r)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := ix.prepare(ctx, r, q, ix.buildID())
	if err != nil {
		tb.Fatal(err)
	}
	return p, q
}
