package index

import (
	"context"
	"errors"
	"testing"

	"github.com/blust/archive/internal/qlang"
)

// FuzzSearchQuery runs arbitrary query text through the whole path a
// request takes (parse in each mode, translate to bleve, search with the
// limits) on a small real index. Every outcome must be hits or a
// RequestError naming "q" (a LimitError is one), never a panic or an
// error the web layer would answer with a 500. Seeds beyond these live in
// testdata/fuzz/FuzzSearchQuery.
func FuzzSearchQuery(f *testing.F) {
	_, ix, _ := buildTestIndex(f, testContent(f))
	for _, s := range []string{"p2p", `"peer to peer" -bitcoin`, "(filecoin OR ipfs) AND NOT libp2p", "title:markets date:2018..2021",
		"tag:filecoin author:\"grace hopper\"", "filec", "blockchian", "a*", "/.*/", "x~2", "((((", "date:>=2020-01-01 p2p", "NOT"} {
		f.Add(s, uint8(0))
	}
	modes := []qlang.Mode{qlang.ModeAuto, qlang.ModeAdvanced, qlang.ModePlain}
	f.Fuzz(func(t *testing.T, text string, m uint8) {
		r := Request{Query: text, Mode: modes[int(m)%len(modes)], Size: 5, Fragments: 2}
		res, err := ix.Search(context.Background(), r)
		if err != nil {
			var re *RequestError
			var qe *qlang.Error // a malformed query: the web layer's 400 with the position
			if !errors.As(err, &qe) && (!errors.As(err, &re) || (re.Param != "q" && re.Param != "mode")) {
				t.Fatalf("Search(%q, %s): %v, want hits or a RequestError on q", text, r.Mode, err)
			}
			return
		}
		if uint64(len(res.Hits)) > res.Total || len(res.Hits) > r.Size {
			t.Fatalf("Search(%q): %d hits of total %d", text, len(res.Hits), res.Total)
		}
	})
}
