package snippet

import (
	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/schema"
)

// Matcher finds in a text what a search matched in a post's body: the
// alternatives of the search's own plan (the words, their completions,
// corrections and synonyms, phrases as a whole), through the analyzer the
// index used, with overlaps settled as snippets settle them (settleSpans,
// fitting). So an article marks exactly what the snippets of its hit
// mark. Safe for concurrent use.
type Matcher struct {
	analyzer analysis.Analyzer
	terms    map[string]bool     // single-stem alternatives
	phrases  map[string][]phrase // phrase alternatives by first stem
	text     string              // the query the search ran
}

// phrase is a phrase alternative: stems at relative positions.
type phrase struct {
	terms []string
	gaps  []int
	label string
}

// NewMatcher returns what a search planned as groups matches in a body,
// through an, the analyzer the index used; text is the query whose
// matches are marked (Query).
func NewMatcher(an analysis.Analyzer, text string, groups []*bm25f.Group) *Matcher {
	m := &Matcher{analyzer: an, terms: map[string]bool{}, phrases: map[string][]phrase{}, text: text}
	m.add(groups)
	return m
}

// add takes the alternatives of the groups looked for in the body, as
// bm25f.Page does for snippets.
func (m *Matcher) add(groups []*bm25f.Group) {
	for _, g := range groups {
		inBody := false
		for _, f := range g.Fields {
			inBody = inBody || f == schema.FieldBody
		}
		if !inBody || g.Excluded {
			continue
		}
		for _, a := range g.Alts {
			if !a.Phrase() {
				m.terms[a.Terms[0]] = true
				continue
			}
			m.phrases[a.Terms[0]] = append(m.phrases[a.Terms[0]], phrase{terms: a.Terms, gaps: a.Gaps, label: a.Label})
		}
	}
}

// Empty reports whether the search has nothing to match in a body.
func (m *Matcher) Empty() bool { return len(m.terms) == 0 && len(m.phrases) == 0 }

// Query is the query whose matches are marked: the correction when the
// search ran it, else the query as typed.
func (m *Matcher) Query() string { return m.text }

// Spans returns the byte ranges [start, end) of the matches in text, in
// order and apart. It costs time linear in the text's words times the
// phrase alternatives that start with each.
func (m *Matcher) Spans(text string) [][2]int {
	if m.Empty() || text == "" {
		return nil
	}
	toks := m.analyzer.Analyze([]byte(text))
	var sp []span
	for i, t := range toks {
		term := string(t.Term)
		if m.terms[term] {
			sp = append(sp, span{start: t.Start, end: t.End, pos: t.Position, term: term})
		}
		for _, ph := range m.phrases[term] {
			if end, ok := ph.at(toks, i); ok {
				sp = append(sp, span{start: t.Start, end: end, pos: t.Position, term: ph.label})
			}
		}
	}
	sp = fitting(text, settleSpans(sp))
	out := make([][2]int, len(sp))
	for i, s := range sp {
		out[i] = [2]int{s.start, s.end}
	}
	return out
}

// at reports whether the phrase starts at token i, each stem at its gap
// from the first as phraseMatcher checks them in the index, and where it
// ends. A stop word's slot matches whatever stands there.
func (ph phrase) at(toks analysis.TokenStream, i int) (end int, ok bool) {
	first := toks[i].Position
	k := i
	for j := 1; j < len(ph.terms); j++ {
		want := first + ph.gaps[j]
		for k < len(toks) && toks[k].Position < want {
			k++
		}
		if k == len(toks) || toks[k].Position != want || string(toks[k].Term) != ph.terms[j] {
			return 0, false
		}
	}
	return toks[k].End, true
}
