package index

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bleveidx "github.com/blevesearch/bleve_index_api"

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
		a := alt{gaps: tt.gaps, weight: 1}
		for _, w := range tt.terms {
			a.terms = append(a.terms, stem(w))
		}
		mine, theirs := newPhraseQuery(a, tt.field), bq.NewMultiPhraseQuery(phraseSlots(a), tt.field)
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

// TestPhraseMatcher checks counting and the recorded spans, with vectors
// in position order (walked) and out of it (looked up in maps).
func TestPhraseMatcher(t *testing.T) {
	vec := func(arr, pos uint64) *bleveidx.TermFieldVector {
		return &bleveidx.TermFieldVector{Pos: pos, Start: pos * 10, End: pos*10 + 5, ArrayPositions: []uint64{arr}}
	}
	on := func(vs ...*bleveidx.TermFieldVector) *posting {
		return &posting{cur: &bleveidx.TermFieldDoc{Vectors: vs}, on: true}
	}
	tests := []struct {
		name      string
		ps        []*posting
		gaps      []int
		wantN     int
		wantSpans [][2]uint64
	}{
		{"adjacent", []*posting{on(vec(0, 1), vec(0, 5), vec(0, 9)), on(vec(0, 2), vec(0, 7), vec(0, 10))}, []int{0, 1}, 2, [][2]uint64{{10, 25}, {90, 105}}},
		{"stop word between", []*posting{on(vec(0, 1), vec(0, 5)), on(vec(0, 3), vec(0, 6))}, []int{0, 2}, 1, [][2]uint64{{10, 35}}},
		{"other array value", []*posting{on(vec(0, 1), vec(1, 4)), on(vec(1, 2), vec(1, 5))}, []int{0, 1}, 1, [][2]uint64{{40, 55}}},
		{"three stems", []*posting{on(vec(0, 1), vec(0, 4)), on(vec(0, 2), vec(0, 5)), on(vec(0, 6))}, []int{0, 1, 2}, 1, [][2]uint64{{40, 65}}},
		{"out of order", []*posting{on(vec(0, 9), vec(0, 1)), on(vec(0, 10), vec(0, 2))}, []int{0, 1}, 2, [][2]uint64{{90, 105}, {10, 25}}},
		{"a stem elsewhere", []*posting{on(vec(0, 1)), {cur: &bleveidx.TermFieldDoc{}, on: false}}, []int{0, 1}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m phraseMatcher
			dm := &search.DocumentMatch{}
			n := m.count(tt.ps, tt.gaps, dm, schema.FieldBody, "label")
			var spans [][2]uint64
			for _, l := range dm.FieldTermLocations {
				spans = append(spans, [2]uint64{l.Location.Start, l.Location.End})
			}
			if n != tt.wantN || !slices.Equal(spans, tt.wantSpans) {
				t.Errorf("count = %d spans %v, want %d spans %v", n, spans, tt.wantN, tt.wantSpans)
			}
			if got := m.has(tt.ps, tt.gaps); got != (tt.wantN > 0) {
				t.Errorf("has = %v, want %v", got, tt.wantN > 0)
			}
		})
	}
}
