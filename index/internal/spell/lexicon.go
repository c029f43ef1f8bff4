// Package spell answers questions about a build's vocabulary for one
// query: how common a stem is, which word a typo most likely meant, and
// which words a prefix may be the start of.
package spell

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/vocab"
)

// Spelling and completion limits. Corrections follow the usual rule of
// forgiving engines: one typo from five letters on, two from nine.
const (
	minTypoLen  = 5
	twoTyposLen = 9
	// maxTypoLen bounds the words a correction is looked for: the fuzzy
	// automaton's cost grows with the word's length (a 1,000-letter word
	// took 35-210 ms, a short one 0.2 ms), and a word this long is a hash,
	// a CID or a paste, never a misspelt word worth correcting.
	maxTypoLen       = 40
	MaxCompletions   = 40   // words a last-word prefix may expand to
	MaxPrefixScan    = 5000 // dictionary entries read for one prefix
	maxFuzzyScan     = 2000 // dictionary entries read for one correction
	RareDF           = 2    // a word this rare may be a typo when hits are few
	RareRatio        = 10   // ... if a neighbour is this many times more common
	CompletionWeight = 0.3  // a completion of a known word counts for less than it
)

// Lexicon answers questions about the serving build's vocabulary for one
// query: how common a stem is, which words a typo may have meant, and
// which words a prefix may be the start of.
type Lexicon struct {
	r     bleveidx.IndexReader
	voc   *vocab.Vocab
	an    analysis.Analyzer // the text analyzer: words to stems
	dfs   map[string]uint64
	ctx   context.Context
	stems map[string]string
}

// New reads the vocabulary voc and the document frequencies of r, with
// an the analyzer that turns words into the index's stems.
func New(ctx context.Context, r bleveidx.IndexReader, voc *vocab.Vocab, an analysis.Analyzer) *Lexicon {
	return &Lexicon{r: r, voc: voc, an: an, ctx: ctx, dfs: map[string]uint64{}, stems: map[string]string{}}
}

// DF is the largest number of documents that hold term in any of fields.
func (l *Lexicon) DF(term string, fields []string) uint64 {
	var best uint64
	for _, f := range fields {
		key := f + "\x00" + term
		n, ok := l.dfs[key]
		if !ok {
			n = l.count(term, f)
			l.dfs[key] = n
		}
		best = max(best, n)
	}
	return best
}

func (l *Lexicon) count(term, field string) uint64 {
	tfr, err := l.r.TermFieldReader(l.ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return tfr.Count()
}

// Stem analyses one word; "" if it is a stop word or no word at all.
func (l *Lexicon) Stem(word string) string {
	if s, ok := l.stems[word]; ok {
		return s
	}
	var s string
	if toks := l.an.Analyze([]byte(word)); len(toks) == 1 {
		s = string(toks[0].Term)
	}
	l.stems[word] = s
	return s
}

// Candidate is a vocabulary word near a typo.
type Candidate struct {
	Word string
	dist int
	DF   uint64
}

// Correction returns the word of the archive's vocabulary that a typo most
// likely meant: the nearest (a swap of two letters counts as one typo),
// then the most common. minDF excludes words rarer than that.
func (l *Lexicon) Correction(word string, minDF uint64) (Candidate, bool) {
	lw := strings.ToLower(word)
	n := utf8.RuneCountInString(lw)
	if n < minTypoLen || n > maxTypoLen || !hasLetter(lw) {
		return Candidate{}, false
	}
	allowed := 1
	if n >= twoTyposLen {
		allowed = 2
	}
	near, err := l.voc.Fuzzy(lw, min(allowed+1, vocab.MaxFuzziness), maxFuzzyScan)
	if err != nil {
		return Candidate{}, false
	}
	var best Candidate
	found := false
	for _, e := range near {
		d := OSADistance(lw, e.Word)
		if d == 0 || d > allowed {
			continue
		}
		c := Candidate{Word: e.Word, dist: d, DF: e.Count}
		if c.DF < max(minDF, 1) {
			continue
		}
		if !found || c.dist < best.dist || c.dist == best.dist && (c.DF > best.DF || c.DF == best.DF && c.Word < best.Word) {
			best, found = c, true
		}
	}
	return best, found
}

// Completions returns the stems of the most common vocabulary words that
// start with prefix, most common first.
func (l *Lexicon) Completions(prefix string) []string {
	lp := strings.ToLower(prefix)
	found, err := l.voc.Prefix(lp, MaxPrefixScan)
	if err != nil {
		return nil
	}
	var words []Candidate
	for _, e := range found {
		words = append(words, Candidate{Word: e.Word, DF: e.Count})
	}
	slices.SortFunc(words, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.DF, a.DF), cmp.Compare(a.Word, b.Word))
	})
	var stems []string
	seen := map[string]bool{}
	for _, w := range words {
		if len(stems) == MaxCompletions {
			break
		}
		if s := l.Stem(w.Word); s != "" && !seen[s] {
			seen[s] = true
			stems = append(stems, s)
		}
	}
	return stems
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// OSADistance is the optimal string alignment distance: Levenshtein plus
// the swap of two neighbouring letters as one edit, the commonest typo.
func OSADistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
