// Package snippet marks what a search matched: a hit's title with its
// matches in <mark>, the snippets of its body around them, each named by
// the heading it falls under (fragments.go), and, for an article page,
// the same matches found again in the rendered text (matcher.go), so an
// article marks exactly what its hit's snippets marked.
//
// Arrows: index hands it a hit's stored text and the term locations
// bleve or index/internal/bm25f recorded, and for an article the groups
// of a plan (index/internal/qplan). It imports bleve's search types and
// analysis, index/internal/bm25f (Group) and index/internal/schema, never
// index.
package snippet
