package index

import (
	"context"
	"errors"
	"time"

	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/store"

	"github.com/blust/archive/internal/post"
)

// Writer is the one writer of an index root, and all the ways to change
// it: full builds, syncs of the whole folder or of a few files, and the
// synonyms searches use. It is obtained with the writer lock
// (Store.LockWriter), which one process holds at a time (a server holds
// it for as long as it runs): that is what keeps a command-line reindex
// from writing into a build a server has open; the command asks the
// server to do the work instead. The kernel drops the lock when its
// process dies, so a killed reindex leaves no stale lock. An Index opened
// otherwise (Open) is read-only.
type Writer struct {
	store *Store
	lock  *store.WriterLock
	ix    *Index // the index Open opened, which Sync and SyncFiles change

	// What the Writer knows of the serving build, kept between syncs and
	// guarded by ix.changeMu. known is the build's state; nil means read
	// it from the index.
	known   changes.State
	byFile  map[string]string // known, inverted: file -> slug
	fp      changes.SetHash   // known's fingerprint
	clashes bool              // a scan may have rejected posts for sharing a slug
	// persisted signals when the last batch a sync wrote is on disk
	// (see batchQueue); nil when there is nothing to wait for.
	persisted chan error
}

// LockWriter takes the writer lock without waiting. It fails with an
// error wrapping ErrWriterBusy when another process holds it.
func (s *Store) LockWriter() (*Writer, error) {
	lk, err := s.s.LockWriter()
	if err != nil {
		return nil, err
	}
	return &Writer{store: s, lock: lk}, nil
}

// Release gives the lock up. It is safe to call more than once. The index
// Open returned stays open, read-only, until its Close.
func (w *Writer) Release() {
	if w != nil {
		w.lock.Release()
	}
}

// errNotOpen is what a Writer's syncs return before Open.
var errNotOpen = errors.New("index writer: Open the index before syncing it")

// Open opens the store's current build, first making a full build when
// there is none or when it was made with another mapping version (its
// documents would not fit the queries), and removing builds a killed
// reindex left behind. The report is nil when an existing build was
// opened as it was. The Index serves searches; Sync, SyncFiles and
// SetSynonyms change it.
func (w *Writer) Open(ctx context.Context, opts SyncOptions) (*Index, *SyncReport, error) {
	rep, err := w.buildIfNeeded(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	ix, err := Open(w.store, opts.Logger)
	if err != nil {
		return nil, nil, err
	}
	w.attach(ix)
	if rep != nil {
		rep.Build = ix.Manifest().Label()
	}
	return ix, rep, nil
}

// attach makes w the writer of ix.
func (w *Writer) attach(ix *Index) {
	w.ix = ix
	w.switched()
	ix.writer = w
}

// switched forgets what w knew of the build that served before.
func (w *Writer) switched() {
	// clashes starts true: until a whole-folder scan, nobody knows. The
	// old build's pending batches no longer matter.
	w.known, w.byFile, w.clashes, w.persisted = nil, nil, true, nil
}

// closing waits, within persistGrace, until the last synced batch is on
// disk, so closing the index does not drop it.
func (w *Writer) closing() {
	if w.persisted == nil {
		return
	}
	select {
	case err := <-w.persisted:
		if err != nil {
			w.ix.log.Error("the last synced changes could not be saved; the next sync writes them again", "err", err)
		}
	case <-time.After(persistGrace):
		w.ix.log.Error("the last synced changes were not saved in time; the next sync writes them again")
	}
	w.persisted = nil
}

// Sync brings the open index up to date with the content folder. By
// default it re-indexes only the posts whose files were added, edited,
// renamed or deleted, in batches that readers see whole; with Full it
// builds every post into a new build and switches to it. Rejected posts
// are reported, not fatal. On an error (I/O, cancellation) the index
// keeps serving: an interrupted full build is discarded, and an
// interrupted incremental sync leaves every post either as it was or as it
// is now, for the next sync to finish.
func (w *Writer) Sync(ctx context.Context, opts SyncOptions) (*SyncReport, error) {
	if w.ix == nil {
		return nil, errNotOpen
	}
	return w.syncFolder(ctx, opts)
}

// SyncFiles brings the open index up to date for the given files, as a
// watcher reports them (see Index.syncFiles): only those files are read,
// unless the change cannot be judged file by file.
func (w *Writer) SyncFiles(ctx context.Context, opts SyncOptions, files []string) (*SyncReport, error) {
	if w.ix == nil {
		return nil, errNotOpen
	}
	return w.syncFiles(ctx, opts, files)
}

// SetSynonyms replaces the synonym groups the open index's searches use
// (see WithSynonyms); searches already running keep the old ones. It
// fails, changing nothing, on groups CheckSynonyms refuses.
func (w *Writer) SetSynonyms(groups []post.SynonymGroup) error {
	if w.ix == nil {
		return errNotOpen
	}
	return w.ix.setSynonyms(groups)
}

// BuildDocs indexes test-collection documents into a fresh build and
// makes it the serving one (see Doc): the full build of archive eval.
func (w *Writer) BuildDocs(ctx context.Context, docs []Doc, opts BuildOptions) (*Report, error) {
	return w.store.buildDocs(ctx, docs, opts)
}
