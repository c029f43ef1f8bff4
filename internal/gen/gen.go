// Package gen writes a deterministic synthetic blog archive for
// benchmarks: N Markdown posts with YAML front matter, 800–2,000-word
// bodies drawn from a Zipf-ranked vocabulary, headings, lists, quotes,
// fenced code, links, non-ASCII words and the archive's topic vocabulary
// (p2p, peer-to-peer, IPFS, Filecoin …).
//
// The vocabulary is the one of the reference generator of the design
// brief's performance kit (gen_corpus.py), word for word and rank for rank, so the
// shared query set (Queries) hits common, rare and missing words as it was
// written to. The posts themselves are drawn by this package's own random
// stream: post i depends only on (seed, i), so the first 10,000 posts of a
// 100,000-post corpus are the 10,000-post corpus.
package gen

import "math/rand/v2"

// DefaultSeed is the seed of the reference corpus.
const DefaultSeed = 42

// Version changes whenever the generator's output changes, so cached
// corpora of an older version are regenerated.
const Version = 1

// Generator draws posts. Building one takes about half a second (the
// vocabulary); Post is then safe for concurrent use.
type Generator struct {
	seed int64
	v    *vocab
}

// New builds the generator for seed.
func New(seed int64) *Generator {
	return &Generator{seed: seed, v: buildVocab(seed)}
}

// Post returns post i (counting from 0): its slug, which is also its file
// name without ".md", and its Markdown source with front matter.
func (g *Generator) Post(i int) (slug string, text []byte) {
	src := rand.NewPCG(uint64(g.seed)*0x9e3779b97f4a7c15+uint64(Version), uint64(i)*0xbf58476d1ce4e5b9+1)
	p := &poster{v: g.v, rng: rand.New(src), i: i}
	return p.post()
}

// Word returns the vocabulary word of the given 1-based Zipf rank.
func (g *Generator) Word(rank int) string { return g.v.words[rank-1] }
