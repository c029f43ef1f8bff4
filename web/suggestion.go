package web

import (
	"net/url"

	"github.com/blust/archive/index"
)

// didYouMean offers a better-spelled query with a link that runs it with
// the same filters.
type didYouMean struct {
	Text, URL string
}

// suggestionFor turns the index's spelling suggestion for a search into a
// link; nil when there is none.
func suggestionFor(v url.Values, res *index.Result) *didYouMean {
	text := spellingSuggestion(res)
	if text == "" || text == v.Get("q") {
		return nil
	}
	return &didYouMean{Text: text, URL: withSet(v, "q", text)}
}

// spellingSuggestion is where the search-quality work's suggestion (built
// from the archive's own vocabulary) plugs in; until the index offers one,
// no search has a suggestion.
func spellingSuggestion(res *index.Result) string {
	_ = res
	return ""
}
