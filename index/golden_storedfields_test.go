package index

import (
	"context"
	"fmt"
	"testing"
)

// goldenStoredFields checks that the fields read from the snapshot for a
// page with snippets are the ones bleve loads for the same page without.
func goldenStoredFields(t *testing.T, ix *Index) {
	several := 0
	for _, q := range []string{"bitswap", "gateway outage", "node", `"content routing"`, "libp2p"} {
		t.Run(q, func(t *testing.T) {
			own, err := ix.Search(context.Background(), Request{Query: q, Size: 20, Fragments: 1})
			if err != nil {
				t.Fatal(err)
			}
			bleves, err := ix.Search(context.Background(), Request{Query: q, Size: 20})
			if err != nil {
				t.Fatal(err)
			}
			if len(own.Hits) == 0 || len(own.Hits) != len(bleves.Hits) {
				t.Fatalf("got %d hits with snippets, %d without", len(own.Hits), len(bleves.Hits))
			}
			for i, h := range own.Hits {
				if len(h.Fragments) == 0 {
					t.Errorf("%s: no snippet: the body was not read", h.Slug)
				}
				h.Fragments, h.TitleHTML = nil, ""
				b := bleves.Hits[i]
				b.TitleHTML = ""
				if got, want := fmt.Sprintf("%+v", h), fmt.Sprintf("%+v", b); got != want {
					t.Errorf("hit %d:\\n read here: %s\\n by bleve:  %s", i, got, want)
				}
				if h.Date.IsZero() || h.Title == "" || h.Words == 0 {
					t.Errorf("%s: date, title or word count missing: %+v", h.Slug, h)
				}
				if len(h.Authors) > 0 && len(h.Tags) > 1 {
					several++
				}
			}
		})
	}
	if several == 0 {
		t.Error("no hit with authors and several tags: the lists were never compared")
	}
}
