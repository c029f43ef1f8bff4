package build

import (
	"slices"
	"testing"

	"github.com/blust/archive/index/internal/schema"
)

// The vocabulary's words are every word of the title, body, tags and
// authors as written, lowercased and not stemmed, without stop words.
func TestVocabOfADocument(t *testing.T) {
	m, err := schema.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	d := &document{
		Title:   "Decentralized STORAGE",
		Body:    "Filecoin’s peer-to-peer markets, and the markets of Ünïcode",
		Tags:    []string{"Web3", "content addressing"},
		Authors: []string{"Juan Benet"},
	}
	doc, err := analyzed(m, "x", d)
	if err != nil {
		t.Fatal(err)
	}
	got := vocabOf(doc)
	slices.Sort(got)
	want := []string{"addressing", "benet", "content", "decentralized", "filecoin’s", "juan", "markets", "peer", "storage", "web3", "ünïcode"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
