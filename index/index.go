package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bolt "go.etcd.io/bbolt"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/fieldstats"
	"github.com/blust/archive/index/internal/qplan"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/store"
	"github.com/blust/archive/index/internal/vocab"
	"github.com/blust/archive/internal/post"
)

// Index is the serving index: one build behind a bleve alias, so a newer
// build can be swapped in while searches run. Safe for concurrent use.
type Index struct {
	store *Store
	log   *slog.Logger
	alias bleve.IndexAlias
	an    analysis.Analyzer // the text analyzer, for reading queries
	syn   *qplan.Synonyms

	mu  sync.RWMutex // guards cur
	cur *openBuild

	// changeMu lets one change of the serving build run at a time: a
	// Writer's sync or build, or a Reload. The Index itself only serves;
	// what a Writer knows of the build lives in the Writer.
	changeMu sync.Mutex
	// writer is the Writer that opened this Index (Writer.Open), if any:
	// it is told when another build starts serving, since what it knows
	// of the old one no longer holds, and Close waits for its last
	// batch to reach the disk. Both are called with changeMu held.
	writer interface {
		switched()
		closing()
	}

	caches buildCaches
}

type openBuild struct {
	id       string
	idx      bleve.Index
	bodies   *bodyFile
	lock     *store.BuildLock
	manifest Manifest
	stats    *fieldstats.Cache
	voc      *vocab.Vocab // the vocabulary as of manifest
}

var errLocked = errors.New("in use by another process")

// Option configures an Index when it is opened.
type Option func(*openOptions)

type openOptions struct {
	synonyms []post.SynonymGroup
}

// WithSynonyms makes searches treat each group's words and phrases as one
// (content/synonyms.yaml, read with post.LoadSynonyms). Open fails if an
// entry has no searchable words or means the same as another group's.
func WithSynonyms(groups []post.SynonymGroup) Option {
	return func(o *openOptions) { o.synonyms = groups }
}

// Open opens the store's current build. It fails with ErrNoIndex when
// nothing has been built, and with a message naming the folder when another
// process holds the build.
func Open(store *Store, logger *slog.Logger, opts ...Option) (*Index, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var o openOptions
	for _, opt := range opts {
		opt(&o)
	}
	m, err := schema.NewMapping()
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	an := m.AnalyzerNamed(schema.AnalyzerText)
	syn, err := qplan.CompileSynonyms(o.synonyms, an)
	if err != nil {
		return nil, err
	}
	id, err := store.Current()
	if err != nil {
		return nil, err
	}
	b, err := store.open(id)
	if err != nil {
		return nil, err
	}
	ix := &Index{store: store, log: logger, cur: b, alias: bleve.NewIndexAlias(b.idx), an: an, syn: syn}
	// A reindex killed mid-way leaves its folder behind; now that the
	// serving build is locked, anything else unlocked is such a leftover.
	if removed := store.Cleanup(); len(removed) > 0 {
		logger.Info("removed abandoned index builds", "builds", removed)
	}
	return ix, nil
}

func (s *Store) open(id string) (*openBuild, error) {
	man, err := s.Manifest(id)
	if err != nil {
		return nil, err
	}
	if man.MappingVersion != schema.MappingVersion {
		return nil, fmt.Errorf("build %s was made by another version of the program (mapping %d, need %d): run with -reindex",
			id, man.MappingVersion, schema.MappingVersion)
	}
	lk, err := store.LockBuild(s.s.BuildPath(id), false)
	if err != nil {
		return nil, fmt.Errorf("index %s: build %s is still being written: %w", s.Root(), id, err)
	}
	idx, err := bleve.OpenUsing(s.s.BlevePath(id), build.ServingConfig())
	if errors.Is(err, bolt.ErrTimeout) {
		lk.Release()
		return nil, fmt.Errorf("index %s is %w (another archive server?); stop it or choose another folder with -index", s.Root(), errLocked)
	}
	if err != nil {
		lk.Release()
		return nil, fmt.Errorf("open index build %s: %w", s.s.BlevePath(id), err)
	}
	bf, err := bodies.Open(s.s.BodiesPath(id))
	if err != nil {
		idx.Close()
		lk.Release()
		return nil, fmt.Errorf("open index build %s: %w", id, err)
	}
	voc, err := build.LoadVocab(context.Background(), s.s.BuildPath(id), man, idx, bf)
	if err != nil {
		bf.Close()
		idx.Close()
		lk.Release()
		return nil, err
	}
	return &openBuild{id: id, idx: idx, bodies: &bodyFile{File: bf}, lock: lk, manifest: man, stats: fieldstats.NewCache(man.FieldLengths), voc: voc}, nil
}

// setSynonyms replaces the synonym groups searches use (see WithSynonyms);
// searches already running keep the old ones. It fails, changing nothing,
// on groups CheckSynonyms refuses.
func (ix *Index) setSynonyms(groups []post.SynonymGroup) error {
	syn, err := qplan.CompileSynonyms(groups, ix.an)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	ix.syn = syn
	ix.mu.Unlock()
	return nil
}

// setManifest puts a Writer's new manifest and vocabulary of the serving
// build in place: searches see the vocabulary's new counts from now on.
func (ix *Index) setManifest(m Manifest, voc *vocab.Vocab) {
	ix.mu.Lock()
	ix.cur.manifest, ix.cur.voc = m, voc
	ix.mu.Unlock()
}

