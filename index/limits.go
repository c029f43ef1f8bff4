package index

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// Limits on what one query may cost. Each is refused with a *LimitError
// naming it, so a client learns which one it hit; the web layer adds the
// length limit, checked before any parsing.
const (
	// MaxQueryTerms caps the words (and quoted phrases' words) a query
	// may hold: each becomes a term searcher on every searched field.
	MaxQueryTerms = 64
	// MaxExpansion caps the terms one prefix, fuzzy or wildcard word may
	// expand to in one field. bleve's own default is unlimited, and "*a*"
	// over a big dictionary takes seconds.
	MaxExpansion = 1024
	// MaxTermSearchers caps all term searchers of one search together,
	// expansions included (bleve's MaxTermSearchersKey, per request).
	MaxTermSearchers = 4096
)

// The limits a LimitError can name.
const (
	LimitLength     = "length"
	LimitTerms      = "terms"
	LimitExpansion  = "expansion"
	LimitDeepPaging = "deep_paging"
	LimitPerPage    = "per_page"
)

// LimitError is a request refused because it exceeds one of the documented
// limits. Param names the parameter, Limit which limit.
type LimitError struct {
	Limit string
	Param string
	Msg   string
}

func (e *LimitError) Error() string { return e.Param + ": " + e.Msg }

// Unwrap makes every LimitError a RequestError too, so callers that only
// tell bad requests from failures need not know about limits.
func (e *LimitError) Unwrap() error { return &RequestError{Param: e.Param, Msg: e.Msg} }

// bleve reads the clause cap from a package variable, so it is set once,
// before any index is opened.
func init() {
	searcher.DisjunctionMaxClauseCount = MaxExpansion
}

// withTermLimit bounds the term searchers this search may create,
// keeping a lower bound the caller set.
func withTermLimit(ctx context.Context) context.Context {
	if n, ok := ctx.Value(search.MaxTermSearchersKey).(int); ok && n > 0 && n <= MaxTermSearchers {
		return ctx
	}
	return context.WithValue(ctx, search.MaxTermSearchersKey, MaxTermSearchers)
}

// expansionError recognises bleve's refusals of an over-expanded query,
// which arrive as plain strings, and turns them into a LimitError; other
// errors pass through.
func expansionError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "TooManyClauses") || strings.Contains(msg, "TooManyTermSearchers") {
		return &LimitError{Limit: LimitExpansion, Param: "q",
			Msg: fmt.Sprintf("a prefix, fuzzy or wildcard word matches too many terms (at most %d per word, %d per search); make it longer or more specific",
				MaxExpansion, MaxTermSearchers)}
	}
	return err
}

// checkTerms refuses queries with more words than MaxQueryTerms.
func checkTerms(q string) error {
	if n := len(strings.Fields(strings.ReplaceAll(q, `"`, " "))); n > MaxQueryTerms {
		return &LimitError{Limit: LimitTerms, Param: "q",
			Msg: fmt.Sprintf("the query has %d words; at most %d are allowed", n, MaxQueryTerms)}
	}
	return nil
}

// statusError joins the per-index errors an alias reports instead of
// returning them, keeping each one for errors.Is (a deadline stays a
// deadline).
func statusError(errs map[string]error) error {
	var all []error
	for name, err := range errs {
		all = append(all, fmt.Errorf("%s: %w", name, err))
	}
	return errors.Join(all...)
}
