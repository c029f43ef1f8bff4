package schema

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/blust/archive/internal/gen"
	"github.com/blust/archive/internal/testshared"
)

// corpusDir holds the real posts, beside the repository.
const corpusDir = "../../../../shared/corpus"

// analyzerTexts are real and generated posts plus words the stemmer
// treats specially.
func analyzerTexts(t testing.TB) [][]byte {
	t.Helper()
	texts := [][]byte{
		[]byte("Hoping, hopped, hops; generously generalizations relational rational. Ponies' caresses, the pony's sky-high skies."),
		[]byte("Ünïcödé wörds, naïve café résumé — 日本語のテキスト и русский текст; ǅemal İstanbul."),
		[]byte("running RUNNING Running runs ran runner 3.14 1,000 e.g. don't p2p IPFS's"),
	}
	var files []string
	if dir, ok := testshared.Has(t, "corpus"); ok { // else generated posts only, saying so
		files, _ = filepath.Glob(filepath.Join(dir, "*", "*.md"))
	}
	if len(files) > 60 {
		files = files[:60]
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, b)
	}
	g := gen.New(gen.DefaultSeed)
	for i := range 40 {
		_, b := g.Post(i)
		texts = append(texts, b)
	}
	return texts
}

func tokensOf(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = fmt.Sprintf("%s@%d[%d:%d]%d", t.Term, t.Position, t.Start, t.End, t.Type)
	}
	return out
}

// The cached stemmer must not change a single token: an index built with
// it and queries analysed by bleve's "en" must still meet.
func TestTextAnalyzerMatchesEnglish(t *testing.T) {
	c := registry.NewCache()
	want, err := c.AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.AnalyzerNamed(textAnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	texts := analyzerTexts(t)
	// Twice: the first pass fills the cache, the second reads it. Two
	// goroutines, as the render workers share one analyzer.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for pass := range 2 {
				for i, text := range texts {
					// Copies: bleve's lowercase filter may write into the text.
					w := tokensOf(want.Analyze(bytes.Clone(text)))
					g := tokensOf(got.Analyze(bytes.Clone(text)))
					if len(w) != len(g) {
						t.Errorf("pass %d text %d: %d tokens, want %d", pass, i, len(g), len(w))
						continue
					}
					for k := range w {
						if w[k] != g[k] {
							t.Errorf("pass %d text %d token %d: %s, want %s", pass, i, k, g[k], w[k])
							break
						}
					}
				}
			}
		})
	}
	wg.Wait()
}

// A token's term may alias the analysed text; the stemmer must not write
// into it, nor let tokens that share a cached stem write into each other.
func TestStemCacheLeavesTextAlone(t *testing.T) {
	a, err := registry.NewCache().AnalyzerNamed(textAnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	text := []byte("connections connections connecting")
	orig := string(text)
	ts := a.Analyze(text)
	if string(text) != orig {
		t.Fatalf("text became %q", text)
	}
	if len(ts) != 3 || string(ts[0].Term) != "connect" || string(ts[2].Term) != "connect" {
		t.Fatalf("tokens %v", tokensOf(ts))
	}
	ts[0].Term = append(ts[0].Term, 'X')
	ts[2].Term = append(ts[2].Term, 'Y')
	if string(ts[0].Term) != "connectX" || string(ts[1].Term) != "connect" {
		t.Errorf("appending to tokens' terms changed others: %v", tokensOf(ts))
	}
}

// BenchmarkAnalyze runs the text analysis over a thousand generated
// posts, so the stem cache sees a build's spread of words, not a few
// posts' worth.
func BenchmarkAnalyze(b *testing.B) {
	g := gen.New(gen.DefaultSeed)
	var texts [][]byte
	for i := range 1000 {
		_, t := g.Post(i)
		texts = append(texts, t)
	}
	var n int
	for _, t := range texts {
		n += len(t)
	}
	for _, name := range []string{en.AnalyzerName, textAnalyzerName} {
		b.Run(name, func(b *testing.B) {
			a, err := registry.NewCache().AnalyzerNamed(name)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(n))
			for b.Loop() {
				for _, t := range texts {
					a.Analyze(bytes.Clone(t)) // the lowercase filter writes into it
				}
			}
		})
	}
}

// cachedBytes is what the stem cache holds: its words and their stems.
func cachedBytes(c *stemCache) (words, size int) {
	for i := range c.shards {
		for k, v := range c.shards[i].m {
			words++
			size += len(k) + len(v)
		}
	}
	return words, size
}

// The cache was bounded in words, not bytes: 131,072 words of 999
// letters held about 1 GB. Long words are stemmed each time, and the rest
// fit a budget in bytes.
func TestStemCacheIsBoundedInBytes(t *testing.T) {
	c := newStemCache(porter.NewPorterStemmer())
	long := strings.Repeat("ab", 999*3/2) // as many bytes as 999 letters of three bytes
	c.Filter(analysis.TokenStream{{Term: []byte(long + "ing")}})
	if words, _ := cachedBytes(c); words != 0 {
		t.Errorf("a word of %d bytes was cached", len(long)+3)
	}
	word := []byte(strings.Repeat("q", maxCachedWord-8))
	for i := range 200_000 {
		w := fmt.Appendf(word[:len(word):len(word)], "%08d", i)
		c.Filter(analysis.TokenStream{{Term: w}})
	}
	words, size := cachedBytes(c)
	if size+words*stemEntryOverhead > stemCacheBytes {
		t.Errorf("the cache holds %d words in %d bytes (with overhead %d), over its %d", words, size, size+words*stemEntryOverhead, stemCacheBytes)
	}
	if words < 1000 {
		t.Errorf("the cache holds only %d words", words)
	}
	ts := c.Filter(analysis.TokenStream{{Term: []byte("connections")}, {Term: []byte(long + "ing")}})
	if string(ts[0].Term) != "connect" || string(ts[1].Term) != long {
		t.Errorf("stems of a full cache: %q, %q…", ts[0].Term, ts[1].Term[:10])
	}
}
