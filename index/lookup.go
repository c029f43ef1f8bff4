package index

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/schema"
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
	req.Fields = []string{schema.FieldTitle, schema.FieldDate, schema.FieldTags, schema.FieldAuthors, schema.FieldSummary, schema.FieldWords}
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("look up %q: %w", slug, err)
	}
	if len(res.Hits) == 0 {
		return nil, fmt.Errorf("%q: %w", slug, ErrNotFound)
	}
	h := newHit(res.Hits[0])
	st, err := ix.docState(slug)
	if err != nil {
		return nil, fmt.Errorf("look up %q: %w", slug, err)
	}
	return &Entry{
		Slug: h.Slug, Title: h.Title, Date: h.Date, Authors: h.Authors, Tags: h.Tags,
		Summary: h.Summary, Words: h.Words, File: st.File, Hash: st.Hash,
	}, nil
}

// docState reads one post's file and hash from their doc-values columns
// (they are not stored: see build.ReadState).
func (ix *Index) docState(slug string) (changes.DocState, error) {
	ix.mu.RLock()
	idx := ix.cur.idx
	ix.mu.RUnlock()
	r, err := build.SnapshotReader(idx)
	if err != nil {
		return changes.DocState{}, err
	}
	defer r.Close()
	id, err := r.InternalID(slug)
	if err != nil {
		return changes.DocState{}, err
	}
	if id == nil {
		return changes.DocState{}, fmt.Errorf("%q: %w", slug, ErrNotFound)
	}
	dv, err := r.DocValueReader(build.StateFields)
	if err != nil {
		return changes.DocState{}, err
	}
	_, d, err := build.VisitState(dv, id)
	return d, err
}