// Manifest describes the serving build.
func (ix *Index) Manifest() Manifest {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.cur.manifest
}

// DocCount is the number of posts in the serving build.
func (ix *Index) DocCount() (uint64, error) {
	return ix.alias.DocCount()
}

// Reload switches to the store's current build if it changed. Searches
// running during the switch finish on the old build; the alias swap waits
// for them, after which the old build is closed and removed.
func (ix *Index) Reload() (bool, error) {
	ix.changeMu.Lock()
	defer ix.changeMu.Unlock()
	return ix.reload()
}

// serving is the build that serves now.
func (ix *Index) serving() *openBuild {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.cur
}

func (ix *Index) reload() (bool, error) {
	id, err := ix.store.Current()
	if err != nil {
		// changeMu is held, so nothing else changes the folder from
		// this process, and CURRENT damaged under it may be mended.
		note, rerr := ix.store.RepairCurrent()
		if rerr != nil || note == "" {
			return false, err
		}
		ix.log.Warn("recovered the index folder", "index", ix.store.Root(), "what", note)
		if id, err = ix.store.Current(); err != nil {
			return false, err
		}
	}
	ix.mu.RLock()
	same := ix.cur != nil && ix.cur.id == id
	ix.mu.RUnlock()
	if same {
		return false, nil
	}
	nb, err := ix.store.open(id)
	if err != nil {
		return false, err
	}
	ix.mu.Lock()
	old := ix.cur
	ix.cur = nb
	ix.mu.Unlock()
	// The swap waits for the searches running on the old build (bleve's
	// alias holds its lock through each), so it is made outside ix.mu,
	// which every request takes. A search that meets the old build's
	// hits with the new build current is repeated (errSwitched).
	ix.alias.Swap([]bleve.Index{nb.idx}, []bleve.Index{old.idx})
	if ix.writer != nil {
		ix.writer.switched()
	}
	ix.closeBuild(old)
	ix.store.Cleanup()
	ix.log.Info("switched index build", "from", old.id, "to", nb.id, "posts", nb.manifest.Posts)
	return true, nil
}

// Follow polls the store's CURRENT file and reloads when another process
// (a -reindex run) commits a new build. It returns when ctx ends.
func (ix *Index) Follow(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	var last string // the error last logged: a broken folder is reported once, not twice a second
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, err := ix.Reload()
			switch {
			case err != nil && err.Error() != last:
				last = err.Error()
				ix.log.Error("reload index", "err", err)
			case err == nil && last != "":
				last = ""
				ix.log.Info("index folder readable again")
			}
		}
	}
}

func (ix *Index) closeBuild(b *openBuild) {
	if err := b.idx.Close(); err != nil {
		ix.log.Error("close index build", "build", b.id, "err", err)
	}
	if err := b.bodies.close(); err != nil {
		ix.log.Error("close index build", "build", b.id, "err", err)
	}
	b.lock.Release()
}

// Health checks that the serving build can be searched and that its folder
// is still fit to run on (see store.Store.CheckServing): a failure there
// wraps ErrUnhealthy, names the folder and says the fix.
func (ix *Index) Health() error {
	if _, err := ix.alias.DocCount(); err != nil {
		return fmt.Errorf("index is not open: %w", err)
	}
	return ix.store.s.CheckServing(ix.serving().id)
}

// Close closes the serving build.
func (ix *Index) Close() error {
	ix.changeMu.Lock()
	defer ix.changeMu.Unlock()
	if ix.writer != nil {
		ix.writer.closing()
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.cur == nil {
		return nil
	}
	err := errors.Join(ix.cur.idx.Close(), ix.cur.bodies.close())
	ix.cur.lock.Release()
	ix.cur = nil
	return err
}

// reopen throws away the serving build's in-memory state and opens it
// again from disk. After a write that failed half-way (a full disk), scorch
// keeps the segment it could not persist in its live snapshot, and every
// search that touches it panics inside bleve; the snapshot on disk holds
// only what was persisted, which is consistent. changeMu is held.
//
// ix.mu is held only to read and to set ix.cur, not across the closing
// and opening (disk I/O, the vocabulary's load), since every request
// takes it to read the manifest. Meanwhile the alias is empty, so
// searches fail as they would have anyway, and ix.cur still describes the
// build: its manifest and vocabulary stay readable, and its bodies answer
// errClosed (loadBodies) rather than a wrong text.
func (ix *Index) reopen() error {
	ix.mu.RLock()
	old := ix.cur
	ix.mu.RUnlock()
	ix.alias.Remove(old.idx)
	ix.closeBuild(old)
	nb, err := ix.store.open(old.id)
	if err != nil {
		// The alias stays empty: searches fail and /readyz says why,
		// instead of answering from a broken snapshot.
		return fmt.Errorf("reopen build %s after a failed write: %w", old.id, err)
	}
	ix.mu.Lock()
	ix.cur = nb
	ix.mu.Unlock()
	ix.alias.Add(nb.idx)
	ix.log.Warn("reopened the index build from disk after a failed write", "build", nb.id)
	return nil
}
