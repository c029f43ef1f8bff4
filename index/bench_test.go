package index

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/facet"
	"github.com/blust/archive/index/internal/snapshot"
	"github.com/blust/archive/internal/gen"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/qlang"
	"github.com/blust/archive/internal/render"
)

// The benchmarks run on a generated corpus (internal/gen), cached under
// the user cache directory. They are not part of go test; run them with
//
//	go test ./index -run '^$' -bench . -bench.posts 10000
var benchPosts = flag.Int("bench.posts", 1000, "posts in the generated corpus the index benchmarks use")

// benchFixture is the corpus and one index built from it, shared by the
// search benchmarks of a run.
type benchFixture struct {
	corpus *gen.Corpus
	store  *Store
	ix     *Index
	rep    *Report
	dir    string
}

var (
	fixtureOnce sync.Once
	fixture     *benchFixture
	fixtureErr  error
)

func benchCorpus(b *testing.B) *gen.Corpus {
	b.Helper()
	dir, err := gen.CacheDir(gen.DefaultSeed, *benchPosts)
	if err != nil {
		b.Fatal(err)
	}
	c, err := gen.New(gen.DefaultSeed).Ensure(context.Background(), dir, *benchPosts)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func benchIndex(b *testing.B) *benchFixture {
	b.Helper()
	fixtureOnce.Do(func() {
		f := &benchFixture{corpus: benchCorpus(b)}
		f.dir, fixtureErr = os.MkdirTemp("", "archive-bench-index-")
		if fixtureErr != nil {
			return
		}
		f.store, fixtureErr = NewStore(f.dir)
		if fixtureErr != nil {
			return
		}
		f.rep, fixtureErr = f.store.Build(context.Background(), benchBuildOptions(f.corpus))
		if fixtureErr != nil {
			return
		}
		f.ix, fixtureErr = Open(f.store, nil)
		fixture = f
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixture
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture != nil {
		fixture.ix.Close()
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func benchBuildOptions(c *gen.Corpus) BuildOptions {
	return BuildOptions{Content: os.DirFS(c.Dir), ContentDir: c.Dir}
}

// BenchmarkBuild is a full build of the corpus: load, render, index,
// merge and switch.
func BenchmarkBuild(b *testing.B) {
	c := benchCorpus(b)
	var took time.Duration
	var size int64
	for b.Loop() {
		store, err := NewStore(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		rep, err := store.Build(context.Background(), benchBuildOptions(c))
		took += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Posts != c.Posts {
			b.Fatalf("built %d posts, want %d", rep.Posts, c.Posts)
		}
		if size, err = dirSize(store.s.BuildPath(rep.ID)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(c.Posts*b.N)/took.Seconds(), "docs/s")
	b.ReportMetric(float64(size)/float64(c.Bytes), "index/md")
	b.ReportMetric(float64(c.Bytes*int64(b.N))/took.Seconds()/1e6, "MB/s")
}

// BenchmarkUpdateOne is one edited post made visible: the watcher's path
// (SyncFiles with the edited file), then a search that must find the new
// text.
func BenchmarkUpdateOne(b *testing.B) {
	f := benchIndex(b)
	res, err := post.Load(os.DirFS(f.corpus.Dir), post.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	p := res.Posts[len(res.Posts)/2]
	orig, err := os.ReadFile(filepath.Join(f.corpus.Dir, p.File))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	r := render.New() // the server's renderer lives as long as the server
	n := 0
	for b.Loop() {
		n++
		marker := fmt.Sprintf("zqxedit%d", n)
		edited := &editedFS{FS: os.DirFS(f.corpus.Dir), name: p.File, mod: time.Now(),
			data: append(slices.Clip(orig), []byte("\n\nEdited: "+marker+".\n")...)}
		opts := SyncOptions{BuildOptions: BuildOptions{Content: edited, ContentDir: f.corpus.Dir, Renderer: r}}
		rep, err := writerOf(f.ix).syncFiles(ctx, opts, []string{p.File})
		if err != nil || len(rep.Updated) != 1 {
			b.Fatalf("SyncFiles = %+v, %v; want one post updated", rep, err)
		}
		got, err := f.ix.Search(ctx, Request{Query: marker})
		if err != nil || got.Total != 1 {
			b.Fatalf("search for the edit: %v, %+v", err, got)
		}
	}
}

// editedFS is a content folder with one file replaced, so the benchmark
// edits a post without touching the cached corpus.
type editedFS struct {
	fs.FS
	name string
	data []byte
	mod  time.Time
}

func (e *editedFS) Open(name string) (fs.File, error) {
	if name == e.name {
		return fstest.MapFS{name: {Data: e.data, ModTime: e.mod}}.Open(name)
	}
	return e.FS.Open(name)
}

// benchRequest is a line of the query mix as the search box sends it.
func benchRequest(q gen.Query) Request {
	text, tags := q.SearchBox()
	return Request{Query: text, Tags: tags, Size: 10}
}

// latencies collects per-query times and reports their percentiles.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	ms := func(p float64) float64 {
		return float64(s[min(len(s)-1, int(p*float64(len(s))))].Nanoseconds()) / 1e6
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

// BenchmarkSearch runs the query mix by kind, with snippets as the search
// page makes them (3 per hit) and without, and the whole mix with facets
// and a deep page.
func BenchmarkSearch(b *testing.B) {
	f := benchIndex(b)
	byKind := map[string][]gen.Query{}
	var kinds []string
	var all []gen.Query
	for _, q := range gen.Queries() {
		if byKind[q.Kind] == nil {
			kinds = append(kinds, q.Kind)
		}
		byKind[q.Kind] = append(byKind[q.Kind], q)
		all = append(all, q)
	}
	type variant struct {
		name string
		set  func(*Request)
	}
	plain := variant{"plain", func(*Request) {}}
	hl := variant{"hl", func(r *Request) { r.Fragments = 3 }}
	facets := variant{"facets", func(r *Request) { r.Facets = []string{"tags", "authors"} }}
	facetsHL := variant{"facets+hl", func(r *Request) { r.Fragments = 3; r.Facets = []string{"tags", "authors"} }}
	deep := variant{"deep+hl", func(r *Request) { r.Fragments = 3; r.Offset = 990 }}
	for _, k := range kinds {
		for _, v := range []variant{plain, hl} {
			b.Run(k+"/"+v.name, func(b *testing.B) { runQueries(b, f.ix, byKind[k], v.set) })
		}
	}
	for _, v := range []variant{plain, hl, facets, facetsHL} {
		b.Run("mix/"+v.name, func(b *testing.B) { runQueries(b, f.ix, all, v.set) })
	}
	// The same mix with the first page's pruning off (bm25f.WithoutPruning), to
	// compare within one run.
	b.Run("mix/hl-unpruned", func(b *testing.B) {
		runQueriesIn(b, bm25f.WithoutPruning(context.Background()), f.ix, all, hl.set)
	})
	b.Run("term_common/"+deep.name, func(b *testing.B) { runQueries(b, f.ix, byKind["term_common"], deep.set) })
}

// BenchmarkMatchSet walks each query's match searcher alone, counting
// the matches and scoring nothing: the least a search that reports the
// exact total must do before it ranks a post or makes a snippet. Its p99
// against a whole search's shows how much of the tail is finding the
// matches (for phrases, checking positions in every post that holds the
// words), which no pruning of the ranking can spare. For plain words the
// search counts from the union of their posting bitmaps instead, which
// costs less than this walk: only kinds with a phrase, a filter or a
// required word have their floor here.
func BenchmarkMatchSet(b *testing.B) {
	f := benchIndex(b)
	byKind := map[string][]gen.Query{}
	var kinds []string
	for _, q := range gen.Queries() {
		if byKind[q.Kind] == nil {
			kinds = append(kinds, q.Kind)
		}
		byKind[q.Kind] = append(byKind[q.Kind], q)
	}
	for _, k := range kinds {
		b.Run(k, func(b *testing.B) { walkMatchSets(b, f.ix, byKind[k]) })
	}
}

func walkMatchSets(b *testing.B, ix *Index, qs []gen.Query) {
	ctx := withTermLimit(context.Background())
	var queries []bq.Query
	for _, q := range qs {
		r := benchRequest(q)
		parsed, err := qlang.Parse(r.Query, r.Mode)
		if err != nil {
			b.Fatal(err)
		}
		pl, err := ix.planText(ctx, parsed, r, false)
		if err != nil {
			b.Fatal(err)
		}
		match := pl.Query
		if rq, ok := match.(*bm25f.Query); ok {
			match = rq.Match
		}
		queries = append(queries, match)
	}
	rd, err := build.SnapshotReader(ix.cur.idx)
	if err != nil {
		b.Fatal(err)
	}
	defer rd.Close()
	m := ix.cur.idx.Mapping()
	lat := make(latencies, 0, 1024)
	var matches uint64
	i := 0
	for b.Loop() {
		start := time.Now()
		s, err := queries[i%len(queries)].Searcher(ctx, rd, m, search.SearcherOptions{Score: "none"})
		if err != nil {
			b.Fatal(err)
		}
		sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
		for {
			dm, err := s.Next(sctx)
			if err != nil {
				b.Fatal(err)
			}
			if dm == nil {
				break
			}
			matches++
			sctx.DocumentMatchPool.Put(dm)
		}
		s.Close()
		lat = append(lat, time.Since(start))
		i++
	}
	b.ReportMetric(float64(matches)/float64(b.N), "matches/op")
	lat.report(b)
}

func runQueries(b *testing.B, ix *Index, qs []gen.Query, set func(*Request)) {
	runQueriesIn(b, context.Background(), ix, qs, set)
}

func runQueriesIn(b *testing.B, base context.Context, ix *Index, qs []gen.Query, set func(*Request)) {
	reqs := make([]Request, len(qs))
	for i, q := range qs {
		reqs[i] = benchRequest(q)
		set(&reqs[i])
	}
	var pruning bm25f.PruneStats
	ctx := bm25f.WithPruneStats(base, &pruning)
	lat := make(latencies, 0, 1024)
	i := 0
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	for b.Loop() {
		start := time.Now()
		if _, err := ix.Search(ctx, reqs[i%len(reqs)]); err != nil {
			b.Fatalf("%q: %v", reqs[i%len(reqs)].Query, err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
	if pruning.Matched > 0 { // the share of matches a pruned first page scored
		b.ReportMetric(float64(pruning.Scored)/float64(pruning.Matched), "scored/match")
	}
	lat.report(b)
}

// cpuTime is the CPU time the process has used. On a machine shared with
// other work it compares runs better than the wall-clock latencies,
// which waiting for a core inflates.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFacetTable reads every post's row of the facet table, as the
// first faceted search that matches them all after an edit or a merge
// does (later searches of the same snapshot read nothing).
func BenchmarkFacetTable(b *testing.B) {
	f := benchIndex(b)
	adv, err := f.ix.cur.idx.Advanced()
	if err != nil {
		b.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var docs []uint64
	ids, err := r.DocIDReaderAll()
	if err != nil {
		b.Fatal(err)
	}
	for {
		id, err := ids.Next()
		if err != nil || id == nil {
			break
		}
		docs = append(docs, snapshot.Number(id))
	}
	ids.Close()
	for b.Loop() {
		var tables facet.Tables
		if err := tables.EachDate(context.Background(), r, docs, func(int, int64, bool) {}); err != nil {
			b.Fatal(err)
		}
	}
}
