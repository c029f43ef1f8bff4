package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
)

// BenchmarkArticleHighlight serves an article page with and without a
// search's matches marked: the seed post (4 KB) and a long post of about
// 100 KB written here.
//
//	go test ./web -run '^$' -bench BenchmarkArticleHighlight -benchmem
func BenchmarkArticleHighlight(b *testing.B) {
	content := testContent(b)
	var long strings.Builder
	long.WriteString("---\ntitle: A long post\ndate: 2020-02-02\n---\n\n")
	for i := range 400 {
		fmt.Fprintf(&long, "## Part %d\n\nPeer-to-peer streaming of blocks on a blockchain, paragraph %d: Filecoin miners store files, "+
			"and content *addressing* names them; peers gossip while a P2P network streams video.\n\n", i, i)
	}
	content["long.md"] = &fstest.MapFile{Data: []byte(long.String())}
	s, _ := newServerWith(b, content, nil)
	for _, slug := range []string{seedSlug, "long"} {
		for _, q := range []string{"", "p2p", "filec", "blockchian", `"peer to peer" streaming`} {
			target := "/posts/" + slug
			if q != "" {
				target += "?highlight=" + url.QueryEscape(q)
			}
			b.Run(slug+"/"+q, func(b *testing.B) {
				for b.Loop() {
					if rec := do(b, s, http.MethodGet, target, nil); rec.Code != http.StatusOK {
						b.Fatal(rec.Code)
					}
				}
			})
		}
	}
}
