package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzCursor feeds the search both raw cursor strings and well-signed
// cursors with forged contents (sort values, counts) for each order. A
// cursor is client input: whatever it holds, the search must either run
// or fail with a RequestError on "cursor", never panic or fail inside
// bleve (which the web layer would show as a 500). Seeds beyond these
// live in testdata/fuzz/FuzzCursor.
func FuzzCursor(f *testing.F) {
	_, ix, _ := buildTestIndex(f, tiedContent(40))
	ctx := context.Background()
	first, err := ix.Search(ctx, Request{Query: "p2p", Size: 3})
	if err != nil || first.NextCursor == "" {
		f.Fatalf("first page: %v %+v", err, first)
	}
	f.Add(first.NextCursor, "", "", "", 0, uint8(0))
	f.Add("", "1.5", "2020-01-01T00:00:00Z", "post-001", 3, uint8(0))
	f.Add("", "2020-01-01T00:00:00Z", "zzz", "", 7, uint8(1))
	f.Add("", "NaN", "+Inf", "", -1, uint8(2))
	f.Add("e30", "", "", "", 0, uint8(0))
	sorts := []Sort{SortRelevance, SortNewest, SortOldest}
	// The signature of each order, read from a real cursor: forged
	// cursors carry it so that they reach the sort values.
	sigs := map[Sort]string{}
	for _, so := range sorts {
		page, err := ix.Search(ctx, Request{Query: "p2p", Size: 3, Sort: so})
		if err != nil || page.NextCursor == "" {
			f.Fatalf("first page by %s: %v", so, err)
		}
		var c cursor
		b, _ := base64.RawURLEncoding.DecodeString(page.NextCursor)
		if err := json.Unmarshal(b, &c); err != nil {
			f.Fatal(err)
		}
		sigs[so] = c.Sig
	}
	f.Fuzz(func(t *testing.T, raw, a0, a1, a2 string, seen int, which uint8) {
		r := Request{Query: "p2p", Size: 3, Sort: sorts[int(which)%len(sorts)]}
		if raw == "" {
			after := []string{a0, a1, a2}[:len(sortOrder(r.Sort))]
			raw = cursor{V: cursorVersion, Build: ix.buildID(), Sig: sigs[r.Sort], After: after, Seen: seen}.encode()
		}
		r.Cursor = raw
		res, err := ix.Search(ctx, r)
		if err != nil {
			var re *RequestError
			if !errors.As(err, &re) || re.Param != "cursor" {
				t.Fatalf("cursor %q: error %v, want a RequestError on cursor", raw, err)
			}
			return
		}
		if len(res.Hits) > r.Size {
			t.Fatalf("%d hits for a page of %d", len(res.Hits), r.Size)
		}
	})
}
