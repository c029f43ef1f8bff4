package index

import (
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Matcher finds a query's words in a text the way the index matches them:
// through the same English analysis, so "stream" finds "streaming". It is
// what marks a reader's search words on an article page. Safe for
// concurrent use.
type Matcher struct {
	analyzer analysis.Analyzer
	terms    map[string]bool
}

// NewMatcher analyses the words of a reader's query. Operators, negated
// words ("-word", "NOT word") and field names ("title:") are left out, so
// only the words a reader looked for are matched. It fails only if the
// English analyzer is missing, which is a build problem.
func NewMatcher(q string) (*Matcher, error) {
	a, err := registry.NewCache().AnalyzerNamed(analyzerText)
	if err != nil {
		return nil, fmt.Errorf("highlight analyzer: %w", err)
	}
	m := &Matcher{analyzer: a, terms: map[string]bool{}}
	for _, tok := range a.Analyze([]byte(positiveWords(q))) {
		m.terms[string(tok.Term)] = true
	}
	return m, nil
}

// Empty reports whether the query had no word to match.
func (m *Matcher) Empty() bool { return len(m.terms) == 0 }

// Spans returns the byte ranges [start, end) of the matching words in text,
// in order.
func (m *Matcher) Spans(text string) [][2]int {
	if m.Empty() || text == "" {
		return nil
	}
	var out [][2]int
	for _, tok := range m.analyzer.Analyze([]byte(text)) {
		if m.terms[string(tok.Term)] {
			out = append(out, [2]int{tok.Start, tok.End})
		}
	}
	return out
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
