package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shippedContent is the folder of posts the repository ships, which a
// fresh clone serves.
const shippedContent = "../../content"

// shippedPosts counts the posts in content/ by reading the folder, not the
// index: the Markdown files (every one a post; none is a draft), so a test
// that compares it with what the program reports checks the program.
func shippedPosts(tb testing.TB) int {
	tb.Helper()
	return len(shippedFiles(tb))
}

// shippedMentioning counts the shipped posts whose text holds every word
// of phrase in that order, with only spaces and punctuation between them,
// case aside: what a phrase search should find, found without the index.
func shippedMentioning(tb testing.TB, phrase string) int {
	tb.Helper()
	words := strings.Fields(phrase)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	re := regexp.MustCompile(`(?i)\b` + strings.Join(words, `[\s\p{P}]+`) + `\b`)
	n := 0
	for _, b := range shippedFiles(tb) {
		if re.Match(b) {
			n++
		}
	}
	return n
}

func shippedFiles(tb testing.TB) [][]byte {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(shippedContent, "*.md"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no posts in %s (%v)", shippedContent, err)
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
