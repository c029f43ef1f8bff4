package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/filestat"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/store"
	"github.com/blust/archive/internal/post"
)

// SyncOptions says what to bring the index up to date with.
type SyncOptions struct {
	BuildOptions
	// Full rebuilds every post into a new build beside the serving one
	// and switches to it, instead of applying only what changed.
	Full bool
}

// SyncReport says what a sync did. The slices name slugs.
type SyncReport struct {
	Build     string          `json:"build"`             // the serving build's label afterwards
	Full      string          `json:"full,omitempty"`    // why a full build was made; "" for an incremental sync
	Posts     int             `json:"posts"`             // posts in the index afterwards
	Added     []string        `json:"added,omitempty"`   // new posts
	Updated   []string        `json:"updated,omitempty"` // posts whose file changed
	Renamed   []Rename        `json:"renamed,omitempty"` // posts that moved to another file or slug
	Removed   []string        `json:"removed,omitempty"` // posts gone from the index: deleted, now rejected or drafts
	Unchanged int             `json:"unchanged"`
	Rejected  []*post.Problem `json:"rejected,omitempty"` // files that could not be indexed, with the reason
	Drafts    []string        `json:"drafts,omitempty"`
	Took      time.Duration   `json:"took"`
}

// Changed reports whether the sync changed the index.
func (r *SyncReport) Changed() bool {
	return r.Full != "" || len(r.Added)+len(r.Updated)+len(r.Renamed)+len(r.Removed) > 0
}

// Rename is a post whose bytes moved to another file or slug.
type Rename = changes.Rename

// Reasons for a full build.
const (
	FullRequested = "requested"
	FullNoIndex   = "no index yet"
	FullMapping   = "the index mapping changed"
	FullNoBodies  = "the build's bodies file is missing"
)

// buildIfNeeded makes a full build when the store has none or when it was
// made with another mapping version (its documents would not fit the
// queries), first mending a damaged CURRENT and removing builds a killed
// reindex left behind. The report is nil when no build was made.
func (w *Writer) buildIfNeeded(ctx context.Context, opts SyncOptions) (*SyncReport, error) {
	store := w.store
	// A damaged CURRENT is mended first, so that no complete build is
	// taken for a leftover. Then builds left by a killed reindex go:
	// holding the writer lock, nobody else can be making one.
	if note, err := store.RepairCurrent(); err != nil {
		return nil, err
	} else if note != "" {
		opts.withDefaults().Logger.Warn("recovered the index folder", "index", store.Root(), "what", note)
	}
	store.Cleanup()
	reason, err := needsFullBuild(store)
	if err != nil || reason == "" {
		return nil, err
	}
	return store.fullSync(ctx, opts.withDefaults(), nil, reason)
}

func needsFullBuild(store *Store) (string, error) {
	id, err := store.Current()
	if errors.Is(err, ErrNoIndex) {
		return FullNoIndex, nil
	}
	if err != nil {
		return "", err
	}
	m, err := store.Manifest(id)
	if err != nil {
		return "", err
	}
	if m.MappingVersion != schema.MappingVersion {
		return fmt.Sprintf("%s (version %d, now %d)", FullMapping, m.MappingVersion, schema.MappingVersion), nil
	}
	// Without it every snippet would fail; the posts are all in the
	// content folder, so the build is made again.
	if _, err := os.Stat(store.s.BodiesPath(id)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Sprintf("%s (%s)", FullNoBodies, store.s.BodiesPath(id)), nil
	}
	return "", nil
}

func (o SyncOptions) withDefaults() SyncOptions {
	o.BuildOptions = o.BuildOptions.withDefaults()
	return o
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
	opts = opts.withDefaults()
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

// state returns the serving build's state, reading it once per build.
func (w *Writer) state(ctx context.Context) (changes.State, error) {
	if w.known != nil {
		return w.known, nil
	}
	st, err := readState(ctx, w.ix.serving().idx)
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
	rep, err := w.store.fullSync(ctx, opts, old, reason)
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

// fullSync parses every post and writes a new build, reporting the
// difference from old (nil when there was no index to compare with).
func (s *Store) fullSync(ctx context.Context, opts SyncOptions, old changes.State, reason string) (*SyncReport, error) {
	start := time.Now()
	cache := filestat.Load(s.Root(), opts.ContentDir)
	sc, err := changes.Scan(ctx, opts.Content, opts.Load, nil, cache)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", opts.ContentDir, err)
	}
	loaded := &post.Result{Problems: sc.Problems, Drafts: sc.Drafts}
	for _, e := range sc.Entries {
		loaded.Posts = append(loaded.Posts, e.Post)
	}
	built, err := s.buildFrom(ctx, loaded, opts.BuildOptions, start)
	if err != nil {
		return nil, err
	}
	if err := cache.Save(s.Root(), store.WriteFileSynced); err != nil {
		opts.Logger.Warn("could not save the file cache; the next sync reads every file", "err", err)
	}
	sd := changes.Compare(old, sc.Entries)
	slugs := make(map[string]string, len(sc.Entries))
	for _, e := range sc.Entries {
		slugs[e.Post.File] = e.Post.Slug
	}
	for _, p := range built.Rejected {
		if slug, ok := slugs[p.File]; ok { // accepted by the scan, failed to render
			sd.Drop(slug, old)
		}
	}
	rep := reportOf(sd)
	rep.Full = reason
	rep.Posts = built.Posts
	rep.Rejected = built.Rejected
	rep.Drafts = built.Drafts
	rep.Build = built.ID
	rep.Took = time.Since(start)
	return rep, nil
}

func reportOf(sd *changes.Diff) *SyncReport {
	return &SyncReport{
		Added: sd.Added, Updated: sd.Updated, Renamed: sd.Renamed, Removed: sd.Removed,
		Unchanged: sd.Unchanged,
	}
}
