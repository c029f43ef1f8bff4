package index

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/schema"
)

// goldenPhrasesAgree checks that the phrase searcher matches the posts
// bleve's multi-phrase query matches, alone and inside a conjunction or
// disjunction (which move it with Advance).
func goldenPhrasesAgree(t *testing.T, ix *Index) {
	stem := func(w string) string {
		toks := ix.an.Analyze([]byte(w))
		if len(toks) != 1 {
			t.Fatalf("%q analyses to %d tokens, want 1", w, len(toks))
		}
		return string(toks[0].Term)
	}
	word := func(w, field string) bq.Query {
		q := bleve.NewTermQuery(stem(w))
		q.SetField(field)
		return q
	}
	tests := []struct {
		name  string
		terms []string
		gaps  []int
		field string
	}{
		{"stop word between", []string{"peer", "peer"}, []int{0, 2}, schema.FieldBody},
		{"adjacent", []string{"content", "addressing"}, []int{0, 1}, schema.FieldBody},
		{"three stems", []string{"distributed", "hash", "table"}, []int{0, 1, 2}, schema.FieldBody},
		{"title", []string{"ipfs", "camp"}, []int{0, 1}, schema.FieldTitle},
		{"common", []string{"ipfs", "node"}, []int{0, 1}, schema.FieldBody},
		{"tags", []string{"ipfs", "camp"}, []int{0, 1}, schema.FieldTagText},
		{"absent stem", []string{"ipfs", "zzzqqq"}, []int{0, 1}, schema.FieldBody},
	}
	for _, tt := range tests {
		a := bm25f.Alt{Gaps: tt.gaps, Weight: 1}
		for _, w := range tt.terms {
			a.Terms = append(a.Terms, stem(w))
		}
		mine, theirs := bm25f.NewPhraseQuery(a, tt.field), bq.NewMultiPhraseQuery(bm25f.PhraseSlots(a), tt.field)
		shapes := []struct {
			name string
			wrap func(bq.Query) bq.Query
		}{
			{"alone", func(q bq.Query) bq.Query { return q }},
			{"and a word", func(q bq.Query) bq.Query { return bleve.NewConjunctionQuery(word("ipfs", schema.FieldBody), q) }},
			{"and a rare word", func(q bq.Query) bq.Query { return bleve.NewConjunctionQuery(q, word("gossipsub", schema.FieldBody)) }},
			{"or a word", func(q bq.Query) bq.Query { return bleve.NewDisjunctionQuery(q, word("bitswap", schema.FieldTitle)) }},
		}
		for _, sh := range shapes {
			t.Run(tt.name+"/"+sh.name, func(t *testing.T) {
				got, want := matchIDs(t, ix, sh.wrap(mine)), matchIDs(t, ix, sh.wrap(theirs))
				if !slices.Equal(got, want) {
					t.Errorf("%v at %v in %s: got %d posts %v, bleve's phrase query matches %d %v", tt.terms, tt.gaps, tt.field, len(got), got, len(want), want)
				}
				if tt.name != "absent stem" && sh.name == "alone" && len(want) == 0 {
					t.Errorf("%v in %s matches nothing; the comparison proves nothing", tt.terms, tt.field)
				}
			})
		}
	}
}

func matchIDs(t *testing.T, ix *Index, q bq.Query) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	req.SortBy([]string{"_id"})
	return requestIDs(t, ix, req)
}

// requestIDs runs req and lists its hits' ids in order.
func requestIDs(t *testing.T, ix *Index, req *bleve.SearchRequest) []string {
	t.Helper()
	res, err := ix.alias.SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}
