package web

import (
	"net/url"

	"github.com/blust/archive/index"
)

// didYouMean is the index's spelling correction of a search, drawn from
// the archive's own vocabulary. When Corrected, the results shown are
// already for Text, and OriginalURL runs what was typed, as typed
// (correct=false); otherwise URL offers to run Text.
type didYouMean struct {
	Text, URL             string
	Corrected             bool
	Original, OriginalURL string
}

// suggestionFor turns the index's suggestion for a search into links that
// keep the same filters; nil when there is none.
func suggestionFor(v url.Values, res *index.Result) *didYouMean {
	text := res.Suggestion
	if text == "" || text == v.Get("q") {
		return nil
	}
	d := &didYouMean{Text: text, URL: withSet(v, "q", text, "correct", ""), Corrected: res.Corrected, Original: v.Get("q")}
	if res.Corrected {
		d.OriginalURL = withSet(v, "correct", "false")
	}
	return d
}
