package bm25f

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/schema"
)

func match(id string, score float64, date string) *search.DocumentMatch {
	return &search.DocumentMatch{ID: id, Score: score, Fields: map[string]interface{}{schema.FieldDate: date}}
}

func ids(hits search.DocumentMatchCollection) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSettleScoreOnly(t *testing.T) {
	tests := []struct {
		name   string
		hits   search.DocumentMatchCollection // in score order, as bleve returns them
		size   int
		asked  int
		want   []string
		wantOK bool
	}{
		{"ties inside the page fall newest first, then by slug",
			search.DocumentMatchCollection{
				match("d", 3, "2000-01-01T00:00:00Z"), match("b", 2, "2020-01-01T00:00:00Z"), match("a", 2, "2020-01-01T00:00:00Z"),
				match("c", 2, "2021-01-01T00:00:00Z"), match("e", 1, "2022-01-01T00:00:00Z"),
			}, 4, 5, []string{"d", "c", "a", "b"}, true},
		{"a tie across the page's edge, with no room to see its end",
			search.DocumentMatchCollection{match("a", 3, "2020-01-01T00:00:00Z"), match("b", 2, "2020-01-01T00:00:00Z"), match("c", 2, "2021-01-01T00:00:00Z")},
			2, 3, nil, false},
		{"a tie across the page's edge that ends within the hits asked",
			search.DocumentMatchCollection{
				match("a", 3, "2020-01-01T00:00:00Z"), match("b", 2, "2020-01-01T00:00:00Z"),
				match("c", 2, "2021-01-01T00:00:00Z"), match("d", 2, "2019-01-01T00:00:00Z"), match("e", 1, "2023-01-01T00:00:00Z"),
			}, 2, 10, []string{"a", "c"}, true},
		{"the tie ends with the matches",
			search.DocumentMatchCollection{match("a", 3, "2020-01-01T00:00:00Z"), match("b", 2, "2020-01-01T00:00:00Z"), match("c", 2, "2021-01-01T00:00:00Z")},
			2, 10, []string{"a", "c"}, true},
		{"fewer hits than the page",
			search.DocumentMatchCollection{match("b", 5, "2020-01-01T00:00:00Z"), match("a", 1, "2020-01-01T00:00:00Z")},
			10, 11, []string{"b", "a"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, ok := ScoreOnlyPage(tc.hits, tc.size, tc.asked)
			var got []string
			if ok {
				got = ids(SettleScoreOnly(page, tc.size))
			}
			if ok != tc.wantOK || !slices.Equal(got, tc.want) {
				t.Errorf("page = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
