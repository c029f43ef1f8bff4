// Package fieldstats holds the statistics BM25F needs about a build and
// bleve does not keep: each scored field's length in tokens. A build
// counts every document's lengths from bleve's own analysis (Of, Totals)
// and records the means in its manifest; a search reads them from there
// (Cache), or for a build without them adds up the postings once
// (Compute).
package fieldstats
