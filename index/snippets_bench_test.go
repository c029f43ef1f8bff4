package index

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// BenchmarkSnippetsOfARepeatedWord searches a post that holds one word
// 30,000 times (about 1 MB, built here rather than kept as a fixture),
// with the snippets a results page asks for: the whole search, and the
// snippet builder alone on the same text (index/internal/snippet's
// BenchmarkFragmentsOfARepeatedWord).
//
//	go test ./index -run '^$' -bench SnippetsOfARepeatedWord -benchtime 5x
func BenchmarkSnippetsOfARepeatedWord(b *testing.B) {
	text := repeatedWord("torrent", 30000)
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
}

// repeatedWord is a text holding word n times among other words, as
// index/internal/snippet's tests make it.
func repeatedWord(word string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "lorem ipsum %d ", i)
		b.WriteString(word)
		b.WriteString(" dolor.\n")
	}
	return b.String()
}
