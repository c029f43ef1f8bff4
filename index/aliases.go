package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"github.com/blust/archive/index/internal/schema"
)

// MaxAliasLen bounds an alias: an old URL path longer than this is not a
// link anyone followed.
const MaxAliasLen = schema.MaxAliasLen

// AliasPath is the form in which an old URL of a post is indexed and
// looked up (see schema.AliasPath); ok is false for what cannot be an old
// address of a post.
func AliasPath(raw string) (string, bool) { return schema.AliasPath(raw) }

// LookupAlias returns the slug of the post that had the URL path p on its
// old site (front matter aliases, redirect_from or permalink), or
// ErrNotFound. When two posts claim one path, the first by slug wins, so
// the answer does not change from one request to the next.
func (ix *Index) LookupAlias(ctx context.Context, p string) (string, error) {
	norm, ok := AliasPath(p)
	if !ok {
		return "", fmt.Errorf("alias %q: %w", p, ErrNotFound)
	}
	return ix.slugByTerm(ctx, "alias", schema.FieldAliases, norm)
}

// slugByTerm is the slug of the first post, by slug, whose keyword field
// holds term exactly, or ErrNotFound; what names the field in errors.
func (ix *Index) slugByTerm(ctx context.Context, what, field, term string) (string, error) {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	req.SortBy([]string{"_id"})
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return "", fmt.Errorf("look up %s %q: %w", what, term, err)
	}
	if len(res.Hits) == 0 {
		return "", fmt.Errorf("%s %q: %w", what, term, ErrNotFound)
	}
	return res.Hits[0].ID, nil
}

// MaxFileLen bounds a file path LookupFile is asked for, as MaxAliasLen
// bounds an old address: a post's link to a longer one names no post.
const MaxFileLen = 1024

// LookupFile returns the slug of the post read from file (a slash path
// inside the content folder, as Entry.File has it), or ErrNotFound. It
// lets a post's link to another post's source file (other.md, Pelican's
// {filename}, Zola's @/) point at that post's page.
func (ix *Index) LookupFile(ctx context.Context, file string) (string, error) {
	if file == "" || len(file) > MaxFileLen {
		return "", fmt.Errorf("file %q: %w", file, ErrNotFound)
	}
	return ix.slugByTerm(ctx, "file", schema.FieldFile, file)
}

// LookupTitle returns the slug of the post whose title has the key
// post.TitleKey gives, or ErrNotFound; of several such posts, the first
// by slug.
func (ix *Index) LookupTitle(ctx context.Context, key string) (string, error) {
	if key == "" || len(key) > MaxFileLen {
		return "", fmt.Errorf("title %q: %w", key, ErrNotFound)
	}
	return ix.slugByTerm(ctx, "title", schema.FieldTitleKey, key)
}
