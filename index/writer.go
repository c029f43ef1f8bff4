package index

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/filestat"
	"github.com/blust/archive/index/internal/store"
	"github.com/blust/archive/index/internal/vocab"
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

// closing waits, within build.PersistGrace, until the last synced batch is on
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
	case <-time.After(build.PersistGrace):
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
// watcher reports them (see syncFiles): only those files are read,
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
	return build.Docs(ctx, w.store.s, docs, opts)
}

// buildIfNeeded makes a full build when the store has none or when it was
// made with another mapping version (its documents would not fit the
// queries), first mending a damaged CURRENT and removing builds a killed
// reindex left behind. The report is nil when no build was made.
func (w *Writer) buildIfNeeded(ctx context.Context, opts SyncOptions) (*SyncReport, error) {
	st := w.store.s
	// A damaged CURRENT is mended first, so that no complete build is
	// taken for a leftover. Then builds left by a killed reindex go:
	// holding the writer lock, nobody else can be making one.
	if note, err := st.RepairCurrent(); err != nil {
		return nil, err
	} else if note != "" {
		opts.WithDefaults().Logger.Warn("recovered the index folder", "index", st.Root(), "what", note)
	}
	st.Cleanup()
	reason, err := build.NeedsFull(st)
	if err != nil || reason == "" {
		return nil, err
	}
	return build.FullSync(ctx, st, opts.WithDefaults(), nil, reason)
}

// syncFolder brings the serving build up to date with the content folder. By
// default it re-indexes only the posts whose files were added, edited,
// renamed or deleted, in batches that readers see whole; with Full it
// builds every post into a new build and switches to it. Rejected posts
// are reported, not fatal. On an error (I/O, cancellation) the index
// keeps serving: an interrupted full build is discarded, and an
// interrupted incremental sync leaves every post either as it was or as it
// is now, for the next sync to finish. The caller must hold the store's
// writer lock.
func (w *Writer) syncFolder(ctx context.Context, opts SyncOptions) (*SyncReport, error) {
	w.ix.changeMu.Lock()
	defer w.ix.changeMu.Unlock()
	opts = opts.WithDefaults()
	if opts.Full {
		return w.rebuild(ctx, opts, FullRequested)
	}
	return w.syncAll(ctx, opts)
}

