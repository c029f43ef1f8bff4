package qplan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/internal/post"
)

// Synonyms is the archive's vocabulary (content/synonyms.yaml) compiled
// for query expansion: each entry analysed into stems with their relative
// positions, so "peer-to-peer", "peer to peer" and "Peer to Peer" are the
// same variant, and a query's words can be matched against variants of
// several words. bleve's own synonym support keeps one-word synonyms only;
// doing all of it here treats one-word and multi-word entries alike.
type Synonyms struct {
	sets    []synonymSet
	byFirst map[string][]*variant // first stem -> variants, longest first
}

type synonymSet struct {
	line     int
	variants []*variant
}

// variant is one way of saying a set's meaning, as analysed stems.
type variant struct {
	set   int
	text  string   // as written in the file
	terms []string // stems
	gaps  []int    // position of each stem relative to the first
}

// CompileSynonyms analyses every entry with an, the index's text analyzer. An entry of stop words only (it
// could never match) or one that analyses the same as an entry of another
// group is an error naming the group's line.
func CompileSynonyms(groups []post.SynonymGroup, an analysis.Analyzer) (*Synonyms, error) {
	s := &Synonyms{byFirst: map[string][]*variant{}}
	owner := map[string]int{} // analysed form -> line of its group
	for _, g := range groups {
		set := synonymSet{line: g.Line}
		for _, t := range g.Terms {
			v := newVariant(len(s.sets), t, an)
			if v == nil {
				return nil, &post.Problem{File: post.SynonymsFile, Line: g.Line, Msg: fmt.Sprintf("%q has no searchable words, only stop words", t),
					Fix: "remove it or write it another way"}
			}
			key := v.key()
			if line, seen := owner[key]; seen && line != g.Line {
				return nil, &post.Problem{File: post.SynonymsFile, Line: g.Line,
					Msg: fmt.Sprintf("%q means the same to the search as an entry of the group on line %d", t, line), Fix: "merge the two groups"}
			} else if seen {
				continue // peer-to-peer and "peer to peer" analyse alike
			}
			owner[key] = g.Line
			set.variants = append(set.variants, v)
			s.byFirst[v.terms[0]] = append(s.byFirst[v.terms[0]], v)
		}
		s.sets = append(s.sets, set)
	}
	for _, vs := range s.byFirst {
		slices.SortStableFunc(vs, func(a, b *variant) int { return len(b.terms) - len(a.terms) })
	}
	return s, nil
}

func newVariant(set int, text string, an analysis.Analyzer) *variant {
	toks := an.Analyze([]byte(text))
	if len(toks) == 0 {
		return nil
	}
	v := &variant{set: set, text: text}
	for _, t := range toks {
		v.terms = append(v.terms, string(t.Term))
		v.gaps = append(v.gaps, t.Position-toks[0].Position)
	}
	return v
}

func (v *variant) key() string {
	var b strings.Builder
	for i, t := range v.terms {
		fmt.Fprintf(&b, "%d:%s ", v.gaps[i], t)
	}
	return b.String()
}

// match finds the longest variant that the tokens from i on spell out,
// returning its set and how many tokens it covers, or -1, 0.
func (s *Synonyms) match(toks []qtoken, i int) (set, n int) {
	if s == nil {
		return -1, 0
	}
	for _, v := range s.byFirst[toks[i].term] {
		if v.matches(toks, i) {
			return v.set, len(v.terms)
		}
	}
	return -1, 0
}

func (v *variant) matches(toks []qtoken, i int) bool {
	if i+len(v.terms) > len(toks) {
		return false
	}
	for j, t := range v.terms {
		tok := toks[i+j]
		if tok.term != t || tok.pos-toks[i].pos != v.gaps[j] {
			return false
		}
	}
	return true
}

// alts is every way of saying set s, as scoring alternatives.
func (s *Synonyms) alts(set int) []bm25f.Alt {
	var out []bm25f.Alt
	for _, v := range s.sets[set].variants {
		out = append(out, bm25f.Alt{Terms: v.terms, Gaps: v.gaps, Weight: 1, Label: v.text})
	}
	return out
}
