package schema

import (
	"fmt"
	"hash/maphash"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// textAnalyzerName is bleve's English analyzer (unicode words, possessive
// 's dropped, lowercase, English stop words, Porter stemming) made
// cheaper in two places, with the same tokens: plain ASCII is split into
// words without the Unicode segmenter (wordTokenizer), and the stemmer's
// answers are remembered. Stemming was a third of a build's text
// analysis: the stemmer turns every token into runes and back, though
// prose repeats a few thousand words over and over.
const textAnalyzerName = "blust_en"

// bleve finds analyzers by name, in a process-wide registry; registering
// there at start is the only way a mapping (and a query) can name one.
func init() {
	if err := registry.RegisterAnalyzer(textAnalyzerName, newTextAnalyzer); err != nil {
		panic(err)
	}
}

func newTextAnalyzer(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	a, err := en.AnalyzerConstructor(config, cache)
	if err != nil {
		return nil, err
	}
	da, ok := a.(*analysis.DefaultAnalyzer)
	if !ok {
		return nil, fmt.Errorf("analyzer %s: bleve's %q analyzer is a %T", textAnalyzerName, en.AnalyzerName, a)
	}
	if _, ok := da.Tokenizer.(*unicode.UnicodeTokenizer); !ok {
		return nil, fmt.Errorf("analyzer %s: bleve's %q analyzer has a %T tokenizer", textAnalyzerName, en.AnalyzerName, da.Tokenizer)
	}
	out := *da
	out.Tokenizer = wordTokenizer{}
	out.TokenFilters = append([]analysis.TokenFilter(nil), da.TokenFilters...)
	for i, f := range out.TokenFilters {
		if p, ok := f.(*porter.PorterStemmer); ok {
			out.TokenFilters[i] = newStemCache(p)
			return &out, nil
		}
	}
	return nil, fmt.Errorf("analyzer %s: bleve's %q analyzer has no Porter stemmer", textAnalyzerName, en.AnalyzerName)
}

// stemCache remembers the stems of the words it has seen, up to a bound
// in bytes, in shards so the render workers rarely wait on each other.
// Safe for concurrent use, as bleve shares one analyzer between
// goroutines.
type stemCache struct {
	stem   analysis.TokenFilter
	seed   maphash.Seed
	shards [stemShards]stemShard
}

const (
	stemShards = 32
	// stemCacheBytes bounds the cache's words and stems, with
	// stemEntryOverhead for each entry's map slot and headers: about
	// 100,000 words of prose. Once a shard is full, its rarer newcomers
	// are stemmed each time.
	stemCacheBytes    = 8 << 20
	stemShardBytes    = stemCacheBytes / stemShards
	stemEntryOverhead = 64
	// maxCachedWord is the longest word kept. Prose words are short;
	// a long one (a hash, a run of letters) is rare, and would take the
	// room of many.
	maxCachedWord = 64
)

type stemShard struct {
	mu    sync.RWMutex
	m     map[string][]byte
	bytes int // of the words and stems held, with their overhead
}

func newStemCache(stem analysis.TokenFilter) *stemCache {
	c := &stemCache{stem: stem, seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = make(map[string][]byte)
	}
	return c
}

func (c *stemCache) Filter(input analysis.TokenStream) analysis.TokenStream {
	for i, tok := range input {
		if tok.KeyWord {
			continue
		}
		sh := &c.shards[maphash.Bytes(c.seed, tok.Term)%stemShards]
		sh.mu.RLock()
		s, ok := sh.m[string(tok.Term)]
		sh.mu.RUnlock()
		if ok {
			// Tokens share the cached stem. Nothing after the stemmer
			// writes into a token's term, and the capacity is cut so an
			// append cannot reach the shared bytes either.
			tok.Term = s
			continue
		}
		word := tok.Term // the stemmer sets a new slice; this one stays
		c.stem.Filter(input[i : i+1])
		s = tok.Term[:len(tok.Term):len(tok.Term)]
		tok.Term = s
		if len(word) > maxCachedWord {
			continue
		}
		size := len(word) + len(s) + stemEntryOverhead
		sh.mu.Lock()
		if sh.bytes+size <= stemShardBytes { // the key is copied only if kept
			if _, ok := sh.m[string(word)]; !ok {
				sh.m[string(word)] = s
				sh.bytes += size
			}
		}
		sh.mu.Unlock()
	}
	return input
}
