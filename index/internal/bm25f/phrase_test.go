package bm25f

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/schema"
)

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
