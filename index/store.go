package index

import (
	"context"
	"fmt"
	"time"

	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/store"
	"github.com/blust/archive/internal/post"
)

// What to build or sync, and what came of it: the types of
// index/internal/build, which does the work.
type (
	BuildOptions = build.BuildOptions
	Report       = build.Report
	Doc          = build.Doc
	SyncOptions  = build.SyncOptions
	SyncReport   = build.SyncReport
	Rename       = build.Rename
)

// Reasons for a full build.
const (
	FullRequested = build.FullRequested
	FullNoIndex   = build.FullNoIndex
	FullMapping   = build.FullMapping
	FullNoBodies  = build.FullNoBodies
)

// Store is an index root folder: builds/<id>/ holds each build and CURRENT
// names the one that serves (see index/internal/store).
type Store struct {
	s *store.Store
}

// Manifest describes one build; it is kept in the build folder as
// manifest.json.
type Manifest = store.Manifest

var (
	// ErrNoIndex reports that an index root has no committed build yet.
	ErrNoIndex = store.ErrNoIndex
	// ErrWriterBusy reports that another process holds an index root's
	// writer lock: a server, or a reindex in progress.
	ErrWriterBusy = store.ErrWriterBusy
	// ErrBuildPresent reports that the build to install is already in the
	// store and current.
	ErrBuildPresent = store.ErrBuildPresent
	// ErrUnhealthy marks a Health error: the index folder is in a state in
	// which the server can still answer from the open build, but a restart
	// or the next reindex would fail.
	ErrUnhealthy = store.ErrUnhealthy
)

// NewStore opens (creating if needed) the index root folder.
func NewStore(root string) (*Store, error) {
	s, err := store.New(root)
	if err != nil {
		return nil, err
	}
	return &Store{s: s}, nil
}

// Root is the folder the store lives in.
func (s *Store) Root() string { return s.s.Root() }

// Current returns the id of the serving build, or ErrNoIndex.
func (s *Store) Current() (string, error) { return s.s.Current() }

// RepairCurrent mends a CURRENT file that is missing or names no build
// (see store.Store.RepairCurrent); the caller holds the writer lock.
func (s *Store) RepairCurrent() (string, error) { return s.s.RepairCurrent() }

// Manifest reads a build's manifest.
func (s *Store) Manifest(id string) (Manifest, error) { return s.s.Manifest(id) }

// Cleanup removes builds that are neither current nor in use by any
// process, and returns their ids.
func (s *Store) Cleanup() []string { return s.s.Cleanup() }

// BuildPath is the folder holding build id's files (its manifest, bleve
// index and bodies).
func (s *Store) BuildPath(id string) string { return s.s.BuildPath(id) }

// Install puts a build made elsewhere into the store and makes it current
// once it is complete; fill writes the build's files into its folder.
func (s *Store) Install(id string, fill func(dir string) error) error { return s.s.Install(id, fill) }

// Build indexes the whole content folder into a fresh build and makes it
// the serving one, as a Writer's full sync does but without the writer
// lock or the stat cache: tests build their fixtures with it. Rejected
// posts are reported, not fatal. A failure removes the half-made build.
func (s *Store) Build(ctx context.Context, opts BuildOptions) (*Report, error) {
	start := time.Now()
	opts = opts.WithDefaults()
	loaded, err := post.Load(opts.Content, opts.Load)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", opts.ContentDir, err)
	}
	rep, err := build.Posts(ctx, s.s, loaded, opts, start)
	if err != nil {
		return nil, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// ValidBuildID says id has the shape of a build id, so it is safe as a
// folder name under builds/.
func ValidBuildID(id string) bool { return store.ValidBuildID(id) }

// ServedMappingVersion is the index mapping version of the builds this
// program makes, and the only one it serves.
func ServedMappingVersion() int { return schema.MappingVersion }
