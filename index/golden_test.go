package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/qlang"

	"github.com/blust/archive/internal/testshared"
)

// corpusDir is the shared folder of real posts, relative to this package.
const corpusDir = "../../shared/corpus"

// goldenBlogs are the corpus folders the golden queries were written for:
// the IPFS blog and PL research, 597 posts. The corpus holds other blogs
// too; they have golden queries of their own, and adding them here would
// move every ranking below by changing the collection's statistics.
var goldenBlogs = []string{"ipfs-blog", "pl-research"}

// goldenContent copies the golden blogs into one folder, as an editor
// would keep them, and returns its path.
func goldenContent(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, blog := range goldenBlogs {
		if err := os.CopyFS(filepath.Join(dir, blog), os.DirFS(filepath.Join(corpusDir, blog))); err != nil {
			tb.Fatalf("copy %s: %v", blog, err)
		}
	}
	return dir
}

// openCorpus builds the golden blogs with the archive's synonyms, or skips
// when the shared folder is absent. It returns the index and the folder
// it was built from.
func openCorpus(tb testing.TB) (*Index, string) {
	tb.Helper()
	testshared.Dir(tb, "corpus")
	if raceEnabled {
		tb.Skip("golden queries measure ranking only; the plain test run covers them")
	}
	syn, err := post.LoadSynonyms(os.DirFS("../content"), post.SynonymsFile)
	if err != nil {
		tb.Fatal(err)
	}
	store, err := NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	dir := goldenContent(tb)
	if _, err := store.Build(context.Background(), BuildOptions{Content: os.DirFS(dir), ContentDir: dir}); err != nil {
		tb.Fatalf("build the corpus: %v", err)
	}
	ix, err := Open(store, nil, WithSynonyms(syn))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix, dir
}

// TestGolden runs searches as readers and researchers type them against
// the real corpus, built once.
func TestGolden(t *testing.T) {
	ix, dir := openCorpus(t)
	t.Run("ranking", func(t *testing.T) { goldenRanking(t, ix) })
	t.Run("synonyms agree", func(t *testing.T) { goldenSynonymsAgree(t, ix) })
	t.Run("exclusion and filters", func(t *testing.T) { goldenExclusionAndFilters(t, ix) })
	t.Run("suggestion", func(t *testing.T) { goldenSuggestion(t, ix) })
	t.Run("facets agree with bleve", func(t *testing.T) { goldenFacetsAgree(t, ix) })
	t.Run("page locations agree with scoring", func(t *testing.T) { goldenPageLocations(t, ix) })
	t.Run("phrases agree with bleve", func(t *testing.T) { goldenPhrasesAgree(t, ix) })
	t.Run("plain words agree with bleve's match", func(t *testing.T) { goldenAnyAltAgrees(t, ix) })
	t.Run("shared phrase counts agree with reading them again", func(t *testing.T) { goldenSharedPhrasesAgree(t, ix) })
	t.Run("filters alone agree with the full order", func(t *testing.T) { goldenUnrankedAgrees(t, ix) })
	t.Run("stored fields agree with bleve's", func(t *testing.T) { goldenStoredFields(t, ix) })
	t.Run("state agrees with the stored documents", func(t *testing.T) { goldenState(t, ix, dir) })
	t.Run("slug order agrees with bleve's id order", func(t *testing.T) { goldenSlugOrder(t, ix) })
	t.Run("snippets in long runs", func(t *testing.T) { goldenLongRunSnippets(t, ix) })
}

