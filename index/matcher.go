package index

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/blust/archive/index/internal/schema"
)

// Matcher finds a query's words in a text the way the index matches them:
// through the same English analysis, so "stream" finds "streaming". It is
// what marks a reader's search words on an article page. Safe for
// concurrent use.
type Matcher struct {
	analyzer analysis.Analyzer
	terms    map[string]bool
	phrases  []*variant // synonyms of several words, matched as a run
}

// NewMatcher analyses the words of a reader's query. Operators, negated
// words ("-word", "NOT word") and field names ("title:") are left out, so
// only the words a reader looked for are matched. It fails only if the
// English analyzer is missing, which is a build problem.
func NewMatcher(q string) (*Matcher, error) {
	a, err := registry.NewCache().AnalyzerNamed(schema.AnalyzerText)
	if err != nil {
		return nil, fmt.Errorf("highlight analyzer: %w", err)
	}
	return newMatcher(a, q), nil
}

func newMatcher(a analysis.Analyzer, q string) *Matcher {
	m := &Matcher{analyzer: a, terms: map[string]bool{}}
	for _, tok := range a.Analyze([]byte(positiveWords(q))) {
		m.terms[string(tok.Term)] = true
	}
	return m
}

// Matcher is NewMatcher with the index's analyzer, and it also marks the
// synonyms the search used (content/synonyms.yaml): a reader who searched
// for p2p and arrives at a post that says "peer-to-peer" sees that marked.
func (ix *Index) Matcher(q string) *Matcher {
	m := newMatcher(ix.an, q)
	ix.mu.RLock()
	syn := ix.syn
	ix.mu.RUnlock()
	if syn == nil {
		return m
	}
	var toks []qtoken
	for _, t := range m.analyzer.Analyze([]byte(positiveWords(q))) {
		toks = append(toks, qtoken{term: string(t.Term), pos: t.Position})
	}
	for i := range toks {
		set, _ := syn.match(toks, i)
		if set < 0 {
			continue
		}
		for _, v := range syn.sets[set].variants {
			if len(v.terms) == 1 {
				m.terms[v.terms[0]] = true
			} else {
				m.phrases = append(m.phrases, v)
			}
		}
	}
	return m
}

// Empty reports whether the query had no word to match.
func (m *Matcher) Empty() bool { return len(m.terms) == 0 && len(m.phrases) == 0 }

// Spans returns the byte ranges [start, end) of the matching words in text,
// in order.
func (m *Matcher) Spans(text string) [][2]int {
	if m.Empty() || text == "" {
		return nil
	}
	var out [][2]int
	toks := m.analyzer.Analyze([]byte(text))
	for i := 0; i < len(toks); i++ {
		if n := m.phraseAt(toks, i); n > 0 {
			out = append(out, [2]int{toks[i].Start, toks[i+n-1].End})
			i += n - 1
			continue
		}
		if m.terms[string(toks[i].Term)] {
			out = append(out, [2]int{toks[i].Start, toks[i].End})
		}
	}
	return out
}

// phraseAt is the number of tokens of the longest synonym phrase that
// starts at token i, or 0.
func (m *Matcher) phraseAt(toks analysis.TokenStream, i int) int {
	best := 0
	for _, v := range m.phrases {
		n := len(v.terms)
		if n <= best || i+n > len(toks) {
			continue
		}
		ok := true
		for j, t := range v.terms {
			if string(toks[i+j].Term) != t || toks[i+j].Position-toks[i].Position != v.gaps[j] {
				ok = false
				break
			}
		}
		if ok {
			best = n
		}
	}
	return best
}

// positiveWords drops what a query excludes or uses as syntax.
func positiveWords(q string) string {
	q = strings.NewReplacer(`"`, " ", "(", " ", ")", " ").Replace(q)
	var keep []string
	skipNext := false
	for _, w := range strings.Fields(q) {
		switch {
		case skipNext:
			skipNext = false
		case w == "NOT":
			skipNext = true
		case w == "AND" || w == "OR" || strings.HasPrefix(w, "-") || strings.HasPrefix(strings.ToLower(w), "date:"):
		default:
			if i := strings.IndexByte(w, ':'); i > 0 {
				w = w[i+1:]
			}
			keep = append(keep, strings.TrimPrefix(w, "+"))
		}
	}
	return strings.Join(keep, " ")
}
