// Package indexer is the archive's writer of an index: the one process
// that changes it, and how every other archive command gets its sync done.
// A server holds the index (Hold): it takes the writer lock, waiting while
// a reindex finishes, opens the index (building it when there is none),
// syncs it in the background, follows and watches, and runs the syncs
// other commands hand it over the control socket (package control). A
// reindex (Sync, Watch) hands its sync to that server when one answers,
// and otherwise takes the lock and syncs here.
//
// cmd/archive turns flags into a Config and prints what comes back; the
// index package does the writing itself.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/blust/archive/cmd/archive/internal/control"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/progress"
	"github.com/blust/archive/internal/watch"
)

// Config is what the writer needs to know of the archive it indexes.
type Config struct {
	// Content is the posts folder, as log lines and messages name it;
	// ContentAbs is its absolute path, which a running writer checks a
	// handed-over sync against, so a reindex of another folder is refused.
	Content, ContentAbs string
	IndexDir            string
	// Full rebuilds every post into a new build beside the serving one
	// (archive -reindex -full).
	Full bool
	// Options gives the build options of a sync this process runs. It is
	// called only then, once per sync or hold, because it may read the
	// site's config (and log that it cannot): a sync handed to a server
	// needs none of that.
	Options func() index.BuildOptions
	Logger  *slog.Logger
	// Progress is where Sync and Watch show the progress of the sync they
	// run or wait for: a bar on a terminal, log lines elsewhere.
	Progress io.Writer
}

func (c *Config) syncOptions() index.SyncOptions {
	return index.SyncOptions{BuildOptions: c.Options()}
}

func (c *Config) meter() *progress.Meter {
	return progress.New(c.Progress, progress.Options{Label: "indexing", Unit: "posts", Terminal: progress.IsTerminal(c.Progress), Logger: c.Logger})
}

// Sync brings the index up to date with the content folder once. The
// process holding the index (a server) runs it when one is running, and
// keeps serving meanwhile; otherwise it runs here under the writer lock.
// While another reindex holds the lock it waits. delegated says who did
// the work. A failed sync's error says which build keeps serving.
func Sync(ctx context.Context, cfg Config) (rep *index.SyncReport, delegated bool, err error) {
	store, err := index.NewStore(cfg.IndexDir)
	if err != nil {
		return nil, false, err
	}
	meter := cfg.meter()
	rep, delegated, err = syncOnce(ctx, cfg, store, control.Request{Content: cfg.ContentAbs, Full: cfg.Full}, meter.Update)
	meter.Finish()
	if err != nil {
		return nil, false, failed(store, err)
	}
	return rep, delegated, nil
}

// Watch syncs like Sync, hands the report to synced, then applies each
// burst of changes in the content folder until ctx ends. When a server
// holds the index it forwards each burst to it; otherwise this process
// becomes the index's writer, like a server without HTTP.
func Watch(ctx context.Context, cfg Config, synced func(rep *index.SyncReport, delegated bool)) error {
	store, err := index.NewStore(cfg.IndexDir)
	if err != nil {
		return err
	}
	conn, err := control.Dial(store.Root())
	if err != nil {
		return holdAndWatch(ctx, cfg, synced)
	}
	conn.Close()
	rep, _, err := syncOnce(ctx, cfg, store, control.Request{Content: cfg.ContentAbs, Full: cfg.Full}, nil)
	if err != nil {
		return failed(store, err)
	}
	synced(rep, true)
	log := cfg.Logger
	log.Info("watching the content folder; the server applies the changes", "content", cfg.Content)
	return watch.Run(ctx, cfg.Content, watch.Options{Logger: log}, func(paths []string) {
		rep, _, err := syncOnce(ctx, cfg, store, control.Request{Content: cfg.ContentAbs, Files: paths}, nil)
		if err != nil {
			log.Error("applying changes failed; the next change or a reindex retries", "err", err)
			return
		}
		logChanges(log, cfg.Content, rep)
	})
}

// holdAndWatch is Watch when no server holds the index: this process
// holds it until ctx ends.
func holdAndWatch(ctx context.Context, cfg Config, synced func(rep *index.SyncReport, delegated bool)) error {
	h, err := Hold(ctx, cfg)
	if err != nil {
		return err
	}
	defer h.Close()
	rep := h.built
	if rep == nil {
		opts := h.opts
		opts.Full = cfg.Full
		meter := cfg.meter()
		opts.Progress = meter.Update
		rep, err = h.iw.Sync(ctx, opts)
		meter.Finish()
		if err != nil {
			return failed(h.store, err)
		}
	}
	synced(rep, false)
	h.Watch()
	<-ctx.Done()
	return nil
}

// syncOnce has the index's writer (a server) run the sync when one is
// running, and otherwise runs it here under the writer lock, waiting
// while another reindex holds it. delegated says who did the work.
func syncOnce(ctx context.Context, cfg Config, store *index.Store, req control.Request, progress func(int, int)) (rep *index.SyncReport, delegated bool, err error) {
	iw, conn, err := control.AwaitWriter(ctx, store, cfg.Logger, "another process is writing the index; waiting for it")
	switch {
	case err != nil:
		return nil, false, err
	case conn != nil:
		rep, err := control.RequestSync(ctx, conn, req, progress)
		return rep, true, err
	}
	defer iw.Release()
	rep, err = syncHere(ctx, cfg, iw, req, progress)
	return rep, false, err
}

// syncHere runs a sync in this process; the caller holds the writer lock.
func syncHere(ctx context.Context, cfg Config, iw *index.Writer, req control.Request, progress func(int, int)) (*index.SyncReport, error) {
	opts := cfg.syncOptions()
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

// failed words a failed sync by what serves now, read from the folder
// rather than assumed: the build CURRENT names, or nothing.
func failed(store *index.Store, err error) error {
	if id, cerr := store.Current(); cerr == nil {
		return fmt.Errorf("reindex failed, the previous index (build %s) keeps serving: %w", id, err)
	}
	return fmt.Errorf("reindex failed, and there is no previous index to serve: %w", err)
}

// LoadSynonyms reads and checks the content folder's synonyms.yaml; a
// missing file means none. Errors name the file and line.
func LoadSynonyms(content string) ([]post.SynonymGroup, error) {
	groups, err := post.LoadSynonyms(os.DirFS(content), post.SynonymsFile)
	if err == nil {
		err = index.CheckSynonyms(groups)
	}
	var p *post.Problem
	if errors.As(err, &p) {
		q := *p
		q.File = filepath.Join(content, p.File)
		return nil, &q
	}
	return groups, err
}

// logReport logs a sync's outcome: a summary line and each rejected post.
func logReport(log *slog.Logger, content, what string, rep *index.SyncReport) {
	logRejected(log, content, rep)
	log.Info(what, "added", len(rep.Added), "updated", len(rep.Updated), "renamed", len(rep.Renamed),
		"removed", len(rep.Removed), "unchanged", rep.Unchanged, "rejected", len(rep.Rejected),
		"posts", rep.Posts, "build", rep.Build, "seconds", rep.Took.Seconds())
}

// logChanges logs what a small sync changed, by slug, as an editor wants
// to see it after saving.
func logChanges(log *slog.Logger, content string, rep *index.SyncReport) {
	logRejected(log, content, rep)
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

// logRejected logs each post a sync rejected, by file and line.
func logRejected(log *slog.Logger, content string, rep *index.SyncReport) {
	for _, p := range rep.Rejected {
		log.Warn("rejected post", "file", filepath.Join(content, p.File), "line", p.Line, "reason", p.Msg)
	}
}
