// Package qplan plans a query: it translates the parsed query language
// (internal/qlang) against one build's vocabulary into a bleve query that
// decides what matches, with the request's tag, author and date filters,
// and into the scoring groups the ranking reads (translate.go, plan.go),
// widening words with the archive's synonyms (synonyms.go), prefix
// completions and spelling corrections (index/internal/spell).
//
// Arrows: index parses the request, hands the parsed query here once per
// pass (Translate, MatchAll) and runs the Plan's Query; the Query is an
// index/internal/bm25f Query, which scores the Groups. It imports bleve,
// internal/qlang, internal/post, index/internal/bm25f, fieldstats,
// schema and spell, never index.
package qplan
