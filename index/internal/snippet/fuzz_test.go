package snippet

import (
	"context"
	"encoding/binary"
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/snippettest"
)

// FuzzSnippets feeds the snippet builder arbitrary text, fragment sizes
// and matches: every place a word stands in the text, plus spans read
// from raw bytes (anywhere, of any length, overlapping, out of the text).
// It must never panic, and each snippet must be a piece of the text with
// its matches marked: marks balanced, nothing else unescaped, valid UTF-8
// when the text is, no longer than the size and the longest match allow.
// Seeds beyond these live in testdata/fuzz/FuzzSnippets.
//
//	go test ./index/internal/snippet -run '^$' -fuzz '^FuzzSnippets$' -fuzztime 10m -parallel 1
func FuzzSnippets(f *testing.F) {
	f.Add(longRunPost("googleusercontent"), "googleusercontent", []byte{}, uint16(100), uint8(3))
	f.Add("a "+runText("äöü/", 200)+"/match/"+runText("日本/", 200)+" "+runText("€/", 200), "match", []byte{}, uint16(50), uint8(1))
	f.Add("peer to peer and p2p\nnext line peer", "peer", []byte{0, 0, 4, 1, 0, 5, 2, 0, 0, 0}, uint16(10), uint8(5))
	f.Add("short", "", []byte{0, 3, 200, 0, 255, 255, 255, 2}, uint16(0), uint8(2))
	text, _ := manyMatches("torrent", 50)
	f.Add(text, "torrent", []byte{}, uint16(200), uint8(5))
	f.Fuzz(func(t *testing.T, text, word string, raw []byte, size uint16, n uint8) {
		tlm := fuzzLocations(text, word, raw)
		sp := spansOf(tlm)
		longest := 0
		for _, s := range sp {
			longest = max(longest, s.end-s.start)
		}
		want := int(n%maxFragments) + 1
		secs := []schema.Section{{Start: 0}, {Heading: "H", Anchor: "h", Start: len(text) / 2}}
		frags := fragments(context.Background(), text, sp, secs, want, int(size))
		if len(frags) > want {
			t.Fatalf("%d fragments, asked for %d", len(frags), want)
		}
		for _, fr := range frags {
			checkFragment(t, text, fr.HTML)
			plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(fr.HTML))
			if limit := max(int(size), 1) + longest + len("…") + len(" …") + utf8.UTFMax; len(plain) > limit {
				t.Fatalf("fragment of %d bytes for size %d and matches up to %d: %q", len(plain), size, longest, fr.HTML)
			}
		}
		marked := markHTML(text, sp)
		snippettest.CheckMarks(t, marked)
		if got := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(marked)); got != text {
			t.Fatalf("marking changed the text: %q", got)
		}
		if utf8.ValidString(text) && !utf8.ValidString(marked) {
			t.Fatalf("marked text is not valid UTF-8: %q", marked)
		}
	})
}

// fuzzLocations is the location map bleve would give for word's places
// in text (the first thousand), plus raw's spans: five bytes each, a
// start and a length as little-endian uint16s and a term among four.
func fuzzLocations(text, word string, raw []byte) search.TermLocationMap {
	tlm := search.TermLocationMap{}
	if word != "" {
		pos := 1
		for i := 0; pos <= 1000; pos++ {
			j := strings.Index(text[i:], word)
			if j < 0 {
				break
			}
			tlm[word] = append(tlm[word], &search.Location{Start: uint64(i + j), End: uint64(i + j + len(word)), Pos: uint64(pos)})
			i += j + len(word)
		}
	}
	terms := []string{"a", "b", "c", word}
	for k := 0; k+5 <= len(raw); k += 5 {
		start := uint64(binary.LittleEndian.Uint16(raw[k:]))
		end := start + uint64(binary.LittleEndian.Uint16(raw[k+2:]))
		term := terms[int(raw[k+4])%len(terms)]
		tlm[term] = append(tlm[term], &search.Location{Start: start, End: end, Pos: uint64(k/5 + 1)})
	}
	return tlm
}
