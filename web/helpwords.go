package web

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/blust/archive/index"
)

// helpWords are the words the help page's examples use. They come from
// the archive itself (its most used one-word tags, an author, its years),
// so every example finds something and the page never names a topic the
// archive does not have.
type helpWords struct {
	A, B, C     string // three different words
	Author      string
	First, Last int // the years of the oldest and newest posts
	MiddleYear  int
}

// fallbackWords fill in for an archive with too few one-word tags.
var fallbackWords = []string{"release", "update", "guide"}

func defaultHelpWords() helpWords {
	return helpWords{A: fallbackWords[0], B: fallbackWords[1], C: fallbackWords[2], Author: "Ada Lovelace", First: 2018, Last: 2020, MiddleYear: 2019}
}

// oneWord is a tag that reads as a plain word in a query.
var oneWord = regexp.MustCompile(`^[a-z][a-z0-9]{2,24}$`)

// helpWordsOf picks the examples' words from the index's facets; on any
// error the neutral defaults do.
func helpWordsOf(ctx context.Context, ix *index.Index) helpWords {
	w := defaultHelpWords()
	res, err := ix.Search(ctx, index.Request{Size: 0, Facets: []string{index.FacetTags, index.FacetAuthors, index.FacetYear}, FacetSize: 50})
	if err != nil {
		return w
	}
	var words []string
	for _, t := range res.Facets[index.FacetTags] {
		if oneWord.MatchString(t.Value) && len(words) < 3 {
			words = append(words, t.Value)
		}
	}
	for _, f := range fallbackWords {
		if len(words) < 3 && !contains(words, f) {
			words = append(words, f)
		}
	}
	w.A, w.B, w.C = words[0], words[1], words[2]
	for _, a := range res.Facets[index.FacetAuthors] {
		if a.Value != "" && !strings.ContainsAny(a.Value, `"\()`) && len(a.Value) <= 60 {
			w.Author = a.Value
			break
		}
	}
	var years []int
	for _, y := range res.Facets[index.FacetYear] {
		if n, err := strconv.Atoi(y.Value); err == nil {
			years = append(years, n)
		}
	}
	if len(years) > 0 {
		sort.Ints(years)
		w.First, w.Last = years[0], years[len(years)-1]
		w.MiddleYear = years[len(years)/2]
	}
	return w
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// prefix is how much of a word the completion example types.
func prefix(word string) string {
	if len(word) <= 4 {
		return word
	}
	return word[:len(word)-2]
}
