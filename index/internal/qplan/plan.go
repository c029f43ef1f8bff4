package qplan

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/fieldstats"
	"github.com/blust/archive/index/internal/spell"
	"github.com/blust/archive/internal/qlang"
)

// fewHits is the result count below which rare words are checked for
// typos as well as unknown ones.
const fewHits = 3

// Plan is a translated request.
type Plan struct {
	Query      bq.Query
	Groups     []*bm25f.Group // what the query looks for, which snippets and articles mark
	Expanded   []Expansion
	Suggestion string
	Corrected  bool
	// RareWords says the query has a word the rare pass could correct;
	// without one that pass would plan exactly this again.
	RareWords bool
}

// Options are what a translation reads besides the query: the serving
// build's vocabulary, analyzer, synonyms and field statistics, and how
// the request wants its words taken.
type Options struct {
	Lexicon  *spell.Lexicon
	Analyzer analysis.Analyzer
	Synonyms *Synonyms
	Stats    *fieldstats.Cache
	Filters  Filters
	Literal  bool // run the words as typed, without spelling correction
	Rare     bool // also correct words the archive barely uses
}

// MatchAll is the plan of a query without text: every post through the
// filters.
func MatchAll(f Filters) *Plan {
	return &Plan{Query: f.apply(bleve.NewMatchAllQuery())}
}

// Translate plans a parsed query that has text (see MatchAll) against
// the vocabulary of o.
func Translate(parsed *qlang.Query, o Options) *Plan {
	p := &planner{
		text:    []rune(parsed.Text),
		lex:     o.Lexicon,
		an:      o.Analyzer,
		syn:     o.Synonyms,
		suggest: !o.Literal,
		correct: !o.Literal && parsed.Asked != qlang.ModeAdvanced,
		prefix:  true,
		rare:    o.Rare,
	}
	match, cover, anyAlt := p.plan(parsed.Root)
	filtered := o.Filters.apply(match)
	out := &Plan{
		// apply returns the text query itself when there are no filters
		Query:      &bm25f.Query{Match: filtered, Groups: p.groups, Cover: cover, Stats: o.Stats, AnyAlt: anyAlt && filtered == match},
		Groups:     p.groups,
		Expanded:   p.expanded,
		Suggestion: p.suggestion(parsed.Text),
		RareWords:  p.rareSeen,
	}
	out.Corrected = p.correct && out.Suggestion != ""
	return out
}

// Retry says whether a search that found total posts, almost nothing
// although every word is known, should be tried again with rare words
// taken for typos: a word the archive uses once or twice may be a typo
// for a common one. Without such a word the retry would plan and run the
// same search again (a zero-hit search paid for its fuzzy lookups twice).
func (pl *Plan) Retry(parsed *qlang.Query, literal bool, total uint64) bool {
	return total < fewHits && !literal && parsed.Asked != qlang.ModeAdvanced && pl.Suggestion == "" && !parsed.Empty() &&
		pl.RareWords
}
