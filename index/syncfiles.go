package index

import (
	"context"
	"time"

	"github.com/blust/archive/index/internal/changes"
)

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
	opts = opts.withDefaults()
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
