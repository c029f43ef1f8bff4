package index

import (
	"context"
	"reflect"
	"testing"
)

// Tests of what the reader's pages ask of the index besides search:
// neighbours, related posts, highlighting and completion.

func TestNeighboursFollowTheDates(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	tests := []struct{ slug, older, newer string }{
		{"p2p-and-blockchain-have-come-of-age", "", "libp2p-release"},
		{"libp2p-release", "p2p-and-blockchain-have-come-of-age", "filecoin-markets"},
		{"xss", "filecoin-markets", ""},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			o, n, err := ix.Neighbours(context.Background(), tt.slug)
			if err != nil {
				t.Fatal(err)
			}
			if got := slugOf(o); got != tt.older {
				t.Errorf("older = %q, want %q", got, tt.older)
			}
			if got := slugOf(n); got != tt.newer {
				t.Errorf("newer = %q, want %q", got, tt.newer)
			}
		})
	}
	if _, _, err := ix.Neighbours(context.Background(), "nope"); err == nil {
		t.Error("unknown slug: no error")
	}
}

func slugOf(h *Hit) string {
	if h == nil {
		return ""
	}
	return h.Slug
}

func TestRelatedPrefersSharedTopics(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	hits, err := ix.Related(context.Background(), "filecoin-markets", 3)
	if err != nil {
		t.Fatal(err)
	}
	got := slugs(hits)
	if len(got) == 0 || got[0] != "p2p-and-blockchain-have-come-of-age" {
		t.Errorf("related = %v, want the other Filecoin post first", got)
	}
	if contains(got, "filecoin-markets") {
		t.Errorf("related = %v lists the post itself", got)
	}
}

func TestMatcherFindsWordsAsTheIndexDoes(t *testing.T) {
	tests := []struct {
		query, text string
		want        []string
	}{
		{"stream", "Streaming streams; a stream.", []string{"Streaming", "streams", "stream"}},
		{`"Peer to Peer" -blockchain`, "peer networks and blockchain", []string{"peer"}},
		{"title:Filecoin date:2018..2019 NOT ipfs", "Filecoin in 2018 with IPFS", []string{"Filecoin"}},
		{"the", "the stop word", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			m, err := NewMatcher(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			checkMarks(t, m, tt.text, tt.want)
		})
	}
}

func TestCompleteOffersWordsAndTitles(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	tests := []struct {
		text      string
		wantTerm  string
		wantTitle string
	}{
		{"fil", "filecoin", "filecoin-markets"},
		{"storage mar", "markets", "filecoin-markets"},
		{"LIBP", "libp2p", "libp2p-release"},
	}
	for w, want := range map[string]bool{"filecoin": true, "web3": true, "filecoin’s": false, "2019": false, "ab": false} {
		if got := offerable(w); got != want {
			t.Errorf("offerable(%q) = %v, want %v", w, got, want)
		}
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			c, err := ix.Complete(context.Background(), tt.text, 5)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Terms) == 0 || c.Terms[0] != tt.wantTerm {
				t.Errorf("terms = %v, want %q first", c.Terms, tt.wantTerm)
			}
			var titles []string
			for _, l := range c.Titles {
				titles = append(titles, l.Slug)
			}
			if !contains(titles, tt.wantTitle) {
				t.Errorf("titles = %v, want %q among them", titles, tt.wantTitle)
			}
		})
	}
	c, err := ix.Complete(context.Background(), "   ", 5)
	if err != nil || len(c.Terms) != 0 || len(c.Titles) != 0 {
		t.Errorf("blank text: %+v, %v; want nothing", c, err)
	}
}

// Completion reads the serving build as it is now: a word a sync adds is
// offered at once, with no cache to go stale.
func TestCompleteFollowsSyncs(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("Brewing", "zymurgy is the chemistry of brewing")})
	_, ix := openSynced(t, f)
	terms := func() []string {
		t.Helper()
		c, err := ix.Complete(context.Background(), "zym", 5)
		if err != nil {
			t.Fatal(err)
		}
		return c.Terms
	}
	if got := terms(); !reflect.DeepEqual(got, []string{"zymurgy"}) {
		t.Fatalf("before: %v, want [zymurgy]", got)
	}
	f.write("b.md", postText("Yeast", "zymase and zymurgy"))
	f.write("c.md", postText("More yeast", "zymase again"))
	if _, err := ix.syncFiles(context.Background(), f.options(), []string{"b.md", "c.md"}); err != nil {
		t.Fatal(err)
	}
	if got := terms(); !reflect.DeepEqual(got, []string{"zymase", "zymurgy"}) {
		t.Errorf("after two posts with zymase: %v, want [zymase zymurgy]", got)
	}
}

// Arriving from a search for p2p, a reader sees peer-to-peer marked too,
// as a whole, and "peer" alone is not marked.
func TestIndexMatcherMarksSynonyms(t *testing.T) {
	ix := openWithSynonyms(t, testContent(t), []string{"p2p", "peer-to-peer"}, []string{"ipfs", "InterPlanetary File System"})
	tests := []struct {
		query, text string
		want        []string
	}{
		{"p2p", "P2P and Peer-to-Peer, peer review", []string{"P2P", "Peer-to-Peer"}},
		{"peer to peer", "a p2p network", []string{"p2p"}},
		{"IPFS storage", "the InterPlanetary File System stores files; ipfs", []string{"InterPlanetary File System", "ipfs"}},
		{"-p2p filecoin", "p2p filecoin", []string{"filecoin"}},
		{"streaming", "p2p streaming", []string{"streaming"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			m := ix.Matcher(tt.query)
			checkMarks(t, m, tt.text, tt.want)
		})
	}
}

// checkMarks compares the words m marks in text with want.
func checkMarks(t *testing.T, m *Matcher, text string, want []string) {
	t.Helper()
	var got []string
	for _, sp := range m.Spans(text) {
		got = append(got, text[sp[0]:sp[1]])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("matches = %q, want %q", got, want)
	}
}

// A word glued to a link's end in the source ("[on Filecoin](url)for") is
// two words to the reader; completion must not offer the glued one, and a
// search for the linked word must find the post.
func TestCompleteOffersNoWordGluedToALink(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("Hack week", "A panel on [**IPFS and Zebracoin**](https://e.org/zebracoin-for-nfts)for NFT builders.")})
	_, ix := openSynced(t, f)
	c, err := ix.Complete(context.Background(), "zebrac", 5)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Terms, []string{"zebracoin"}) {
		t.Errorf("completions for zebrac = %v, want [zebracoin]", c.Terms)
	}
	res, err := ix.Search(context.Background(), Request{Query: "zebracoin", Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Errorf("search zebracoin: total %d, want 1", res.Total)
	}
}
