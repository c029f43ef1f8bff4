package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/blust/archive/cmd/archive/internal/control"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/progress"
	"github.com/blust/archive/internal/render"
	"github.com/blust/archive/internal/watch"
)

// reindex syncs the index with the content folder, prints each rejected
// post like a compiler message and a summary, and picks the exit status.
// With -watch it then keeps applying changes until ctx ends.
func reindex(ctx context.Context, cfg *config, log *slog.Logger, stdout, stderr io.Writer) error {
	store, err := index.NewStore(cfg.indexDir)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if cfg.watch {
		return reindexAndWatch(ctx, cfg, store, log, stdout, stderr)
	}
	meter := progress.New(stderr, progress.Options{Label: "indexing", Unit: "posts", Terminal: progress.IsTerminal(stderr), Logger: log})
	rep, delegated, err := syncOnce(ctx, cfg, store, log, control.Request{Content: cfg.contentAbs, Full: cfg.full}, meter.Update)
	meter.Finish()
	if err != nil {
		return reindexFailed(store, err)
	}
	printReport(stdout, stderr, cfg, rep, delegated)
	_, synErr := loadSynonyms(cfg)
	if synErr != nil {
		fmt.Fprintln(stderr, printable(synErr.Error()))
	}
	if len(rep.Rejected) > 0 || synErr != nil {
		return &exitError{code: 1}
	}
	return nil
}

// syncOnce has the index's writer (a server) run the sync when one is
// running, and otherwise runs it here under the writer lock. While another
// reindex holds the lock it waits. delegated says who did the work.
func syncOnce(ctx context.Context, cfg *config, store *index.Store, log *slog.Logger, req control.Request, progress func(int, int)) (rep *index.SyncReport, delegated bool, err error) {
	iw, conn, err := control.AwaitWriter(ctx, store, log, "another process is writing the index; waiting for it")
	switch {
	case err != nil:
		return nil, false, err
	case conn != nil:
		rep, err := control.RequestSync(ctx, conn, req, progress)
		return rep, true, err
	}
	defer iw.Release()
	rep, err = syncHere(ctx, cfg, iw, log, req, progress)
	return rep, false, err
}

// syncHere runs a sync in this process; the caller holds the writer lock.
func syncHere(ctx context.Context, cfg *config, iw *index.Writer, log *slog.Logger, req control.Request, progress func(int, int)) (*index.SyncReport, error) {
	opts := syncOptions(cfg, render.New(), log)
	opts.Progress = progress
	ix, built, err := iw.Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	if built != nil {
		return built, nil
	}
	opts.Full = req.Full
	if len(req.Files) > 0 {
		return iw.SyncFiles(ctx, opts, req.Files)
	}
	return iw.Sync(ctx, opts)
}

// reindexAndWatch syncs, then applies each burst of changes. When a server
// holds the index it forwards each burst to it; otherwise this process
// becomes the index's writer, like a server without HTTP.
func reindexAndWatch(ctx context.Context, cfg *config, store *index.Store, log *slog.Logger, stdout, stderr io.Writer) error {
	conn, err := control.Dial(store.Root())
	if err != nil {
		return writeAndWatch(ctx, cfg, log, stdout, stderr)
	}
	conn.Close()
	rep, _, err := syncOnce(ctx, cfg, store, log, control.Request{Content: cfg.contentAbs, Full: cfg.full}, nil)
	if err != nil {
		return reindexFailed(store, err)
	}
	printReport(stdout, stderr, cfg, rep, true)
	log.Info("watching the content folder; the server applies the changes", "content", cfg.content)
	err = watch.Run(ctx, cfg.content, watch.Options{Logger: log}, func(paths []string) {
		rep, _, err := syncOnce(ctx, cfg, store, log, control.Request{Content: cfg.contentAbs, Files: paths}, nil)
		if err != nil {
			log.Error("applying changes failed; the next change or a reindex retries", "err", err)
			return
		}
		logChanges(log, cfg.content, rep)
	})
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	return nil
}

func writeAndWatch(ctx context.Context, cfg *config, log *slog.Logger, stdout, stderr io.Writer) error {
	w, built, err := openHolder(ctx, cfg, log, render.New())
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	defer w.close()
	rep := built
	if rep == nil {
		opts := w.opts
		opts.Full = cfg.full
		meter := progress.New(stderr, progress.Options{Label: "indexing", Unit: "posts", Terminal: progress.IsTerminal(stderr), Logger: log})
		opts.Progress = meter.Update
		rep, err = w.iw.Sync(ctx, opts)
		meter.Finish()
		if err != nil {
			return reindexFailed(w.store, err)
		}
	}
	printReport(stdout, stderr, cfg, rep, false)
	w.goWatch()
	<-ctx.Done()
	return nil
}

// reindexFailed words a failed reindex by what serves now, read from the
// folder rather than assumed: the build CURRENT names, or nothing.
func reindexFailed(store *index.Store, err error) error {
	if id, cerr := store.Current(); cerr == nil {
		return &exitError{code: 2, msg: fmt.Sprintf("reindex failed, the previous index (build %s) keeps serving: %v", id, err)}
	}
	return &exitError{code: 2, msg: "reindex failed, and there is no previous index to serve: " + err.Error()}
}

// printReport prints rejected posts as compiler messages on stderr and
// the summary on stdout. File names and messages are untrusted text, so
// control characters in them are escaped (printable).
func printReport(stdout, stderr io.Writer, cfg *config, rep *index.SyncReport, delegated bool) {
	for _, p := range rep.Rejected {
		q := *p
		q.File = filepath.Join(cfg.content, p.File)
		fmt.Fprintln(stderr, printable(q.Error()))
	}
	how := "build " + rep.Build + " in " + cfg.indexDir
	if rep.Full != "" {
		how = "full rebuild, " + rep.Full + "; " + how
	}
	if delegated {
		how += "; applied by the server holding the index"
	}
	fmt.Fprintf(stdout, "indexed %d posts, rejected %d, skipped %d drafts in %s: added %d, updated %d, renamed %d, removed %d, unchanged %d (%s)\n",
		rep.Posts, len(rep.Rejected), len(rep.Drafts), seconds(rep.Took),
		len(rep.Added), len(rep.Updated), len(rep.Renamed), len(rep.Removed), rep.Unchanged, how)
}

// seconds formats a duration for the summary: "0.04s", "3.2s", "95s".
func seconds(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s < 1:
		return fmt.Sprintf("%.2fs", s)
	case s < 10:
		return fmt.Sprintf("%.1fs", s)
	}
	return fmt.Sprintf("%.0fs", s)
}
