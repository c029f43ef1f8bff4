package index

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"github.com/blust/archive/index/internal/schema"
)

// MaxAliasLen bounds an alias: an old URL path longer than this is not a
// link anyone followed.
const MaxAliasLen = 1024

// AliasPath is the form in which an old URL of a post is indexed and
// looked up: its path only (a full URL loses scheme and host, a query or
// fragment is dropped), starting with "/", cleaned, without a trailing
// slash or a trailing /index.html, case kept. ok is false for what cannot
// be an old address of a post: an empty path, the home page, or one
// longer than MaxAliasLen.
func AliasPath(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	p := raw
	if u, err := url.Parse(raw); err == nil {
		p = u.Path
	} else if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if p == "" || len(p) > MaxAliasLen {
		return "", false
	}
	p = path.Clean("/" + p)
	for _, idx := range []string{"/index.html", "/index.htm"} {
		p = strings.TrimSuffix(p, idx)
	}
	if p == "/" || p == "" || p == "." {
		return "", false
	}
	return p, true
}

// aliasPaths is the indexed form of a post's aliases, de-duplicated.
func aliasPaths(aliases []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range aliases {
		if p, ok := AliasPath(a); ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// LookupAlias returns the slug of the post that had the URL path p on its
// old site (front matter aliases, redirect_from or permalink), or
// ErrNotFound. When two posts claim one path, the first by slug wins, so
// the answer does not change from one request to the next.
func (ix *Index) LookupAlias(ctx context.Context, p string) (string, error) {
	norm, ok := AliasPath(p)
	if !ok {
		return "", fmt.Errorf("alias %q: %w", p, ErrNotFound)
	}
	q := bleve.NewTermQuery(norm)
	q.SetField(schema.FieldAliases)
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	req.SortBy([]string{"_id"})
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return "", fmt.Errorf("look up alias %q: %w", norm, err)
	}
	if len(res.Hits) == 0 {
		return "", fmt.Errorf("alias %q: %w", norm, ErrNotFound)
	}
	return res.Hits[0].ID, nil
}
