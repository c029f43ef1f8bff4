package main

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
	"github.com/blust/archive/internal/render"
	"github.com/blust/archive/internal/watch"
)

// holder is a long-running process's hold on the index: the writer lock,
// the open index, and the control socket through which other archive
// commands ask it to sync. Only the writer changes the index, so a
// command-line reindex never writes into a build the server has open.
type holder struct {
	cfg    *config
	log    *slog.Logger
	store  *index.Store
	iw     *index.Writer // the writer lock, and the index's write API
	ctl    *control.Server
	ix     *index.Index
	opts   index.SyncOptions
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// openHolder takes the writer lock (waiting while a reindex holds it),
// opens the control socket, and opens the index, building it first if
// there is none or its mapping is outdated; built is that build's report.
// On an error everything taken so far is given back.
func openHolder(ctx context.Context, cfg *config, log *slog.Logger, r *render.Renderer) (*holder, *index.SyncReport, error) {
	store, err := index.NewStore(cfg.indexDir)
	if err != nil {
		return nil, nil, err
	}
	iw, err := waitForWriterLock(ctx, store, log)
	if err != nil {
		return nil, nil, err
	}
	w := &holder{cfg: cfg, log: log, store: store, iw: iw, opts: syncOptions(cfg, r, log)}
	built, err := w.open(ctx)
	if err != nil {
		w.close()
		return nil, nil, err
	}
	return w, built, nil
}

// open does openHolder's work once the lock is held.
func (w *holder) open(ctx context.Context) (built *index.SyncReport, err error) {
	if w.ctl, err = control.Listen(w.store.Root(), w.cfg.contentAbs, w.log); err != nil {
		return nil, err
	}
	opts := w.opts
	opts.Progress = progress.New(nil, progress.Options{Label: "building the index", Unit: "posts", Logger: w.log}).Update
	if w.ix, built, err = w.iw.Open(ctx, opts); err != nil {
		return nil, err
	}
	w.ctx, w.cancel = context.WithCancel(ctx)
	w.ctl.Serve(w.ctx, w.handleRequest)
	return built, nil
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

func syncOptions(cfg *config, r *render.Renderer, log *slog.Logger) index.SyncOptions {
	return index.SyncOptions{BuildOptions: buildOptions(cfg, r, log)}
}

// handleRequest runs a sync another archive command asked for.
func (w *holder) handleRequest(ctx context.Context, req control.Request, progress func(done, total int)) (*index.SyncReport, error) {
	opts := w.opts
	opts.Progress = progress
	opts.Full = req.Full
	var rep *index.SyncReport
	var err error
	if len(req.Files) > 0 {
		rep, err = w.iw.SyncFiles(ctx, opts, req.Files)
	} else {
		rep, err = w.iw.Sync(ctx, opts)
	}
	if err == nil {
		logChanges(w.log, w.cfg.content, rep)
		if len(req.Files) == 0 || slices.Contains(req.Files, post.SynonymsFile) {
			w.applySynonyms()
		}
	}
	return rep, err
}

// applySynonyms puts the content folder's synonyms.yaml into the serving
// index, so an editor's change to the vocabulary needs no restart. A file
// that does not load is logged, naming the line, and the synonyms in use
// stay.
func (w *holder) applySynonyms() {
	syn, err := loadSynonyms(w.cfg)
	if err == nil {
		err = w.iw.SetSynonyms(syn)
	}
	if err != nil {
		w.log.Error("synonyms not applied; searches keep the previous ones", "err", err)
		return
	}
	w.log.Info("synonyms applied", "file", filepath.Join(w.cfg.content, post.SynonymsFile), "groups", len(syn))
}

// goStartupSync brings the index up to date in the background while the
// server already answers from the build as it was.
func (w *holder) goStartupSync() {
	w.wg.Go(func() {
		opts := w.opts
		opts.Progress = progress.New(nil, progress.Options{Label: "syncing the index", Unit: "posts", Logger: w.log}).Update
		rep, err := w.iw.Sync(w.ctx, opts)
		if err != nil {
			if w.ctx.Err() == nil {
				w.log.Error("start-up sync failed; serving the index as it was", "err", err)
			}
			return
		}
		logReport(w.log, w.cfg.content, "start-up sync", rep)
		// The sync reads every file's state at once (at 100,000 posts the
		// heap peaks near 200 MB and 45 MB stay live). Until the next
		// collection, which an idle server may not reach for a long
		// while, the runtime keeps those pages from the OS.
		debug.FreeOSMemory()
	})
}

// goFollow switches to builds committed by other processes.
func (w *holder) goFollow() {
	w.wg.Go(func() { w.ix.Follow(w.ctx, 500*time.Millisecond) })
}

// goWatch applies each burst of changes in the content folder.
func (w *holder) goWatch() {
	w.wg.Go(func() {
		w.log.Info("watching the content folder for changes", "content", w.cfg.content)
		err := watch.Run(w.ctx, w.cfg.content, watch.Options{Logger: w.log}, func(paths []string) {
			if slices.Contains(paths, post.SynonymsFile) {
				w.applySynonyms()
			}
			rep, err := w.iw.SyncFiles(w.ctx, w.opts, paths)
			if err != nil {
				if w.ctx.Err() == nil {
					w.log.Error("applying changes failed; the next change or a reindex retries", "err", err)
				}
				return
			}
			logChanges(w.log, w.cfg.content, rep)
		})
		if err != nil {
			w.log.Error("cannot watch the content folder", "err", err)
		}
	})
}

// close stops the background work, then closes the socket, the index and
// the lock, in that order.
func (w *holder) close() {
	if w.cancel != nil {
		w.cancel()
	}
	w.wg.Wait()
	if w.ctl != nil {
		w.ctl.Stop()
	}
	if w.ix != nil {
		if err := w.ix.Close(); err != nil {
			w.log.Error("close index", "err", err)
		}
	}
	w.iw.Release()
}

// logReport logs a sync's outcome: a summary line and each rejected post.
func logReport(log *slog.Logger, content, what string, rep *index.SyncReport) {
	for _, p := range rep.Rejected {
		log.Warn("rejected post", "file", filepath.Join(content, p.File), "line", p.Line, "reason", p.Msg)
	}
	log.Info(what, "added", len(rep.Added), "updated", len(rep.Updated), "renamed", len(rep.Renamed),
		"removed", len(rep.Removed), "unchanged", rep.Unchanged, "rejected", len(rep.Rejected),
		"posts", rep.Posts, "build", rep.Build, "seconds", rep.Took.Seconds())
}

// logChanges logs what a small sync changed, by slug, as an editor wants
// to see it after saving.
func logChanges(log *slog.Logger, content string, rep *index.SyncReport) {
	for _, p := range rep.Rejected {
		log.Warn("rejected post", "file", filepath.Join(content, p.File), "line", p.Line, "reason", p.Msg)
	}
	if !rep.Changed() {
		return
	}
	var renamed []string
	for _, r := range rep.Renamed {
		renamed = append(renamed, r.From+" -> "+r.To)
	}
	log.Info("index updated", "added", rep.Added, "updated", rep.Updated, "renamed", renamed,
		"removed", rep.Removed, "build", rep.Build, "ms", rep.Took.Milliseconds())
}