// goldenRanking checks that the post a reader is after ranks first (or in
// the top three, where several posts answer the question equally well).
func goldenRanking(t *testing.T, ix *Index) {
	tests := []struct {
		kind, q string
		want    string // the post that must rank within top
		top     int
	}{
		{"words", "gateway outage", "aug-20-ipfs-io-gateway-outage-resolution-next-steps", 1},
		{"words", "quadratic voting", "202205-pr-quadratic-voting-experiment", 1},
		{"words", "netflix container images", "083-improved-bitswap-with-netflix", 1},
		{"words", "opera touch ios", "ipfs-in-opera-touch-on-ios", 1},
		{"words", "gossipsub attack", "202010-gossipsub-v1-1", 1},
		{"words", "js-ipfs deprecation", "2023-05-js-ipfs-deprecation-for-helia", 1},
		{"words", "durin mobile app", "announcing-durin", 1},
		{"words", "nft metadata", "how-to-store-and-maintain-nft-metadata", 1},
		{"words", "dynamic content ipns", "2023-how-to-hose-dynamic-content-on-ipfs", 1},
		{"one word", "spacenet", "202211-spacenet", 1},
		{"one word", "secio", "105-deprecating-secio", 1},
		{"one word", "Rarible", "rarible-adds-extra-resiliency-to-nfts-with-ipfs-and-filecoin-via-nft-storage", 1},
		{"one word", "helia", "2023-05-js-ipfs-deprecation-for-helia", 3},
		{"several answers", "ipfs camp", "050-ipfs-camp-recap", 3},
		{"several answers", "ipfs in brave", "ipfs-in-brave-native-access-to-the-distributed-web", 3},
		{"synonym", "distributed hash table hardening", "hardening-the-ipfs-public-dht-against-eclipse-attacks", 1},
		{"synonym", "dht eclipse attack", "hardening-the-ipfs-public-dht-against-eclipse-attacks", 1},
		{"synonym", "decentralised storage browsers", "web3-browsers-for-decentralized-storage", 1},
		{"synonym", "interplanetary file system globecom", "202102-globecom2020", 1},
		{"synonym", "content identifier", "084-explore-the-anatomy-of-a-cid-on-protoschool", 3},
		{"synonym", "pubsub ipns", "014-pubsub", 3},
		{"typo", "gatway outage", "aug-20-ipfs-io-gateway-outage-resolution-next-steps", 1},
		{"typo", "hierarchcal consensus", "202203-hierarchical-consensus", 1},
		{"typo", "bitswpa netflix", "083-improved-bitswap-with-netflix", 1},
		{"typo", "spacenett", "202211-spacenet", 1},
		{"prefix", "multi-gatew", "2023-05-multi-gateway-browser-client", 1},
		{"prefix", "ipfs deskt", "058-ipfs-desktop-0-9", 3},
		{"prefix", "verified fet", "verified-fetch", 1},
		{"phrase", `"jumping inspectors"`, "202012-bitswap-jumping-inspectors", 1},
		{"phrase", `"hierarchical consensus" scaling`, "202203-hierarchical-consensus", 1},
		{"field", "title:eclipse", "hardening-the-ipfs-public-dht-against-eclipse-attacks", 1},
		{"field", "title:(lassie OR durin)", "2023-introducing-lassie", 2},
		{"field", `author:"Yiannis Psaras" ndn`, "202005-resnetlab-ndn", 1},
		{"field", "tag:brave infobar", "2023-brave-infobar", 1},
		{"date", "date:2019 camp recap", "050-ipfs-camp-recap", 1},
		{"date", "date:>=2025 ed25519", "2025-08-ed25519", 1},
		{"negation", "filecoin economy -weekly", "202008-filecoin-economy", 1},
		{"boolean", "(webrtc OR webtransport) AND browser", "libp2p-day-2022-recap", 3},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.q, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Query: tt.q, Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			got := slugs(res.Hits)
			if i := slices.Index(got, tt.want); i < 0 || i >= tt.top {
				t.Errorf("Search(%q) top = %v, want %s within the first %d", tt.q, got[:min(len(got), 5)], tt.want, tt.top)
			}
		})
	}
}

// goldenSynonymsAgree checks the promise: P2P, p2p, peer-to-peer
// and "peer to peer" return the same top hits.
func goldenSynonymsAgree(t *testing.T, ix *Index) {
	var first []string
	for _, q := range []string{"p2p", "P2P", "peer-to-peer", `"peer to peer"`, "Peer to Peer"} {
		res, err := ix.Search(context.Background(), Request{Query: q, Size: 5})
		if err != nil {
			t.Fatal(err)
		}
		got := slugs(res.Hits)
		if first == nil {
			first = got
			continue
		}
		if !slices.Equal(got, first) {
			t.Errorf("Search(%q) = %v, want the same top hits as p2p: %v", q, got, first)
		}
	}
}

