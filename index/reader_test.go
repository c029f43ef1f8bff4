package index

import (
	"context"
	"reflect"
	"strings"
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
	if _, err := writerOf(ix).syncFiles(context.Background(), f.options(), []string{"b.md", "c.md"}); err != nil {
		t.Fatal(err)
	}
	if got := terms(); !reflect.DeepEqual(got, []string{"zymase", "zymurgy"}) {
		t.Errorf("after two posts with zymase: %v, want [zymase zymurgy]", got)
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

// Correction looks at words of up to maxTypoLen letters: its cost grows
// with the word, and a longer one is a hash or a paste, not a typo. A
// short typo is still corrected in the same archive.
func TestCorrectionSkipsOverlongWords(t *testing.T) {
	long := strings.Repeat("qwertyuiop", 4) + "zz" // 42 letters
	f := newFolder(t, map[string]string{"a.md": postText("Hashes", "The value "+long+" and the word kaleidoscope.")})
	_, ix := openSynced(t, f)
	typo := long[:20] + "x" + long[21:]
	for _, tt := range []struct {
		q    string
		want bool
	}{{typo, false}, {"kaleidoscpoe", true}} {
		res, err := ix.Search(context.Background(), Request{Query: tt.q, Size: 5})
		if err != nil {
			t.Fatal(err)
		}
		if res.Corrected != tt.want {
			t.Errorf("search %.20s…: corrected %v (suggestion %q), want %v", tt.q, res.Corrected, res.Suggestion, tt.want)
		}
	}
}
