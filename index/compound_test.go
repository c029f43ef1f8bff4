package index

import (
	"slices"
	"testing"
	"testing/fstest"
)

// TestSplitWordsReadAsPhrases: a word the analyzer splits, typed without
// quotes (peer-to-peer, content-addressed), finds the posts that use it,
// not every post that uses one of its parts; written as one word
// (e-mail as email) it is found too; and a synonym it spells out still
// wins. The last word of the box is completed as it is typed: a split
// word whose last part is not yet a word is completed inside the phrase.
func TestSplitWordsReadAsPhrases(t *testing.T) {
	content := fstest.MapFS{
		"phrase.md":  postMD("Networks", "Peer-to-peer networks need no servers."),
		"spaced.md":  postMD("Spaced", "A peer to peer design, written with spaces."),
		"parts.md":   postMD("Peers", "Each peer in the network keeps a list of peers and a peerID for each."),
		"email.md":   postMD("Mail", "Send us an email when you can."),
		"cid.md":     postMD("Addressing", "Content addressing explained: content-addressed blocks."),
		"content.md": postMD("Content", "Content is king, and servers have addresses."),
		"kubo.md":    postMD("Release", "The go-ipfs daemon was renamed."),
		"chain.md":   postMD("Chains", "Data kept on-chain and in chains of blocks."),
		"link.md":    postMD("Oracles", "Chainlink brings data to contracts."),
	}
	_, ix, _ := buildTestIndex(t, content) // no synonyms
	tests := []struct {
		q    string
		want []string // every hit, in any order
	}{
		{"peer-to-peer", []string{"phrase", "spaced"}},
		{"Peer-To-Peer networks", []string{"phrase", "spaced", "parts"}}, // networks may stand alone
		{"content-addressed", []string{"cid"}},
		{"e-mail", []string{"email"}},
		{"go-ipfs", []string{"kubo"}},
		{"go-ipf", []string{"kubo"}}, // being typed: completed inside the phrase
		{"on-chain", []string{"chain"}},
	}
	for _, tt := range tests {
		res := mustSearch(t, ix, Request{Query: tt.q})
		got := slugs(res.Hits)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: hits %v, want %v", tt.q, got, want)
		}
	}
	// The phrase is ranked above the post that merely has its parts.
	res := mustSearch(t, ix, Request{Query: "Peer-To-Peer networks"})
	if len(res.Hits) < 3 || res.Hits[len(res.Hits)-1].Slug != "parts" {
		t.Errorf("peer-to-peer networks: %v, want parts last", slugs(res.Hits))
	}
	// With p2p as its synonym, the split word finds p2p too.
	content["p2p.md"] = postMD("P2P", "A p2p overlay.")
	syn := openWithSynonyms(t, content, []string{"p2p", "peer-to-peer"})
	if got := slugs(mustSearch(t, syn, Request{Query: "peer-to-peer"}).Hits); !slices.Contains(got, "p2p") || slices.Contains(got, "parts") {
		t.Errorf("peer-to-peer with the synonym p2p: %v, want p2p and not parts", got)
	}
}