// goldenExclusionAndFilters checks that excluded words and filters really
// exclude.
func goldenExclusionAndFilters(t *testing.T, ix *Index) {
	tests := []struct {
		q       string
		mode    qlang.Mode
		exclude string
		check   func(Hit) bool
	}{
		{q: "gossipsub -v1.1", exclude: "094-gossipsub-v1-1"},
		{q: "gossipsub NOT v1.1", mode: qlang.ModeAdvanced, exclude: "094-gossipsub-v1-1"},
		{q: "tag:brave", check: func(h Hit) bool { return slices.Contains(h.Tags, "brave") }},
		{q: "ipfs date:2016..2017", check: func(h Hit) bool { return h.Date.Year() == 2016 || h.Date.Year() == 2017 }},
		{q: "ipfs date:<2016", check: func(h Hit) bool { return h.Date.Year() < 2016 }},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Query: tt.q, Mode: tt.mode, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total == 0 {
				t.Fatalf("Search(%q) found nothing", tt.q)
			}
			for _, h := range res.Hits {
				if h.Slug == tt.exclude || tt.check != nil && !tt.check(h) {
					t.Errorf("Search(%q) returned %s (%s, %v, tags %v), which it should exclude", tt.q, h.Slug, h.Title, h.Date, h.Tags)
				}
			}
		})
	}
}

// goldenSuggestion checks the spelling correction a reader sees.
func goldenSuggestion(t *testing.T, ix *Index) {
	res, err := ix.Search(context.Background(), Request{Query: "blockchian", Size: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suggestion != "blockchain" || !res.Corrected || res.Total == 0 {
		t.Errorf("Search(blockchian) suggestion %q corrected %v total %d, want the results for blockchain", res.Suggestion, res.Corrected, res.Total)
	}
	if len(res.Hits) > 0 && !strings.Contains(strings.ToLower(res.Hits[0].TitleHTML+res.Hits[0].Summary), "blockchain") {
		t.Errorf("first hit %q is not about blockchains", res.Hits[0].Title)
	}
}

// goldenState compares the state a sync reads from doc values, and each
// post's entry, with the corpus's files as the loader reads them.
func goldenState(t *testing.T, ix *Index, dir string) {
	got, err := build.ReadState(context.Background(), ix.cur.idx)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := post.Load(os.DirFS(dir), post.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(loaded.Posts) || len(got) < 500 {
		t.Fatalf("state has %d posts, the corpus %d", len(got), len(loaded.Posts))
	}
	for i, p := range loaded.Posts {
		want := changes.DocState{File: p.File, Hash: p.Hash}
		if got[p.Slug] != want {
			t.Errorf("state of %s = %+v, want %+v", p.Slug, got[p.Slug], want)
		}
		if i%50 != 0 {
			continue
		}
		e, err := ix.Lookup(context.Background(), p.Slug)
		if err != nil || e.File != p.File || e.Hash != p.Hash || e.Title != p.Title {
			t.Errorf("Lookup(%s) = %+v, %v; want file %s, hash %s", p.Slug, e, err, p.File, p.Hash)
		}
	}
}

// goldenSlugOrder lists every post in each date order, once with the slug
// read from doc values as the tie-breaker (sortOrder) and once with
// bleve's _id: the orders must be the same.
func goldenSlugOrder(t *testing.T, ix *Index) {
	n, err := ix.cur.idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	list := func(order search.SortOrder) []string {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(n), 0, false)
		req.SortByCustom(order)
		return requestIDs(t, ix, req)
	}
	for _, s := range []Sort{SortNewest, SortOldest, SortRelevance} {
		order := sortOrder(s)
		byID := append(order[:len(order)-1:len(order)-1], &search.SortDocID{})
		got, want := list(order), list(byID)
		if len(got) < 500 || !slices.Equal(got, want) {
			t.Errorf("sort %q: %d posts by slug, %d by id, or in another order", s, len(got), len(want))
		}
	}
}
