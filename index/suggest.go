package index

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
	minTypoLen       = 5
	twoTyposLen      = 9
	maxCompletions   = 40   // words a last-word prefix may expand to
	maxPrefixScan    = 5000 // dictionary entries read for one prefix
	maxFuzzyScan     = 2000 // dictionary entries read for one correction
	rareDF           = 2    // a word this rare may be a typo when hits are few
	rareRatio        = 10   // ... if a neighbour is this many times more common
	completionWeight = 0.3  // a completion of a known word counts for less than it
)

// lexicon answers questions about the serving build's vocabulary for one
// query: how common a stem is, which words a typo may have meant, and
// which words a prefix may be the start of.
type lexicon struct {
	r     bleveidx.IndexReader
	voc   *vocab.Vocab
	an    analysis.Analyzer // the text analyzer: words to stems
	dfs   map[string]uint64
	ctx   context.Context
	stems map[string]string
}

func newLexicon(ctx context.Context, r bleveidx.IndexReader, voc *vocab.Vocab, an analysis.Analyzer) *lexicon {
	return &lexicon{r: r, voc: voc, an: an, ctx: ctx, dfs: map[string]uint64{}, stems: map[string]string{}}
}

// df is the largest number of documents that hold term in any of fields.
func (l *lexicon) df(term string, fields []string) uint64 {
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

func (l *lexicon) count(term, field string) uint64 {
	tfr, err := l.r.TermFieldReader(l.ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return tfr.Count()
}

// stem analyses one word; "" if it is a stop word or no word at all.
func (l *lexicon) stem(word string) string {
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

// candidate is a vocabulary word near a typo.
type candidate struct {
	word string
	dist int
	df   uint64
}

// correction returns the word of the archive's vocabulary that a typo most
// likely meant: the nearest (a swap of two letters counts as one typo),
// then the most common. minDF excludes words rarer than that.
func (l *lexicon) correction(word string, minDF uint64) (candidate, bool) {
	lw := strings.ToLower(word)
	n := utf8.RuneCountInString(lw)
	if n < minTypoLen || !hasLetter(lw) {
		return candidate{}, false
	}
	allowed := 1
	if n >= twoTyposLen {
		allowed = 2
	}
	near, err := l.voc.Fuzzy(lw, min(allowed+1, vocab.MaxFuzziness), maxFuzzyScan)
	if err != nil {
		return candidate{}, false
	}
	var best candidate
	found := false
	for _, e := range near {
		d := osaDistance(lw, e.Word)
		if d == 0 || d > allowed {
			continue
		}
		c := candidate{word: e.Word, dist: d, df: e.Count}
		if c.df < max(minDF, 1) {
			continue
		}
		if !found || c.dist < best.dist || c.dist == best.dist && (c.df > best.df || c.df == best.df && c.word < best.word) {
			best, found = c, true
		}
	}
	return best, found
}

// completions returns the stems of the most common vocabulary words that
// start with prefix, most common first.
func (l *lexicon) completions(prefix string) []string {
	lp := strings.ToLower(prefix)
	found, err := l.voc.Prefix(lp, maxPrefixScan)
	if err != nil {
		return nil
	}
	var words []candidate
	for _, e := range found {
		words = append(words, candidate{word: e.Word, df: e.Count})
	}
	slices.SortFunc(words, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.df, a.df), cmp.Compare(a.word, b.word))
	})
	var stems []string
	seen := map[string]bool{}
	for _, w := range words {
		if len(stems) == maxCompletions {
			break
		}
		if s := l.stem(w.word); s != "" && !seen[s] {
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

// osaDistance is the optimal string alignment distance: Levenshtein plus
// the swap of two neighbouring letters as one edit, the commonest typo.
func osaDistance(a, b string) int {
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
