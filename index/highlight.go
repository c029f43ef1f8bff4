package index

import (
	"context"
	"fmt"

	"github.com/blust/archive/index/internal/snippet"
	"github.com/blust/archive/internal/qlang"
)

// Highlight is a search whose matches an article page marks: what the
// reader typed and how the search read it. It is what a result link
// carries, and all that is needed to plan the same search again.
type Highlight struct {
	Query   string
	Mode    qlang.Mode
	Literal bool
	// Corrected is the Result.Suggestion of a search that ran it instead
	// of Query (Result.Corrected), else "". It tells a search corrected
	// on its second pass (rare words taken for typos) from one that was
	// not; a correction the archive would no longer make is ignored.
	Corrected string
}

// Matcher finds in a text what a search matched in a post's body, as
// the snippets of its hit mark it (index/internal/snippet).
type Matcher = snippet.Matcher

// Matcher plans h as Search would on the serving build and returns what
// that plan matches in a body. A malformed query fails with an error
// wrapping *qlang.Error; one with too many words with a *LimitError.
func (ix *Index) Matcher(ctx context.Context, h Highlight) (*Matcher, error) {
	r := Request{Query: h.Query, Mode: h.Mode, Literal: h.Literal}
	if err := checkTerms(r.Query); err != nil {
		return nil, err
	}
	parsed, err := qlang.Parse(r.Query, r.Mode)
	if err != nil {
		return nil, fmt.Errorf("highlight: %w", err)
	}
	if parsed.Empty() {
		return snippet.NewMatcher(ix.an, r.Query, nil), nil
	}
	ctx = withTermLimit(ctx)
	pl, err := ix.planText(ctx, parsed, r, false)
	if err != nil {
		return nil, err
	}
	// Search plans again with rare words taken for typos only when the
	// first plan corrected nothing (qplan.Plan.Retry); the result link says
	// whether that second plan's correction ran.
	if h.Corrected != "" && pl.Suggestion == "" && pl.RareWords {
		pl2, err := ix.planText(ctx, parsed, r, true)
		if err != nil {
			return nil, err
		}
		if pl2.Corrected && pl2.Suggestion == h.Corrected {
			pl = pl2
		}
	}
	text := r.Query
	if pl.Corrected {
		text = pl.Suggestion
	}
	return snippet.NewMatcher(ix.an, text, pl.Groups), nil
}
