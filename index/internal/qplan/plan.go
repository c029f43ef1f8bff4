package qplan

import (
	"context"
	"errors"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/fieldstats"
	"github.com/blust/archive/index/internal/schema"
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
	// Unranked says every match scores the same (filters alone, typed or
	// not), so the relevance order is the newest first.
	Unranked bool
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
	q := f.apply(bleve.NewMatchAllQuery())
	if c, ok := q.(*bq.ConjunctionQuery); ok {
		// Every post matches the first part: the filters alone decide,
		// and bleve walks their postings instead of every post.
		if rest := c.Conjuncts[1:]; len(rest) == 1 {
			q = &unscored{rest[0]}
		} else {
			q = &unscored{bleve.NewConjunctionQuery(rest...)}
		}
	}
	return &Plan{Query: q, Unranked: true}
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
		Unranked:   len(p.groups) == 0 && len(cover) == 0,
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

// ErrSnapshotMoved says a narrowed query ran on another snapshot than
// the one its bound was found on, whose matches may differ.
var ErrSnapshotMoved = errors.New("the index changed between planning and searching")

// pinned is a query that runs only on one snapshot.
type pinned struct {
	bq.Query
	on bleveidx.IndexReader
}

// Searcher implements bleve's query.Query. The readers are compared as
// identities: scorch hands out its current root snapshot until a batch,
// merge or persist introduces the next.
func (q *pinned) Searcher(ctx context.Context, r bleveidx.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	if r != q.on {
		return nil, ErrSnapshotMoved
	}
	return q.Query.Searcher(ctx, r, m, opts)
}

// Narrowed is an Unranked plan's query restricted to the posts dated
// from on, nil for a plan that ranks. Every match scores the same, so
// the newest n matches, which a page of n takes, are among them. The
// bound holds for the snapshot it was found on only: on another one the
// query fails with ErrSnapshotMoved.
func (pl *Plan) Narrowed(from time.Time, on bleveidx.IndexReader) bq.Query {
	if !pl.Unranked {
		return nil
	}
	yes := true
	dated := bleve.NewDateRangeInclusiveQuery(ClampDate(from), time.Time{}, &yes, nil)
	dated.SetField(schema.FieldDate)
	since := &pinned{Query: dated, on: on}
	switch q := pl.Query.(type) {
	case *bm25f.Query:
		nq := *q
		nq.Match, nq.AnyAlt = bleve.NewConjunctionQuery(q.Match, since), false
		return &nq
	case *unscored:
		return &unscored{bleve.NewConjunctionQuery(q.inner, since)}
	case *bq.MatchAllQuery:
		return &unscored{since}
	}
	return nil
}
