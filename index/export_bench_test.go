package index

import (
	"context"
	"testing"
)

// BenchmarkExport walks a whole export of a common word, reporting rows/s:
//
//	go test ./index -run '^$' -bench 'Export|Trends' -bench.posts 10000
func BenchmarkExport(b *testing.B) {
	f := benchIndex(b)
	ctx := context.Background()
	for _, sort := range []Sort{SortRelevance, SortNewest} {
		b.Run(string(sort), func(b *testing.B) {
			rows := 0
			for b.Loop() {
				ex, err := f.ix.OpenExport(ctx, Request{Query: "p2p", Sort: sort})
				if err != nil {
					b.Fatal(err)
				}
				for {
					hits, err := ex.Next(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if len(hits) == 0 {
						break
					}
					rows += len(hits)
				}
				ex.Close()
			}
			if rows == 0 {
				b.Fatal("the export had no rows")
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkTrends counts 8 topics by month, as a researcher would ask.
func BenchmarkTrends(b *testing.B) {
	f := benchIndex(b)
	ctx := context.Background()
	tr := TrendRequest{
		Queries:  []string{"p2p", "filecoin", "blockchain", "ipfs", "libp2p", "streaming", "storage", "consensus"},
		Interval: IntervalMonth,
	}
	for b.Loop() {
		if _, err := f.ix.Trends(ctx, tr); err != nil {
			b.Fatal(err)
		}
	}
}
