package index

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2"

	"github.com/blust/archive/index/internal/facet"
	"github.com/blust/archive/index/internal/schema"
)

func TestYearAndMonthFacetsCountTheWholeSet(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(40)) // 36 posts in 2016, 4 in 2017
	res, err := ix.Search(context.Background(), Request{Size: 1, Facets: []string{FacetYear, FacetMonth}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(res.Facets[FacetYear]), "[{2016 36} {2017 4}]"; got != want {
		t.Errorf("year facet = %s, want %s", got, want)
	}
	months := res.Facets[FacetMonth]
	if len(months) != 14 || months[0] != (FacetCount{Value: "2016-01", Count: 3}) || months[13] != (FacetCount{Value: "2017-02", Count: 1}) {
		t.Errorf("month facet = %v, want 14 months from 2016-01 (3) to 2017-02 (1)", months)
	}
	filtered, _ := ix.Search(context.Background(), Request{Size: 1, Tags: []string{"filecoin"}, Facets: []string{FacetYear, FacetTags}})
	if got, want := fmt.Sprint(filtered.Facets[FacetYear]), "[{2016 18} {2017 2}]"; got != want {
		t.Errorf("year facet of tag filecoin = %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(filtered.Facets[FacetTags]), "[{filecoin 20} {p2p 20}]"; got != want {
		t.Errorf("tags facet = %s, want %s (ties by name)", got, want)
	}
}

func TestFacetSizeCutsValueFacets(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(8))
	res, _ := ix.Search(context.Background(), Request{Facets: []string{FacetAuthors}, FacetSize: 2})
	if got, want := fmt.Sprint(res.Facets[FacetAuthors]), "[{Author 0 2} {Author 1 2}]"; got != want {
		t.Errorf("authors facet = %s, want %s", got, want)
	}
	_, err := ix.Search(context.Background(), Request{Facets: []string{FacetAuthors}, FacetSize: MaxFacetSize + 1})
	var re *RequestError
	if !errors.As(err, &re) || re.Param != "facet_size" {
		t.Errorf("err = %v, want a RequestError on facet_size", err)
	}
}

func TestValuesListsEveryTagAndAuthor(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(9))
	tags, err := ix.Values(context.Background(), FacetTags)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(tags), "[{p2p 9} {filecoin 5}]"; got != want {
		t.Errorf("tags = %s, want %s", got, want)
	}
	authors, _ := ix.Values(context.Background(), FacetAuthors)
	if got, want := fmt.Sprint(authors), "[{Author 0 3} {Author 1 2} {Author 2 2} {Author 3 2}]"; got != want {
		t.Errorf("authors = %s, want %s", got, want)
	}
	var re *RequestError
	if _, err := ix.Values(context.Background(), FacetYear); !errors.As(err, &re) {
		t.Errorf("Values(year) err = %v, want a RequestError", err)
	}
}

func TestStatsDescribeTheBuild(t *testing.T) {
	_, ix, rep := buildTestIndex(t, tiedContent(12))
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != rep.ID || st.DocCount != 12 || st.Fingerprint == "" || st.BuiltAt.IsZero() {
		t.Errorf("stats = %+v, want build %s with 12 posts and a fingerprint", st, rep.ID)
	}
	if st.SizeBytes < 1000 {
		t.Errorf("SizeBytes = %d, want the size of a real index", st.SizeBytes)
	}
	if got := st.First.Format("2006-01-02") + " " + st.Last.Format("2006-01-02"); got != "2016-01-15 2016-04-15" {
		t.Errorf("span = %s, want 2016-01-15 2016-04-15", got)
	}
}

// bleveFacets counts r's facets with bleve's own facet builders, as the
// index did before it kept a table of every post's values.
func bleveFacets(tb testing.TB, ix *Index, r Request) map[string][]FacetCount {
	tb.Helper()
	ctx := context.Background()
	q, err := ix.buildQuery(ctx, r)
	if err != nil {
		tb.Fatal(err)
	}
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	size := r.FacetSize
	if size <= 0 {
		size = DefaultFacetSize
	}
	first, last, _, err := ix.span(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, name := range r.Facets {
		switch name {
		case FacetTags:
			req.AddFacet(name, bleve.NewFacetRequest(schema.FieldTags, size))
		case FacetAuthors:
			req.AddFacet(name, bleve.NewFacetRequest(schema.FieldAuthors, size))
		default:
			req.AddFacet(name, facet.PeriodFacet(facet.Periods(Interval(name), first, last)))
		}
	}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		tb.Fatal(err)
	}
	return facet.FromBleve(r.Facets, res.Facets)
}

