package index

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// ErrNotFound reports a slug that is not in the index.
var ErrNotFound = errors.New("no such post")

// Entry is what the index holds about one post besides its text.
type Entry struct {
	Slug    string
	File    string // path inside the content folder the build was made from
	Hash    string
	Title   string
	Date    time.Time
	Authors []string
	Tags    []string
	Summary string
	Words   int
}

// Lookup returns the entry for slug, or ErrNotFound.
func (ix *Index) Lookup(ctx context.Context, slug string) (*Entry, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery([]string{slug}), 1, 0, false)
	req.Fields = []string{fieldTitle, fieldDate, fieldTags, fieldAuthors, fieldSummary, fieldWords, fieldFile, fieldHash}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("look up %q: %w", slug, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%q: %w", slug, ErrNotFound)
	}
	h := newHit(res.Hits[0], Request{})
	return &Entry{
		Slug: h.Slug, Title: h.Title, Date: h.Date, Authors: h.Authors, Tags: h.Tags,
		Summary: h.Summary, Words: h.Words,
		File: str(res.Hits[0].Fields[fieldFile]), Hash: str(res.Hits[0].Fields[fieldHash]),
	}, nil
}
