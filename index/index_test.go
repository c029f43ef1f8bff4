package index

import (
	"context"
	"errors"
	layout "github.com/blust/archive/index/internal/store"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// testContent is the seed post plus a few posts that pull queries in other
// directions, and one broken post.
func testContent(tb testing.TB) fstest.MapFS {
	tb.Helper()
	seed, err := os.ReadFile("../content/p2p-and-blockchain-have-come-of-age.md")
	if err != nil {
		tb.Fatalf("read seed post: %v", err)
	}
	return fstest.MapFS{
		"p2p-and-blockchain-have-come-of-age.md": {Data: seed},
		"libp2p-release.md": {Data: []byte("---\ntitle: libp2p 0.9 released\ndate: 2020-01-02\nauthor: Ada Lovelace\ntags: [libp2p, release]\n---\n\n" +
			"This libp2p release improves the DHT and gossipsub.\n\n## Upgrading\n\nUpgrade your libp2p nodes now.\n")},
		"filecoin-markets.md": {Data: []byte("---\ntitle: Storage markets on Filecoin\ndate: 2021-06-01\nauthor: Grace Hopper\ntags: [Filecoin, Markets]\n---\n\n" +
			"An intro.\n\n## Deals\n\nFilecoin storage deals pay miners in FIL.\n")},
		"xss.md": {Data: []byte("---\ntitle: Escaping <script>alert(1)</script>\ndate: 2022-02-02\n---\n\n" +
			"Never trust `<script>alert('xss')</script>` in a streaming post.\n")},
		"broken.md": {Data: []byte("---\ntitle: [unclosed\ndate: 2020-01-01\n---\nbody\n")},
	}
}

func buildTestIndex(tb testing.TB, content fstest.MapFS) (*Store, *Index, *Report) {
	tb.Helper()
	store, err := NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	rep, err := store.Build(context.Background(), BuildOptions{Content: content, ContentDir: "content"})
	if err != nil {
		tb.Fatalf("Build: %v", err)
	}
	ix, err := Open(store, nil)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	return store, ix, rep
}

func slugs(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Slug)
	}
	return out
}

func TestBuildReportsRejectedAndIndexesTheRest(t *testing.T) {
	_, ix, rep := buildTestIndex(t, testContent(t))
	if rep.Posts != 4 {
		t.Errorf("Posts = %d, want 4", rep.Posts)
	}
	if len(rep.Rejected) != 1 || rep.Rejected[0].File != "broken.md" || rep.Rejected[0].Line == 0 {
		t.Errorf("Rejected = %+v, want one problem for broken.md with a line", rep.Rejected)
	}
	if n, _ := ix.DocCount(); n != 4 {
		t.Errorf("DocCount = %d, want 4", n)
	}
	if ix.Manifest().Fingerprint == "" || ix.Manifest().ID != rep.ID {
		t.Errorf("manifest = %+v, want the build's id and a fingerprint", ix.Manifest())
	}
}

func TestSearchFindsTheSeedPost(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	const seed = "p2p-and-blockchain-have-come-of-age"
	for _, q := range []string{"p2p", "P2P", "peer to peer", "Filecoin", "filecoin", "blockchain", `"Tron buying BitTorrent"`} {
		t.Run(q, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Query: q, Fragments: 3})
			if err != nil {
				t.Fatal(err)
			}
			if !contains(slugs(res.Hits), seed) {
				t.Fatalf("hits = %v, want the seed post", slugs(res.Hits))
			}
			h := res.Hits[indexOf(slugs(res.Hits), seed)]
			if len(h.Fragments) == 0 || len(h.Fragments) > 3 {
				t.Fatalf("got %d fragments, want 1 to 3", len(h.Fragments))
			}
			if !strings.Contains(h.Fragments[0].HTML, "<mark>") {
				t.Errorf("first fragment has no <mark>: %q", h.Fragments[0].HTML)
			}
			if h.Title == "" || h.Date.Year() != 2018 || len(h.Authors) != 1 || len(h.Tags) == 0 {
				t.Errorf("hit metadata incomplete: %+v", h)
			}
		})
	}
}

