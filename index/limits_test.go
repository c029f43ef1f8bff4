package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/schema"
)

// manyTermsContent is one post whose body holds n distinct words, so a
// wildcard over the body has n terms to expand to.
func manyTermsContent(n int) fstest.MapFS {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "zq%05dx ", i)
	}
	return fstest.MapFS{"many.md": {Data: []byte("---\ntitle: Many words\ndate: 2020-01-01\n---\n\n" + b.String() + "\n")}}
}

func TestLimitsNameTheLimit(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	tooMany := strings.Repeat("word ", MaxQueryTerms+1)
	for _, tt := range []struct {
		name         string
		req          Request
		limit, param string
	}{
		{"too many words", Request{Query: tooMany}, LimitTerms, "q"},
		{"words inside phrases count", Request{Query: `"` + tooMany + `"`}, LimitTerms, "q"},
		{"per_page", Request{Size: MaxPerPage + 1}, LimitPerPage, "per_page"},
		{"deep paging", Request{Offset: MaxWindow, Size: 10}, LimitDeepPaging, "page"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), tt.req)
			var le *LimitError
			if !errors.As(err, &le) || le.Limit != tt.limit || le.Param != tt.param {
				t.Fatalf("error = %v, want a LimitError %s on %s", err, tt.limit, tt.param)
			}
			var re *RequestError
			if !errors.As(err, &re) || re.Param != tt.param {
				t.Errorf("a LimitError must also read as a RequestError on %s; got %v", tt.param, err)
			}
		})
	}
	if _, err := ix.Search(context.Background(), Request{Query: strings.Repeat("word ", MaxQueryTerms)}); err != nil {
		t.Errorf("exactly %d words: %v, want it accepted", MaxQueryTerms, err)
	}
}

// TestExpansionIsBounded runs the query shapes bleve expands over the
// term dictionary with the limits the index applies to every search, and
// checks each is refused quickly as an expansion LimitError instead of
// running across the whole dictionary.
func TestExpansionIsBounded(t *testing.T) {
	_, ix, _ := buildTestIndex(t, manyTermsContent(MaxExpansion+500))
	wild := bleve.NewWildcardQuery("zq*")
	wild.SetField(schema.FieldBody)
	re := bleve.NewRegexpQuery("zq.*")
	re.SetField(schema.FieldBody)
	prefix := bleve.NewPrefixQuery("zq")
	prefix.SetField(schema.FieldBody)
	small := bleve.NewPrefixQuery("zq0000")
	small.SetField(schema.FieldBody)
	for _, tt := range []struct {
		name    string
		q       bq.Query
		refused bool
	}{
		{"wildcard", wild, true},
		{"regexp", re, true},
		{"prefix", prefix, true},
		{"narrow prefix", small, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := bleve.NewSearchRequest(tt.q)
			_, err := ix.alias.SearchInContext(withTermLimit(context.Background()), req)
			err = expansionError(err)
			var le *LimitError
			if got := errors.As(err, &le) && le.Limit == LimitExpansion; got != tt.refused {
				t.Errorf("refused as expansion = %v (error %v), want %v", got, err, tt.refused)
			}
		})
	}
}

// Dates bleve cannot store (before 1677, after 2262) are valid bounds for a
// reader: they select what the nearest storable date would, never an error.
func TestDateBoundsBeyondBleveRange(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	all, err := ix.Search(context.Background(), Request{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		r        Request
		wantZero bool
	}{
		{"from 1200, to 3000", Request{From: time.Date(1200, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, false},
		{"query date:>1000", Request{Query: "date:>1000"}, false},
		{"from 2500", Request{From: time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC)}, true},
		{"to 1500", Request{To: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.Size = 1
			res, err := ix.Search(context.Background(), tt.r)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			if want := map[bool]uint64{false: all.Total, true: 0}[tt.wantZero]; res.Total != want {
				t.Errorf("total = %d, want %d", res.Total, want)
			}
		})
	}
}
