package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/blust/archive/index/internal/bm25f"
	"github.com/blust/archive/index/internal/spell"
	"github.com/blust/archive/internal/qlang"
)

// fewHits is the result count below which rare words are checked for
// typos as well as unknown ones.
const fewHits = 3

// textPlan is a translated request.
type textPlan struct {
	query      bq.Query
	groups     []*bm25f.Group // what the query looks for, which snippets and articles mark
	expanded   []Expansion
	suggestion string
	corrected  bool
	// rareWords says the query has a word the rare pass could correct;
	// without one that pass would plan exactly this again.
	rareWords bool
}

// planText translates a parsed query against the serving build's
// vocabulary. rare also corrects words the archive barely uses.
func (ix *Index) planText(ctx context.Context, parsed *qlang.Query, r Request, rare bool) (*textPlan, error) {
	if parsed.Empty() {
		return &textPlan{query: withFilters(bleve.NewMatchAllQuery(), r)}, nil
	}
	ix.mu.RLock()
	b, syn, voc := ix.cur, ix.syn, ix.cur.voc // a sync replaces voc in place (saveManifest)
	rd, err := snapshotReader(b.idx)
	ix.mu.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	defer rd.Close()
	p := &planner{
		text:    []rune(parsed.Text),
		lex:     spell.New(ctx, rd, voc, ix.an),
		an:      ix.an,
		syn:     syn,
		suggest: !r.Literal,
		correct: !r.Literal && parsed.Asked != qlang.ModeAdvanced,
		prefix:  true,
		rare:    rare,
	}
	match, cover, anyAlt := p.plan(parsed.Root)
	filtered := withFilters(match, r)
	out := &textPlan{
		// withFilters returns the text query itself when r has no filters
		query:      &bm25f.Query{Match: filtered, Groups: p.groups, Cover: cover, Stats: b.stats, AnyAlt: anyAlt && filtered == match},
		groups:     p.groups,
		expanded:   p.expanded,
		suggestion: p.suggestion(parsed.Text),
		rareWords:  p.rareSeen,
	}
	out.corrected = p.correct && out.suggestion != ""
	return out, nil
}

// buildQuery translates r's text and filters into the bleve query a
// search runs. It fails with an error wrapping *query.Error for a
// malformed query.
func (ix *Index) buildQuery(ctx context.Context, r Request) (bq.Query, error) {
	parsed, err := qlang.Parse(r.Query, r.Mode)
	if err != nil {
		return nil, fmt.Errorf("q: %w", err)
	}
	pl, err := ix.planText(ctx, parsed, r, false)
	if err != nil {
		return nil, err
	}
	return pl.query, nil
}

// retry says whether a search that found almost nothing, although every
// word is known, should be tried again with rare words taken for typos: a
// word the archive uses once or twice may be a typo for a common one.
// Without such a word the retry would plan and run the same search again
// (a zero-hit search paid for its fuzzy lookups twice).
func (pl *textPlan) retry(parsed *qlang.Query, r Request, res *Result) bool {
	return res.Total < fewHits && !r.Literal && parsed.Asked != qlang.ModeAdvanced && pl.suggestion == "" && !parsed.Empty() &&
		pl.rareWords
}
