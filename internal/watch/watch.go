// Package watch follows a folder tree for changes and reports them in
// bursts: editors save files in odd ways (write a temporary file and
// rename it over the old one, truncate then write, touch many files at
// once), so events are gathered until the tree has been quiet for a
// moment, and the caller looks at each reported path afresh rather than
// trusting what the events say happened.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tunes Run; the zero value is ready to use.
type Options struct {
	// Quiet is how long the tree must be still before a burst is
	// reported; 0 means 100ms.
	Quiet time.Duration
	// MaxWait caps how long a burst that never goes quiet is held; 0
	// means 500ms, so a long copy is applied in steps.
	MaxWait time.Duration
	// SkipDir, if set, names folders (slash paths relative to the root)
	// not worth watching, such as .git. Folders whose name starts with "."
	// are always skipped.
	SkipDir func(rel string) bool
	Logger  *slog.Logger
}

// Root is the path Run reports when it cannot tell what changed (the
// kernel's event queue overflowed): the caller should look at everything.
const Root = "."

// Run watches root and every folder below it, including folders created
// later, and calls apply with the changed paths (slash-separated, relative
// to root, sorted) after each burst. apply runs on Run's goroutine. Run
// returns nil when ctx ends, or an error if the tree cannot be watched.
func Run(ctx context.Context, root string, opts Options, apply func(paths []string)) error {
	w, err := newWatcher(root, opts)
	if err != nil {
		return err
	}
	defer w.fs.Close()
	return w.loop(ctx, apply)
}

type watcher struct {
	fs      *fsnotify.Watcher
	root    string
	opts    Options
	watched map[string]bool // absolute folder paths
}

func newWatcher(root string, opts Options) (*watcher, error) {
	if opts.Quiet <= 0 {
		opts.Quiet = 100 * time.Millisecond
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = 500 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", root, err)
	}
	w := &watcher{fs: fw, root: abs, opts: opts, watched: map[string]bool{}}
	if err := w.addTree(abs); err != nil {
		fw.Close()
		return nil, err
	}
	return w, nil
}

// addTree watches dir and the folders below it.
func (w *watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return fmt.Errorf("watch %s: %w", p, err)
			}
			return nil // vanished or unreadable: nothing to watch there
		}
		if !d.IsDir() {
			return nil
		}
		if p != w.root && w.skip(p) {
			return filepath.SkipDir
		}
		if err := w.fs.Add(p); err != nil {
			if p == w.root {
				return fmt.Errorf("watch %s: %w", p, err)
			}
			w.opts.Logger.Warn("cannot watch folder; edits in it need a reindex", "folder", p, "err", err)
			return nil
		}
		w.watched[p] = true
		return nil
	})
}

func (w *watcher) skip(abs string) bool {
	rel := w.rel(abs)
	if strings.HasPrefix(filepath.Base(abs), ".") {
		return true
	}
	return w.opts.SkipDir != nil && w.opts.SkipDir(rel)
}

func (w *watcher) rel(abs string) string {
	r, err := filepath.Rel(w.root, abs)
	if err != nil {
		return abs
	}
	return filepath.ToSlash(r)
}

// forget stops watching dir and everything below it: after a rename the
// kernel would keep reporting the moved folder under its old name.
func (w *watcher) forget(dir string) {
	for p := range w.watched {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			_ = w.fs.Remove(p) // already gone with the folder, mostly
			delete(w.watched, p)
		}
	}
}

func (w *watcher) loop(ctx context.Context, apply func([]string)) error {
	pending := map[string]bool{}
	var burstStart time.Time
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	flush := func() {
		if len(pending) == 0 {
			return
		}
		paths := slices.Sorted(func(yield func(string) bool) {
			for p := range pending {
				if !yield(p) {
					return
				}
			}
		})
		clear(pending)
		apply(paths)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fs.Events:
			if !ok {
				return nil
			}
			w.note(ev, pending)
			if len(pending) == 0 {
				continue
			}
			now := time.Now()
			if burstStart.IsZero() {
				burstStart = now
			}
			if now.Sub(burstStart) >= w.opts.MaxWait {
				burstStart = time.Time{}
				quiet.Stop()
				flush()
				continue
			}
			quiet.Reset(w.opts.Quiet)
		case <-quiet.C:
			burstStart = time.Time{}
			flush()
		case err, ok := <-w.fs.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				pending[Root] = true
				quiet.Reset(w.opts.Quiet)
				continue
			}
			w.opts.Logger.Warn("watching the content folder", "err", err)
		}
	}
}

// note records one event's path and keeps the set of watched folders in
// step with the tree.
func (w *watcher) note(ev fsnotify.Event, pending map[string]bool) {
	if ev.Name == "" || ev.Name == w.root {
		return
	}
	rel := w.rel(ev.Name)
	if strings.HasPrefix(rel, "../") {
		return
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
			if w.skip(ev.Name) {
				return
			}
			if err := w.addTree(ev.Name); err != nil {
				w.opts.Logger.Warn("cannot watch new folder", "folder", ev.Name, "err", err)
			}
		}
	}
	pending[rel] = true
}