func TestPhraseIsMarkedAsAUnit(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	res, err := ix.Search(context.Background(), Request{Query: `"Tron buying BitTorrent"`, Fragments: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Fatalf("phrase total = %d, want exactly the seed post", res.Total)
	}
	if f := res.Hits[0].Fragments[0].HTML; !strings.Contains(f, "<mark>Tron buying BitTorrent</mark>") {
		t.Errorf("fragment = %q, want the phrase in one <mark>", f)
	}
}

func TestSnippetsAndTitlesAreEscaped(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	res, err := ix.Search(context.Background(), Request{Query: "script alert", Fragments: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		t.Fatal("no hits for the xss post")
	}
	h := res.Hits[0]
	for _, s := range append([]string{h.TitleHTML}, fragmentHTML(h)...) {
		if strings.Contains(s, "<script") || strings.Contains(s, "<mark>script</mark>>") {
			t.Errorf("unescaped markup: %q", s)
		}
		if !strings.Contains(s, "&lt;") {
			t.Errorf("expected escaped angle brackets in %q", s)
		}
	}
}

func fragmentHTML(h Hit) []string {
	var out []string
	for _, f := range h.Fragments {
		out = append(out, f.HTML)
	}
	return out
}

func TestFragmentNamesItsHeading(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	res, err := ix.Search(context.Background(), Request{Query: "miners", Fragments: 3})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("hits = %v, err = %v", res, err)
	}
	f := res.Hits[0].Fragments[0]
	if f.Heading != "Deals" || f.Anchor != "deals" {
		t.Errorf("fragment heading = %q #%q, want Deals #deals", f.Heading, f.Anchor)
	}
}

func TestFiltersAndSorts(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	tests := []struct {
		name string
		req  Request
		want []string
	}{
		{"newest first", Request{Sort: SortNewest}, []string{"xss", "filecoin-markets", "libp2p-release", "p2p-and-blockchain-have-come-of-age"}},
		{"oldest first", Request{Sort: SortOldest, Size: 2}, []string{"p2p-and-blockchain-have-come-of-age", "libp2p-release"}},
		{"tag, any case", Request{Tags: []string{"FILECOIN"}, Sort: SortNewest}, []string{"filecoin-markets", "p2p-and-blockchain-have-come-of-age"}},
		{"two tags", Request{Tags: []string{"filecoin", "markets"}}, []string{"filecoin-markets"}},
		{"author, any case", Request{Author: "grace hopper"}, []string{"filecoin-markets"}},
		{"date range inclusive", Request{From: day("2020-01-02"), To: day("2021-06-01"), Sort: SortOldest}, []string{"libp2p-release", "filecoin-markets"}},
		{"text and tag", Request{Query: "storage", Tags: []string{"markets"}}, []string{"filecoin-markets"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := slugs(res.Hits); strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFacetsCountTheWholeResultSet(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	res, err := ix.Search(context.Background(), Request{Size: 1, Facets: []string{"tags", "authors"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, fc := range res.Facets["tags"] {
		got[fc.Value] = fc.Count
	}
	if got["filecoin"] != 2 || got["libp2p"] != 1 {
		t.Errorf("tag facet = %v, want filecoin:2 libp2p:1", got)
	}
	if len(res.Facets["authors"]) != 3 {
		t.Errorf("author facet = %v, want 3 authors", res.Facets["authors"])
	}
}

func TestBadRequestsNameTheParameter(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	for _, tt := range []struct {
		req   Request
		param string
	}{
		{Request{Size: 1000}, "per_page"},
		{Request{Offset: MaxWindow, Size: 10}, "page"},
		{Request{Sort: "random"}, "sort"},
		{Request{Facets: []string{"colour"}}, "facets"},
		{Request{From: time.Now(), To: time.Now().AddDate(-1, 0, 0)}, "to"},
	} {
		_, err := ix.Search(context.Background(), tt.req)
		var re *RequestError
		if !errors.As(err, &re) || re.Param != tt.param {
			t.Errorf("Search(%+v) error = %v, want a RequestError for %s", tt.req, err, tt.param)
		}
	}
}

func TestLookup(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	e, err := ix.Lookup(context.Background(), "filecoin-markets")
	if err != nil {
		t.Fatal(err)
	}
	if e.File != "filecoin-markets.md" || e.Title != "Storage markets on Filecoin" || e.Hash == "" {
		t.Errorf("entry = %+v", e)
	}
	if _, err := ix.Lookup(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown slug: err = %v, want ErrNotFound", err)
	}
}

func TestReloadSwitchesToANewBuildAndRemovesTheOld(t *testing.T) {
	content := testContent(t)
	store, ix, first := buildTestIndex(t, content)
	if changed, err := ix.Reload(); changed || err != nil {
		t.Fatalf("Reload with nothing new = %v, %v; want false, nil", changed, err)
	}
	content["new.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Zebra crossings\ndate: 2023-01-01\n---\nzebras everywhere\n")}
	second, err := store.Build(context.Background(), BuildOptions{Content: content})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(store.s.BuildPath(first.ID)); err != nil {
		t.Fatalf("old build removed while still serving: %v", err)
	}
	if changed, err := ix.Reload(); !changed || err != nil {
		t.Fatalf("Reload = %v, %v; want true, nil", changed, err)
	}
	res, err := ix.Search(context.Background(), Request{Query: "zebras"})
	if err != nil || res.Total != 1 || res.BuildID != second.ID {
		t.Fatalf("after reload: %+v, %v; want the zebra post from build %s", res, err, second.ID)
	}
	if _, err := os.Stat(store.s.BuildPath(first.ID)); !os.IsNotExist(err) {
		t.Errorf("old build %s still on disk after the switch (err %v)", first.ID, err)
	}
}

func TestSecondOpenFailsClearlyInsteadOfHanging(t *testing.T) {
	store, _, _ := buildTestIndex(t, testContent(t))
	start := time.Now()
	_, err := Open(store, nil)
	if !errors.Is(err, errLocked) || !strings.Contains(err.Error(), store.Root()) {
		t.Fatalf("second Open error = %v, want one naming %s as in use", err, store.Root())
	}
	if time.Since(start) > 30*time.Second {
		t.Errorf("second Open took %v", time.Since(start))
	}
}

func TestCleanupRemovesAbandonedBuilds(t *testing.T) {
	store, _, _ := buildTestIndex(t, testContent(t))
	// A reindex killed half-way leaves a build folder that nobody holds.
	dead := filepath.Join(store.Root(), layout.BuildsDir, layout.NewBuildID(time.Now().Add(time.Hour)))
	if err := os.MkdirAll(filepath.Join(dead, layout.BleveDir), 0o755); err != nil {
		t.Fatal(err)
	}
	removed := store.Cleanup()
	if len(removed) != 1 || removed[0] != filepath.Base(dead) {
		t.Errorf("Cleanup removed %v, want just %s", removed, filepath.Base(dead))
	}
	if _, err := store.Current(); err != nil {
		t.Errorf("current build lost: %v", err)
	}
}

func contains(xs []string, x string) bool { return indexOf(xs, x) >= 0 }

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
