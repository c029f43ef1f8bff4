// Package build writes builds: the full build of a content folder or of a
// test collection into a fresh build folder, and the incremental sync of
// a serving build. Both go through one pipeline: posts are rendered and
// analysed on every core (renderAll, writePosts) and written from one
// goroutine by one batch writer (batchQueue), as bleve wants. Here too
// are what a post becomes in the index (document), the state a sync
// compares the folder with (ReadState), and the vocabulary's counts.
//
// It keeps no state between calls: what is known of the serving build
// between syncs lives in index.Writer, which calls this package, and the
// folder's layout and locks in index/internal/store.
package build
