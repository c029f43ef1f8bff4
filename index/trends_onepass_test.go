package index

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"testing/fstest"
	"time"
)

// trendFixture is n made-up posts spread over nine years, some on a
// period's first day (the boundary a range must get right).
func trendFixture(n int) fstest.MapFS {
	words := []string{"p2p", "filecoin", "storage", "consensus", "streaming"}
	fsys := fstest.MapFS{}
	for i := range n {
		day := 1 + (i*7)%28
		if i%5 == 0 {
			day = 1
		}
		body := fmt.Sprintf("Notes on %s and %s.\n", words[i%len(words)], words[(i/3)%len(words)])
		fm := fmt.Sprintf("---\ntitle: Post %d\ndate: 20%02d-%02d-%02d\ntags: [t%d]\n---\n\n", i, 14+i%9, 1+(i/2)%12, day, i%3)
		fsys[fmt.Sprintf("p%04d.md", i)] = &fstest.MapFile{Data: []byte(fm + body)}
	}
	return fsys
}

// TestOnePassTrendsEqualFacetCounts holds the one-pass count to bleve's
// date-range facet, query by query, for years and months, with and
// without dates.
func TestOnePassTrendsEqualFacetCounts(t *testing.T) {
	_, ix, _ := buildTestIndex(t, trendFixture(300))
	ctx := context.Background()
	ranges := []struct{ from, to time.Time }{
		{},
		{date(2016, 3), date(2019, 7).AddDate(0, 0, -1)},
		{date(2018, 5).AddDate(0, 0, 14), time.Time{}},
		{time.Time{}, date(2015, 1)},
	}
	checked := 0
	for _, iv := range []Interval{IntervalYear, IntervalMonth} {
		for _, rg := range ranges {
			ps, err := ix.trendPeriods(ctx, TrendRequest{Interval: iv, From: rg.from, To: rg.to})
			if err != nil || len(ps) == 0 {
				t.Fatalf("%s %v: periods %d, %v", iv, rg, len(ps), err)
			}
			for _, q := range []string{"", "p2p", "filecoin OR storage", "consensus", "nosuchword"} {
				bq, err := ix.buildQuery(ctx, Request{Query: q, From: rg.from, To: rg.to, Literal: true})
				if err != nil {
					t.Fatal(err)
				}
				want, wantTotal, err := ix.countPeriods(ctx, bq, ps)
				if err != nil {
					t.Fatal(err)
				}
				got, gotTotal, err := ix.countPeriodsOnePass(ctx, bq, ps)
				if err != nil {
					t.Fatal(err)
				}
				if !maps.Equal(got, want) || gotTotal != wantTotal {
					t.Errorf("%s %q %v: one pass %v (total %d), facet %v (total %d)", iv, q, rg, got, gotTotal, want, wantTotal)
				}
				if q == "p2p" && wantTotal == 0 {
					t.Errorf("%s %v: p2p matches nothing; the fixture does not exercise the count", iv, rg)
				}
				checked++
			}
		}
	}
	if checked != 40 {
		t.Fatalf("checked %d cases", checked)
	}
}