// goldenFacetsAgree checks the facet table against bleve's facets on the
// real corpus, for queries that match few posts, many and all.
func goldenFacetsAgree(t *testing.T, ix *Index) {
	all := []string{FacetTags, FacetAuthors, FacetYear, FacetMonth}
	tests := []Request{
		{Query: "filecoin"},
		{Query: "peer to peer network"},
		{Query: `"content addressing"`},
		{Query: "ipfs", Tags: []string{"ipfs"}},
		{Query: "storage", FacetSize: 3},
		{Query: "zzzqqqxxnothing"},
		{Tags: []string{"filecoin"}, FacetSize: 1000},
		{FacetSize: 1000},
	}
	for _, r := range tests {
		r.Facets, r.Literal = all, true
		t.Run(fmt.Sprintf("%q %v %d", r.Query, r.Tags, r.FacetSize), func(t *testing.T) {
			res, err := ix.Search(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			got, want := fmt.Sprint(res.Facets), fmt.Sprint(bleveFacets(t, ix, r))
			if res.Total > 0 && len(res.Facets[FacetYear]) == 0 {
				t.Errorf("%d hits but no year facet: %s", res.Total, got)
			}
			if got != want {
				t.Errorf("facets:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestFacetsFollowAnIncrementalSync(t *testing.T) {
	f := newFolder(t, baseFiles)
	_, ix := openSynced(t, f)
	ctx := context.Background()
	tags := func() string {
		t.Helper()
		res, err := ix.Search(ctx, Request{Query: "beavers otters", Facets: []string{FacetTags, FacetYear}})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(res.Facets)
	}
	before := tags()
	f.write("beta.md", "---\ntitle: Beta\ndate: 2023-05-01\ntags: [rivers, wildlife]\n---\n\nbeavers and otters\n")
	if _, err := writerOf(ix).syncFiles(ctx, f.options(), []string{"beta.md"}); err != nil {
		t.Fatal(err)
	}
	if got, want := tags(), "map[tags:[{rivers 1} {wildlife 1}] year:[{2023 1}]]"; got != want {
		t.Errorf("facets after the edit = %s, want %s (before: %s)", got, want, before)
	}
}

func TestFacetsOfConcurrentSearchesAgree(t *testing.T) {
	_, ix, _ := buildTestIndex(t, tiedContent(40))
	reqs := []Request{
		{Query: "peer", Facets: []string{FacetTags, FacetAuthors, FacetMonth}},
		{Query: "storage", Tags: []string{"filecoin"}, Facets: []string{FacetYear, FacetAuthors}},
	}
	want := make([]string, len(reqs))
	for i, r := range reqs {
		res, err := ix.Search(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = fmt.Sprint(res.Facets)
	}
	ix.caches.facets = facet.Tables{} // forget the rows, so the searches fill them at once
	errs := make(chan error, 16)
	for g := range 16 {
		go func() {
			i := g % len(reqs)
			res, err := ix.Search(context.Background(), reqs[i])
			if err == nil && fmt.Sprint(res.Facets) != want[i] {
				err = fmt.Errorf("search %d: facets %v, want %s", i, res.Facets, want[i])
			}
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestFacetTableFillStopsWithTheRequest: reading the table's rows for
// many matches (a tag browse, an export, a faceted search) ends with the
// request's context, and what it read by then serves the next request.
func TestFacetTableFillStopsWithTheRequest(t *testing.T) {
	c := fstest.MapFS{}
	for i := range 1500 {
		c[fmt.Sprintf("p%04d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Post %d\ndate: 2020-01-%02d\n---\n\nText.\n", i, i%28+1))}
	}
	_, ix, _ := buildTestIndex(t, c)
	adv, err := ix.cur.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	docs := make([]uint64, 1500)
	for i := range docs {
		docs[i] = uint64(i)
	}
	var tables facet.Tables
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tables.EachDate(ctx, r, docs, func(int, int64, bool) {}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled fill of %d rows: %v, want context.Canceled", len(docs), err)
	}
	dated := 0
	if err := tables.EachDate(context.Background(), r, docs, func(_ int, _ int64, ok bool) {
		if ok {
			dated++
		}
	}); err != nil {
		t.Fatal(err)
	}
	if dated != len(docs) {
		t.Errorf("%d of %d rows dated after the cancelled fill, want all", dated, len(docs))
	}
}
