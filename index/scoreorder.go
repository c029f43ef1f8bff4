package index

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// Relevance order without its tie-breakers.
//
// The relevance order is score, then newest, then slug, so that ties fall
// the same way on every page. Asking bleve for that order is expensive: its
// collector must then load the date doc value and the external id (a
// stored-field read) of every matching post, not just of the page's —
// about a third of the CPU of a search for a common word. Ties are rare
// once there is query text, so the first page of a relevance search asks
// bleve for score order alone, one hit more than the page, and breaks the
// ties itself. If the page's last hit ties with the next one, which post
// belongs on the page depends on the tie-breakers, and the search is run
// again in the full order. Either way the page, and the cursor made from
// it, are exactly what the full order gives.

// scoreOnlyOK says whether r may take the score-only path: the first page
// of a relevance search with query text. Without text every post scores
// the same and the tie-breakers decide everything.
func scoreOnlyOK(r Request) bool {
	return r.Cursor == "" && r.Offset == 0 && r.Size > 0 && (r.Sort == "" || r.Sort == SortRelevance) &&
		strings.TrimSpace(r.Query) != ""
}

var scoreOrder = search.SortOrder{&search.SortScore{Desc: true}}

// settleScoreOnly turns the hits of a score-only search for size+1 hits
// into the page the full relevance order gives. It reports false when the
// boundary of the page is a tie, and the full order must decide.
func settleScoreOnly(hits search.DocumentMatchCollection, size int) (search.DocumentMatchCollection, bool) {
	if len(hits) > size {
		if hits[size-1].Score == hits[size].Score {
			return nil, false
		}
		hits = hits[:size]
	}
	dates := make(map[*search.DocumentMatch]time.Time, len(hits))
	for _, h := range hits {
		d, _ := time.Parse(time.RFC3339Nano, str(h.Fields[fieldDate]))
		dates[h] = d
		// afterValues reads the date's search_after value from here, in the
		// form bleve's typed date sort decodes to.
		h.DecodedSort = []string{strconv.FormatFloat(h.Score, 'g', -1, 64), d.UTC().Format(time.RFC3339Nano), h.ID}
	}
	slices.SortStableFunc(hits, func(a, b *search.DocumentMatch) int {
		switch {
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case !dates[a].Equal(dates[b]):
			if dates[a].After(dates[b]) {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return hits, true
}
