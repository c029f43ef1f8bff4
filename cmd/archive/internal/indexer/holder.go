package indexer

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/blust/archive/cmd/archive/internal/control"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/progress"
	"github.com/blust/archive/internal/watch"
)

// Holder is a long-running process's hold on the index: the writer lock,
// the open index, and the control socket through which other archive
// commands ask it to sync. Only the writer changes the index, so a
// command-line reindex never writes into a build the server has open.
type Holder struct {
	cfg    Config
	log    *slog.Logger
	store  *index.Store
	iw     *index.Writer // the writer lock, and the index's write API
	ctl    *control.Server
	ix     *index.Index
	built  *index.SyncReport // the build Hold made, when there was none
	opts   index.SyncOptions
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Hold takes the writer lock (waiting while a reindex holds it), opens
// the control socket, and opens the index, building it first if there is
// none or its mapping is outdated. On an error everything taken so far is
// given back. Close lets go of it all.
func Hold(ctx context.Context, cfg Config) (*Holder, error) {
	store, err := index.NewStore(cfg.IndexDir)
	if err != nil {
		return nil, err
	}
	iw, err := waitForWriterLock(ctx, store, cfg.Logger)
	if err != nil {
		return nil, err
	}
	h := &Holder{cfg: cfg, log: cfg.Logger, store: store, iw: iw, opts: cfg.syncOptions()}
	if err := h.open(ctx); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

// open does Hold's work once the lock is held.
func (h *Holder) open(ctx context.Context) (err error) {
	if h.ctl, err = control.Listen(h.store.Root(), h.cfg.ContentAbs, h.log); err != nil {
		return err
	}
	opts := h.opts
	opts.Progress = progress.New(nil, progress.Options{Label: "building the index", Unit: "posts", Logger: h.log}).Update
	if h.ix, h.built, err = h.iw.Open(ctx, opts); err != nil {
		return err
	}
	h.ctx, h.cancel = context.WithCancel(ctx)
	h.ctl.Serve(h.ctx, h.handleRequest)
	return nil
}

// waitForWriterLock takes the lock for a server. Another live writer
// answers on the control socket: that is an error. A silent holder is a
// reindex in progress, which is waited for.
func waitForWriterLock(ctx context.Context, store *index.Store, log *slog.Logger) (*index.Writer, error) {
	iw, conn, err := control.AwaitWriter(ctx, store, log, "a reindex is writing the index; waiting for it to finish")
	if conn != nil {
		conn.Close()
		return nil, fmt.Errorf("index %s is in use by another archive process (a server, or archive -reindex -watch); stop it or choose another folder with -index", store.Root())
	}
	return iw, err
}

// Index is the open index, which serves searches.
func (h *Holder) Index() *index.Index { return h.ix }

// SetSynonyms sets the synonyms searches use.
func (h *Holder) SetSynonyms(syn []post.SynonymGroup) error { return h.iw.SetSynonyms(syn) }

// Start logs the build Hold made, or, when it opened an existing one,
// brings that up to date in the background while the server already
// answers from the build as it was.
func (h *Holder) Start() {
	if h.built != nil {
		logReport(h.log, h.cfg.Content, "built the index ("+h.built.Full+")", h.built)
		return
	}
	h.wg.Go(func() {
		opts := h.opts
		opts.Progress = progress.New(nil, progress.Options{Label: "syncing the index", Unit: "posts", Logger: h.log}).Update
		rep, err := h.iw.Sync(h.ctx, opts)
		if err != nil {
			if h.ctx.Err() == nil {
				h.log.Error("start-up sync failed; serving the index as it was", "err", err)
			}
			return
		}
		logReport(h.log, h.cfg.Content, "start-up sync", rep)
		// The sync reads every file's state at once (at 100,000 posts the
		// heap peaks near 200 MB and 45 MB stay live). Until the next
		// collection, which an idle server may not reach for a long
		// while, the runtime keeps those pages from the OS.
		debug.FreeOSMemory()
	})
}

// handleRequest runs a sync another archive command asked for.
func (h *Holder) handleRequest(ctx context.Context, req control.Request, progress func(done, total int)) (*index.SyncReport, error) {
	opts := h.opts
	opts.Progress = progress
	opts.Full = req.Full
	var rep *index.SyncReport
	var err error
	if len(req.Files) > 0 {
		rep, err = h.iw.SyncFiles(ctx, opts, req.Files)
	} else {
		rep, err = h.iw.Sync(ctx, opts)
	}
	if err == nil {
		logChanges(h.log, h.cfg.Content, rep)
		if len(req.Files) == 0 || slices.Contains(req.Files, post.SynonymsFile) {
			h.applySynonyms()
		}
	}
	return rep, err
}

// applySynonyms puts the content folder's synonyms.yaml into the serving
// index, so an editor's change to the vocabulary needs no restart. A file
// that does not load is logged, naming the line, and the synonyms in use
// stay.
func (h *Holder) applySynonyms() {
	syn, err := LoadSynonyms(h.cfg.Content)
	if err == nil {
		err = h.iw.SetSynonyms(syn)
	}
	if err != nil {
		h.log.Error("synonyms not applied; searches keep the previous ones", "err", err)
		return
	}
	h.log.Info("synonyms applied", "file", filepath.Join(h.cfg.Content, post.SynonymsFile), "groups", len(syn))
}

// Follow switches to builds committed by other processes, in the
// background.
func (h *Holder) Follow() {
	h.wg.Go(func() { h.ix.Follow(h.ctx, 500*time.Millisecond) })
}

// Watch applies each burst of changes in the content folder, in the
// background.
func (h *Holder) Watch() {
	h.wg.Go(func() {
		h.log.Info("watching the content folder for changes", "content", h.cfg.Content)
		err := watch.Run(h.ctx, h.cfg.Content, watch.Options{Logger: h.log}, func(paths []string) {
			if slices.Contains(paths, post.SynonymsFile) {
				h.applySynonyms()
			}
			rep, err := h.iw.SyncFiles(h.ctx, h.opts, paths)
			if err != nil {
				if h.ctx.Err() == nil {
					h.log.Error("applying changes failed; the next change or a reindex retries", "err", err)
				}
				return
			}
			logChanges(h.log, h.cfg.Content, rep)
		})
		if err != nil {
			h.log.Error("cannot watch the content folder", "err", err)
		}
	})
}

// Close stops the background work, then closes the socket, the index and
// the lock, in that order.
func (h *Holder) Close() {
	if h.cancel != nil {
		h.cancel()
	}
	h.wg.Wait()
	if h.ctl != nil {
		h.ctl.Stop()
	}
	if h.ix != nil {
		if err := h.ix.Close(); err != nil {
			h.log.Error("close index", "err", err)
		}
	}
	h.iw.Release()
}
