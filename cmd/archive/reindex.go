package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/blust/archive/cmd/archive/internal/indexer"
	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/render"
)

// reindex syncs the index with the content folder, prints each rejected
// post like a compiler message and a summary, and picks the exit status.
// With -watch it then keeps applying changes until ctx ends.
func reindex(ctx context.Context, cfg *config, log *slog.Logger, stdout, stderr io.Writer) error {
	ic := indexerConfig(cfg, log, render.New)
	ic.Progress = stderr
	if cfg.watch {
		err := indexer.Watch(ctx, ic, func(rep *index.SyncReport, delegated bool) {
			printReport(stdout, stderr, cfg, rep, delegated)
		})
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		return nil
	}
	rep, delegated, err := indexer.Sync(ctx, ic)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	printReport(stdout, stderr, cfg, rep, delegated)
	_, synErr := indexer.LoadSynonyms(cfg.content)
	if synErr != nil {
		fmt.Fprintln(stderr, printable(synErr.Error()))
	}
	if len(rep.Rejected) > 0 || synErr != nil {
		return &exitError{code: 1}
	}
	return nil
}

// indexerConfig is the writer's part of cfg. newRenderer gives the
// renderer of each sync this process runs: a server shares its own with
// the web pages, a reindex makes one when it needs it.
func indexerConfig(cfg *config, log *slog.Logger, newRenderer func() *render.Renderer) indexer.Config {
	return indexer.Config{
		Content:    cfg.content,
		ContentAbs: cfg.contentAbs,
		IndexDir:   cfg.indexDir,
		Full:       cfg.full,
		Options:    func() index.BuildOptions { return buildOptions(cfg, newRenderer(), log) },
		Logger:     log,
	}
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
