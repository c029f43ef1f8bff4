package build

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

// NeedsFull says why the store's current build must be made again in
// full, or "" when it need not: there is none, it was made with another
// mapping version (its documents would not fit the queries), or its
// bodies file is gone.
func NeedsFull(st *store.Store) (string, error) {
	id, err := st.Current()
	if errors.Is(err, store.ErrNoIndex) {
		return FullNoIndex, nil
	}
	if err != nil {
		return "", err
	}
	m, err := st.Manifest(id)
	if err != nil {
		return "", err
	}
	if m.MappingVersion != schema.MappingVersion {
		return fmt.Sprintf("%s (version %d, now %d)", FullMapping, m.MappingVersion, schema.MappingVersion), nil
	}
	// Without it every snippet would fail; the posts are all in the
	// content folder, so the build is made again.
	if _, err := os.Stat(st.BodiesPath(id)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Sprintf("%s (%s)", FullNoBodies, st.BodiesPath(id)), nil
	}
	return "", nil
}

// WithDefaults fills in what o leaves unset.
func (o SyncOptions) WithDefaults() SyncOptions {
	o.BuildOptions = o.BuildOptions.WithDefaults()
	return o
}

// FullSync parses every post and writes a new build, which becomes the
// serving one, reporting the difference from old (nil when there was no
// index to compare with) and reason as why the build was made in full.
func FullSync(ctx context.Context, st *store.Store, opts SyncOptions, old changes.State, reason string) (*SyncReport, error) {
	start := time.Now()
	cache := filestat.Load(st.Root(), opts.ContentDir)
	sc, err := changes.Scan(ctx, opts.Content, opts.Load, nil, cache)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", opts.ContentDir, err)
	}
	loaded := &post.Result{Problems: sc.Problems, Drafts: sc.Drafts}
	for _, e := range sc.Entries {
		loaded.Posts = append(loaded.Posts, e.Post)
	}
	built, err := Posts(ctx, st, loaded, opts.BuildOptions, start)
	if err != nil {
		return nil, err
	}
	if err := cache.Save(st.Root(), store.WriteFileSynced); err != nil {
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
	rep := ReportOf(sd)
	rep.Full = reason
	rep.Posts = built.Posts
	rep.Rejected = built.Rejected
	rep.Drafts = built.Drafts
	rep.Build = built.ID
	rep.Took = time.Since(start)
	return rep, nil
}

// ReportOf is the report of applying sd, before its counts and timing.
func ReportOf(sd *changes.Diff) *SyncReport {
	return &SyncReport{
		Added: sd.Added, Updated: sd.Updated, Renamed: sd.Renamed, Removed: sd.Removed,
		Unchanged: sd.Unchanged,
	}
}
