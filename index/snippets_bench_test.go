package index

import (
	"context"
	"testing"
	"testing/fstest"
)

// BenchmarkSnippetsOfARepeatedWord searches a post that holds one word
// 30,000 times (about 1 MB, built here rather than kept as a fixture),
// with the snippets a results page asks for: the whole search, and the
// snippet builder alone on the same text.
//
//	go test ./index -run '^$' -bench SnippetsOfARepeatedWord -benchtime 5x
func BenchmarkSnippetsOfARepeatedWord(b *testing.B) {
	text, sp := manyMatches("torrent", 30000)
	content := fstest.MapFS{
		"repeated.md": {Data: []byte("---\ntitle: One word, many times\ndate: 2022-05-06\n---\n\n" + text)},
		"other.md":    {Data: []byte("---\ntitle: Another post\ndate: 2022-05-07\n---\n\nA torrent of other words.\n")},
	}
	_, ix, _ := buildTestIndex(b, content)
	ctx := context.Background()
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			res, err := ix.Search(ctx, Request{Query: "torrent", Fragments: 3})
			if err != nil || len(res.Hits) != 2 || len(res.Hits[0].Fragments) == 0 {
				b.Fatalf("search: %v %+v", err, res)
			}
		}
	})
	b.Run("fragments", func(b *testing.B) {
		for b.Loop() {
			if got := fragments(ctx, text, sp, nil, 3, DefaultFragSize); len(got) != 3 {
				b.Fatalf("got %d fragments", len(got))
			}
		}
	})
}
