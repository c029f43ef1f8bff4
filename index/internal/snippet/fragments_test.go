package snippet

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/schema"
)

// spansFor finds every occurrence of the given words, numbering positions
// as a tokenizer would, so tests can state matches in plain text.
func spansFor(tb testing.TB, text string, words ...string) []span {
	tb.Helper()
	var out []span
	pos := 0
	i := 0
	for i < len(text) {
		for i < len(text) && text[i] == ' ' {
			i++
		}
		j := i
		for j < len(text) && text[j] != ' ' {
			j++
		}
		if j > i {
			pos++
			word := strings.Trim(text[i:j], ".,;:!?\"“”")
			off := strings.Index(text[i:j], word)
			for _, w := range words {
				if word == w {
					out = append(out, span{start: i + off, end: i + off + len(word), pos: pos, term: strings.ToLower(w)})
				}
			}
		}
		i = j
	}
	return out
}

func TestMarkHTML(t *testing.T) {
	phrase := func(text, p string) []span {
		i := strings.Index(text, p)
		return []span{{start: i, end: i + len(p), pos: 1, term: p}}
	}
	tests := []struct {
		name, text string
		spans      []span
		want       string
	}{
		{"plain", "p2p is the future", spansFor(t, "p2p is the future", "p2p"), "<mark>p2p</mark> is the future"},
		{"escapes around and inside", `<script>alert("p2p")</script>`, nil, `&lt;script&gt;alert(&#34;p2p&#34;)&lt;/script&gt;`},
		{"phrase as one unit", "Tron buying BitTorrent today", phrase("Tron buying BitTorrent today", "Tron buying BitTorrent"), "<mark>Tron buying BitTorrent</mark> today"},
		{"neighbouring words stay apart", "Tron buying BitTorrent today", spansFor(t, "Tron buying BitTorrent today", "Tron", "buying", "BitTorrent"),
			"<mark>Tron</mark> <mark>buying</mark> <mark>BitTorrent</mark> today"},
		{"a stop word between matches is not marked", "P2P is peer to peer", append(spansFor(t, "P2P is peer to peer", "P2P"), span{start: 7, end: 19, pos: 3, term: "peer to peer"}),
			"<mark>P2P</mark> is <mark>peer to peer</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markHTML(tt.text, tt.spans)
			if got != tt.want {
				t.Errorf("markHTML(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFragments(t *testing.T) {
	lead := strings.Repeat("lorem ipsum dolor sit amet ", 20)
	text := "Intro\n" + lead + "filecoin storage deal\nMarkets\n" + lead + "filecoin and ipfs together at last\n"
	secs := []schema.Section{{Start: 0}, {Heading: "Markets", Anchor: "markets", Start: strings.Index(text, "Markets")}}
	sp := spansFor(t, strings.ReplaceAll(text, "\n", " "), "filecoin", "ipfs")

	got := fragments(context.Background(), text, sp, secs, 3, 120)
	if len(got) != 2 {
		t.Fatalf("got %d fragments, want 2: %+v", len(got), got)
	}
	if !strings.Contains(got[0].HTML, "<mark>filecoin</mark> and <mark>ipfs</mark>") {
		t.Errorf("best fragment should show both terms; got %q", got[0].HTML)
	}
	if got[0].Heading != "Markets" || got[0].Anchor != "markets" {
		t.Errorf("best fragment heading = %q#%q, want Markets#markets", got[0].Heading, got[0].Anchor)
	}
	if got[1].Heading != "" || !strings.Contains(got[1].HTML, "<mark>filecoin</mark> storage") {
		t.Errorf("second fragment = %+v, want the lead's filecoin", got[1])
	}
	for _, f := range got {
		if len(f.HTML) > 120+60 {
			t.Errorf("fragment too long (%d bytes): %q", len(f.HTML), f.HTML)
		}
		if strings.Contains(f.HTML, "\n") {
			t.Errorf("fragment keeps a newline: %q", f.HTML)
		}
	}
	if got := fragments(context.Background(), text, nil, secs, 3, 120); got != nil {
		t.Errorf("no spans should give no fragments, got %+v", got)
	}
}

func TestSectionAt(t *testing.T) {
	secs := []schema.Section{{Start: 0}, {Heading: "A", Anchor: "a", Start: 10}, {Heading: "B", Anchor: "b", Start: 20}}
	for _, tt := range []struct {
		off  int
		want string
	}{{0, ""}, {9, ""}, {10, "A"}, {19, "A"}, {25, "B"}} {
		if got, _ := sectionAt(secs, tt.off); got != tt.want {
			t.Errorf("sectionAt(%d) = %q, want %q", tt.off, got, tt.want)
		}
	}
}

// A phrase and its first word start at the same place; the phrase is
// kept, whatever order the location map gives them in.
func TestSpansPreferTheLongestAtOnePlace(t *testing.T) {
	tlm := search.TermLocationMap{
		"peer":           {{Start: 4, End: 8, Pos: 2}, {Start: 30, End: 34, Pos: 8}},
		"peer to peer":   {{Start: 4, End: 16, Pos: 2}},
		"zz-tie-breaker": {{Start: 4, End: 8, Pos: 2}},
	}
	for range 50 { // map order varies between runs of the loop
		got := spansOf(tlm)
		if len(got) != 2 || got[0].term != "peer to peer" || got[0].end != 16 || got[1].start != 30 {
			t.Fatalf("spans = %+v, want the phrase at 4–16, then the word at 30", got)
		}
	}
}

// plainOf is a snippet's text without marks, ellipses or entities.
func plainOf(h string) string {
	return html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "", "…", "").Replace(h))
}

// Snippets of one hit never show the same text twice, and every match in
// a snippet is marked, whatever the snippet size.
func TestFragmentsNeverOverlapAndMarkEveryMatch(t *testing.T) {
	var b strings.Builder
	for i := range 12 {
		if i%2 == 0 {
			fmt.Fprintf(&b, "Line%d says p2p now%d. ", i, i)
		} else {
			fmt.Fprintf(&b, "Here%d a peer-to-peer link%d. ", i, i)
		}
	}
	text := b.String()
	sp := spansFor(t, text, "p2p", "peer-to-peer")
	for _, size := range []int{60, 90, 120, 200, 300} {
		got := fragments(context.Background(), text, sp, nil, 5, size)
		if len(got) == 0 {
			t.Fatalf("size %d: no fragments", size)
		}
		sentences := map[string]int{}
		for i, f := range got {
			plain := plainOf(f.HTML)
			for _, w := range []string{"p2p ", "peer-to-peer"} {
				if n, m := strings.Count(plain, strings.TrimSpace(w)), strings.Count(f.HTML, "<mark>"+strings.TrimSpace(w)+"</mark>"); n != m {
					t.Errorf("size %d fragment %d: %d of %d %q marked: %q", size, i, m, n, w, f.HTML)
				}
			}
			for _, s := range strings.Split(plain, ". ") {
				if s = strings.TrimSpace(s); len(s) > 12 {
					if prev, ok := sentences[s]; ok {
						t.Errorf("size %d: %q in fragments %d and %d", size, s, prev, i)
					}
					sentences[s] = i
				}
			}
		}
	}
}

// A snippet under a heading does not open with the heading's words: the
// heading is its label. A match on the heading keeps it in the text.
func TestFragmentsStartAfterTheirHeading(t *testing.T) {
	text := "Lead text here.\nRouting tables\np2p nodes each keep a routing table of peers.\nStorage p2p\nBlocks are stored on p2p nodes.\n"
	secs := []schema.Section{{Start: 0}, {Heading: "Routing tables", Anchor: "routing-tables", Start: strings.Index(text, "Routing tables")},
		{Heading: "Storage p2p", Anchor: "storage-p2p", Start: strings.Index(text, "Storage p2p")}}
	sp := spansFor(t, strings.ReplaceAll(text, "\n", " "), "p2p")
	got := fragments(context.Background(), text, sp, secs, 3, 40)
	byHeading := map[string]string{}
	for _, f := range got {
		byHeading[f.Heading] += f.HTML
	}
	if h := byHeading["Routing tables"]; !strings.HasPrefix(h, "<mark>p2p</mark> nodes each keep") {
		t.Errorf("fragment under Routing tables = %q, want it to start after the heading", h)
	}
	if h := byHeading["Storage p2p"]; !strings.Contains(h, "Storage <mark>p2p</mark>") {
		t.Errorf("fragment under Storage p2p = %q, want the heading's match kept and marked", h)
	}
}