// syncAll is an incremental sync of the whole folder; changeMu is held.
func (w *Writer) syncAll(ctx context.Context, opts SyncOptions) (*SyncReport, error) {
	start := time.Now()
	old, err := w.state(ctx)
	if err != nil {
		return nil, err
	}
	cache := filestat.Load(w.store.Root(), opts.ContentDir)
	sc, err := changes.Scan(ctx, opts.Content, opts.Load, old, cache)
	if err != nil {
		return nil, fmt.Errorf("sync %s: %w", opts.ContentDir, err)
	}
	rep, err := w.apply(ctx, changes.Compare(old, sc.Entries), old, true, sc, opts)
	if err != nil {
		return nil, err
	}
	if err := cache.Save(w.store.Root(), store.WriteFileSynced); err != nil {
		opts.Logger.Warn("could not save the file cache; the next sync reads every file", "err", err)
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// syncFiles applies what happened to the named files, slash-separated
// paths inside the content folder, as a watcher reports them: each may
// have been created, edited, renamed away or deleted. Only those files are
// read, so one saved edit is applied in milliseconds however large the
// archive. When a change cannot be judged file by file (a folder appeared
// or vanished, a slug now clashes with another post's, or the last scan
// found clashing slugs that this change may resolve) it syncs the whole
// folder instead, which gives the same result. The caller must hold the
// store's writer lock.
func (w *Writer) syncFiles(ctx context.Context, opts SyncOptions, files []string) (*SyncReport, error) {
	w.ix.changeMu.Lock()
	defer w.ix.changeMu.Unlock()
	opts = opts.WithDefaults()
	start := time.Now()
	old, err := w.state(ctx)
	if err != nil {
		return nil, err
	}
	sc, part, ok := changes.ScanFiles(opts.Content, opts.Load, old, w.byFile, files)
	if !ok || w.clashes {
		return w.syncAll(ctx, opts)
	}
	rep, err := w.apply(ctx, changes.Compare(part, sc.Entries), part, false, sc, opts)
	if err != nil {
		return nil, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// state returns the serving build's state, reading it once per build.
func (w *Writer) state(ctx context.Context) (changes.State, error) {
	if w.known != nil {
		return w.known, nil
	}
	st, err := build.ReadState(ctx, w.ix.serving().idx)
	if err != nil {
		return nil, err
	}
	w.setKnown(st)
	return st, nil
}

// rebuild makes a full build beside the serving one and switches to it.
func (w *Writer) rebuild(ctx context.Context, opts SyncOptions, reason string) (*SyncReport, error) {
	old, err := w.state(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := build.FullSync(ctx, w.store.s, opts, old, reason)
	if err != nil {
		return nil, err
	}
	if _, err := w.ix.reload(); err != nil {
		return nil, fmt.Errorf("switch to the new build: %w", err)
	}
	w.clashes = slugClash(rep.Rejected)
	rep.Build = w.ix.Manifest().Label()
	return rep, nil
}

// apply writes a diff into the serving build, then makes its outcome the
// known state. old is the state the diff was made against: all of it for
// a whole-folder sync, or only the posts a change touched (SyncFiles), in
// which case everything else is unchanged and the known state is patched
// rather than replaced, so applying one edit costs the same however large
// the archive.
func (w *Writer) apply(ctx context.Context, sd *changes.Diff, old changes.State, whole bool, sc *changes.Scanned, opts SyncOptions) (*SyncReport, error) {
	rejected := sc.Problems
	var voc *vocab.Vocab
	if !sd.Empty() {
		cur := w.ix.serving()
		idx, bf, before := cur.idx, cur.bodies.File, cur.voc
		change := map[string]int64{}
		if err := build.VocabRemoved(idx, bf, append(sd.WriteSlugs(), sd.Delete...), change); err != nil {
			return nil, fmt.Errorf("sync %s: %w", opts.ContentDir, err)
		}
		failed, persisted, err := build.WriteDiff(ctx, idx, bf, sd, old, opts.BuildOptions, change)
		if err != nil {
			w.known = nil // some batches may have landed; read the truth next time
			rerr := w.ix.reopen()
			if rerr == nil {
				rerr = w.recountVocab(ctx)
			}
			if rerr != nil {
				err = errors.Join(err, rerr)
			}
			return nil, fmt.Errorf("sync %s: %w", opts.ContentDir, err)
		}
		voc = before.Apply(change)
		if persisted != nil {
			w.persisted = persisted
		}
		rejected = append(rejected, failed...)
		post.SortProblems(rejected)
	}
	if whole {
		w.setKnown(sd.Desired)
	} else {
		sd.Unchanged += len(w.known) - len(old)
		w.patchKnown(old, sd.Desired)
	}
	w.clashes = slugClash(rejected)
	rep := build.ReportOf(sd)
	rep.Rejected, rep.Drafts, rep.Posts = rejected, sc.Drafts, len(w.known)
	if !sd.Empty() {
		if err := w.bumpManifest(whole, len(rejected), voc); err != nil {
			return nil, err
		}
	}
	rep.Build = w.ix.Manifest().Label()
	return rep, nil
}

// setKnown replaces the known state.
func (w *Writer) setKnown(st changes.State) {
	w.known, w.byFile, w.fp = st, st.ByFile(), changes.HashOf(st)
}

// patchKnown replaces the part old of the known state with desired.
func (w *Writer) patchKnown(old, desired changes.State) {
	for slug, d := range old {
		delete(w.known, slug)
		delete(w.byFile, d.File)
		w.fp.Toggle(d.File, d.Hash)
	}
	for slug, d := range desired {
		w.known[slug] = d
		w.byFile[d.File] = slug
		w.fp.Toggle(d.File, d.Hash)
	}
}

// bumpManifest records an applied sync in the build's manifest, with
// the vocabulary as the sync left it. The rejected count is only
// recounted by a whole-folder sync.
func (w *Writer) bumpManifest(whole bool, rejected int, voc *vocab.Vocab) error {
	m := w.ix.Manifest()
	m.Posts = len(w.known)
	if whole {
		m.Rejected = rejected
	}
	m.Fingerprint = w.fp.String()
	m.Generation++
	m.SyncedAt = time.Now().UTC()
	return w.saveManifest(m, voc, false)
}

// saveManifest writes m with voc as the serving build's vocabulary (see
// build.SaveManifest) and puts both in place for searches.
func (w *Writer) saveManifest(m Manifest, voc *vocab.Vocab, fold bool) error {
	return build.SaveManifest(w.store.s, m, voc, fold, w.ix.setManifest)
}

// recountVocab counts the serving build's vocabulary again from its
// stored documents, after a sync failed with only some of its batches
// written.
func (w *Writer) recountVocab(ctx context.Context) error {
	cur := w.ix.serving()
	idx, bf, m := cur.idx, cur.bodies.File, cur.manifest
	counts, err := build.CountVocab(ctx, idx, bf)
	if err != nil {
		return err
	}
	voc, _, err := vocab.Build(counts)
	if err != nil {
		return err
	}
	return w.saveManifest(m, voc, true)
}

// slugClash reports a problem with a slug, such as two posts sharing one;
// fixing either file may bring the other back, which only a whole-folder
// scan notices.
func slugClash(problems []*post.Problem) bool {
	for _, p := range problems {
		if p.Field == "slug" {
			return true
		}
	}
	return false
}
