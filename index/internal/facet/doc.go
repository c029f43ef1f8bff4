// Package facet counts: a search's tag, author, year and month facets,
// from a table of the posts' values kept per index snapshot (table.go),
// and the trends' matches per period (periodcount.go), with the names,
// sizes and periods both share (facets.go).
//
// Arrows: index wraps a search's query with a Sink or a PeriodCount and
// reads the counts once bleve is done; a pruned ranking hands the sink
// its full match list through Lister, so this package needs nothing of
// index/internal/bm25f. It imports bleve, index/internal/schema and
// index/internal/snapshot, never index.
package facet
