// Package bm25f ranks: it scores a planned query's groups with BM25F over
// the title, body, tags and authors (rank.go), stops early on the first
// page once the rest cannot reach it (prune.go), matches phrases without
// bleve's per-post location maps (phrase.go), reads the page's match
// locations for snippets after the search (locations.go), and breaks
// score ties in the relevance order (order.go).
//
// Arrows: the planner (index/internal/qplan) builds its Query from Groups
// and Units; index runs it through bleve and reads the page. It imports
// bleve, index/internal/fieldstats (the mean field lengths it normalises
// by), index/internal/schema and index/internal/snapshot, never index.
package bm25f
