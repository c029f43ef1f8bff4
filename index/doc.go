// Package index is the archive's search index; it and the packages below
// it (index/internal/...) are the only ones that talk to bleve. An Index
// (Open) answers typed search requests with typed results and is
// read-only; the one Writer of an index root, obtained with the writer
// lock (Store.LockWriter), makes full builds, syncs the serving build with
// the content folder, and sets the synonyms. The live build sits behind an
// alias, so a new build is switched in without readers noticing. The
// writing itself is index/internal/build's (one render pipeline and one
// batch writer for full builds and syncs), and the folder's layout, locks
// and recovery index/internal/store's; Store and the build and sync types
// here are thin names for theirs. On the read side, a search is planned
// by index/internal/qplan, ranked by index/internal/bm25f, counted into
// facets by index/internal/facet and marked by index/internal/snippet;
// the files here are the API over them: search.go (Search), paging.go
// (cursors, Scan, Export), article.go (Lookup, Neighbours, Related,
// Matcher), counts.go (Trends, Values, Stats) and complete.go.
//
// On disk an index root holds one folder per build under builds/ and a
// CURRENT file naming the build that serves. A build is written completely
// before CURRENT is replaced (write, fsync, rename), so a crash at any point
// leaves the previous build serving and the next run starts clean.
package index
