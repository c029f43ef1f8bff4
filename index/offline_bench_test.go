package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/internal/gen"
)

// buildWith makes a full build of c into a fresh store, with the offline
// builder or with batches, and returns the store and the build's time.
func buildWith(tb testing.TB, c *gen.Corpus, withOffline bool) (*Store, time.Duration) {
	tb.Helper()
	offlineBuilds = withOffline
	defer func() { offlineBuilds = false }()
	store, err := NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	rep, err := store.Build(context.Background(), benchBuildOptions(c))
	took := time.Since(start)
	if err != nil {
		tb.Fatal(err)
	}
	if rep.Posts != c.Posts {
		tb.Fatalf("built %d posts, want %d", rep.Posts, c.Posts)
	}
	// The offline builder leaves its one segment where a one-batch scorch
	// index has it, and nothing of its work folder.
	segs, _ := filepath.Glob(filepath.Join(store.blevePath(rep.ID), "store", "*.zap"))
	left, _ := filepath.Glob(filepath.Join(store.blevePath(rep.ID), "scorch-offline-build*"))
	if withOffline && (len(segs) != 1 || filepath.Base(segs[0]) != "000000000002.zap" || len(left) != 0) {
		tb.Fatalf("offline build: segments %v, work folders %v", segs, left)
	}
	return store, took
}

// answers is every query of the benchmark mix asked of the store's build,
// as the search page asks it (10 hits, snippets, facets), written out:
// totals, and each hit's slug, score, title and snippets in order.
func answers(tb testing.TB, store *Store) []string {
	tb.Helper()
	ix, err := Open(store, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer ix.Close()
	var out []string
	for _, q := range gen.Queries() {
		text, tags := q.SearchBox()
		res, err := ix.Search(context.Background(), Request{Query: text, Tags: tags, Size: 10, Fragments: 3, Facets: []string{"tags", "authors"}})
		if err != nil {
			out = append(out, fmt.Sprintf("%s: error %v", q.Text, err))
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %d hits; facets %v", q.Text, res.Total, res.Facets)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, "\n  %s %v %q", h.Slug, h.Score, h.TitleHTML)
			for _, f := range h.Fragments {
				fmt.Fprintf(&b, " [%s#%s %q]", f.Heading, f.Anchor, f.HTML)
			}
		}
		out = append(out, b.String())
	}
	return out
}

// sameAnswers fails unless both builds answer every query alike.
func sameAnswers(tb testing.TB, batches, offline *Store) {
	tb.Helper()
	a, o := answers(tb, batches), answers(tb, offline)
	differ := 0
	for i := range a {
		if a[i] != o[i] {
			if differ < 3 {
				tb.Errorf("the builds answer differently:\nbatches: %s\noffline: %s", a[i], o[i])
			}
			differ++
		}
	}
	if differ > 0 {
		tb.Fatalf("%d of %d queries answered differently", differ, len(a))
	}
}

// A build made with the offline builder answers the benchmark's queries
// exactly as one made with batches merged at the end.
func TestOfflineBuildAnswersAsBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated corpus twice")
	}
	c, err := gen.New(gen.DefaultSeed).Ensure(context.Background(), t.TempDir(), 150)
	if err != nil {
		t.Fatal(err)
	}
	batches, _ := buildWith(t, c, false)
	offline, _ := buildWith(t, c, true)
	sameAnswers(t, batches, offline)
}

// BenchmarkOfflineBuild times full builds of the corpus with batches
// merged at the end (today's path) and with the offline builder, in
// turns, the one going first changing each round, and checks that the
// two answer the query mix alike:
//
//	go test ./index -run '^$' -bench OfflineBuild -bench.posts 10000 -benchtime 3x
func BenchmarkOfflineBuild(b *testing.B) {
	c := benchCorpus(b)
	var took [2]time.Duration
	round := 0
	for b.Loop() {
		var stores [2]*Store
		for k := range 2 {
			which := (k + round) % 2
			var d time.Duration
			stores[which], d = buildWith(b, c, which == 1)
			took[which] += d
		}
		round++
		b.StopTimer()
		sameAnswers(b, stores[0], stores[1])
		b.StartTimer()
	}
	b.ReportMetric(float64(c.Posts*round)/took[0].Seconds(), "batches-docs/s")
	b.ReportMetric(float64(c.Posts*round)/took[1].Seconds(), "offline-docs/s")
	b.ReportMetric(took[1].Seconds()/took[0].Seconds(), "offline/batches")
}
