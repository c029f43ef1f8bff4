package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"github.com/blust/archive/index/internal/facet"
	"github.com/blust/archive/index/internal/schema"
)

// Values lists every value of a value facet (FacetTags or FacetAuthors)
// with the number of posts that have it, most used first. It fails with a
// *RequestError for any other facet.
func (ix *Index) Values(ctx context.Context, name string) ([]FacetCount, error) {
	field := map[string]string{FacetTags: schema.FieldTags, FacetAuthors: schema.FieldAuthors}[name]
	if field == "" {
		return nil, &RequestError{"facet", fmt.Sprintf("%q has no listable values; use tags or authors", name)}
	}
	n, err := ix.distinctTerms(field)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet(name, bleve.NewFacetRequest(field, max(n, 1)))
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", name, err)
	}
	return facet.FromBleve([]string{name}, res.Facets)[name], nil
}

// distinctTerms counts the terms in a field's dictionary: an upper bound on
// its values, which sizes the facet so that none is cut off.
func (ix *Index) distinctTerms(field string) (int, error) {
	d, err := ix.alias.FieldDict(field)
	if err != nil {
		return 0, fmt.Errorf("dictionary of %s: %w", field, err)
	}
	defer d.Close()
	n := 0
	for {
		e, err := d.Next()
		if err != nil {
			return 0, fmt.Errorf("dictionary of %s: %w", field, err)
		}
		if e == nil {
			return n, nil
		}
		n++
	}
}
