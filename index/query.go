package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// titleBoost weighs a match in the title above one in the body.
const titleBoost = 2.0

// textQuery reads the reader's text: "quoted phrases" must match, other
// words are alternatives whose matches add up, so posts with more of the
// words rank higher. An empty query matches every post.
func textQuery(text string) query.Query {
	words, phrases := splitQuery(text)
	if len(words) == 0 && len(phrases) == 0 {
		return bleve.NewMatchAllQuery()
	}
	bq := bleve.NewBooleanQuery()
	for _, p := range phrases {
		bq.AddMust(anyField(p, true))
	}
	if len(words) > 0 {
		bq.AddShould(anyField(strings.Join(words, " "), false))
	}
	return bq
}

// anyField matches text in the title (boosted), the body, the tags and
// the authors.
func anyField(text string, phrase bool) query.Query {
	var qs []query.Query
	for _, f := range []struct {
		name  string
		boost float64
	}{{fieldTitle, titleBoost}, {fieldBody, 1}, {fieldTagText, 1}, {fieldAuthorText, 1}} {
		var q interface {
			query.FieldableQuery
			query.BoostableQuery
		}
		if phrase {
			q = bleve.NewMatchPhraseQuery(text)
		} else {
			q = bleve.NewMatchQuery(text)
		}
		q.SetField(f.name)
		q.SetBoost(f.boost)
		qs = append(qs, q)
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// splitQuery separates "quoted phrases" from bare words. An unclosed quote
// runs to the end of the text.
func splitQuery(text string) (words, phrases []string) {
	for i, part := range strings.Split(text, `"`) {
		if i%2 == 1 {
			if p := strings.TrimSpace(part); p != "" {
				phrases = append(phrases, p)
			}
			continue
		}
		words = append(words, strings.Fields(part)...)
	}
	return words, phrases
}
