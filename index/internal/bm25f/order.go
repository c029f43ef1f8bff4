package bm25f

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/schema"
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
// belongs on the page depends on the tie-breakers: the search asks again,
// for tieRoom hits more, and sorts the tied posts itself; only if those
// too end in the tie does it run in the full order. Either way the page,
// and the cursor made from it, are exactly what the full order gives.

var ScoreOrder = search.SortOrder{&search.SortScore{Desc: true}}

// TieRoom is how many hits past the page a score-only search asks for
// once a tie stood at the page's edge: room for the whole tie, usually.
const TieRoom = 64

// ScoreOnlyPage takes, from the hits of a score-only search that asked
// for asked hits, the page's candidates: the first size hits and any
// tied with the last of them. It reports false when the tie may go on
// past what was asked, and the search must ask for more.
func ScoreOnlyPage(hits search.DocumentMatchCollection, size, asked int) (search.DocumentMatchCollection, bool) {
	if len(hits) <= size {
		return hits, true
	}
	edge := hits[size-1].Score
	if len(hits) >= asked && hits[len(hits)-1].Score == edge {
		return nil, false
	}
	end := size
	for end < len(hits) && hits[end].Score == edge {
		end++
	}
	return hits[:end], true
}

// SettleScoreOnly orders a score-only page's candidates (scoreOnlyPage)
// as the full relevance order does and keeps the first size.
func SettleScoreOnly(hits search.DocumentMatchCollection, size int) search.DocumentMatchCollection {
	dates := make(map[*search.DocumentMatch]time.Time, len(hits))
	for _, h := range hits {
		date, _ := h.Fields[schema.FieldDate].(string)
		d, _ := time.Parse(time.RFC3339Nano, date)
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
	return hits[:min(size, len(hits))]
}
