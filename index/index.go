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
	bleveidx "github.com/blevesearch/bleve_index_api"
	bolt "go.etcd.io/bbolt"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/fieldstats"
	"github.com/blust/archive/index/internal/qplan"
	"github.com/blust/archive/index/internal/schema"
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

	// writeMu makes this Index the build's only writer: syncs, rebuilds
	// and reloads take turns. known caches the serving build's state
	// between syncs; nil means read it from the index.
	writeMu sync.Mutex
	known   changes.State
	byFile  map[string]string // known, inverted: file -> slug
	fp      changes.SetHash   // known's fingerprint
	clashes bool              // a scan may have rejected posts for sharing a slug
	// persisted signals when the last batch a sync wrote is on disk
	// (see batchQueue); nil when there is nothing to wait for.
	persisted chan error

	caches buildCaches
}

type openBuild struct {
	id       string
	idx      bleve.Index
	bodies   *bodyFile
	lock     *buildLock
	manifest Manifest
	stats    *fieldstats.Cache
	voc      *vocab.Vocab // the vocabulary as of manifest
}

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
	// clashes starts true: until a whole-folder scan, nobody knows.
	ix := &Index{store: store, log: logger, cur: b, alias: bleve.NewIndexAlias(b.idx), clashes: true, an: an, syn: syn}
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
	lk, err := lockBuild(s.buildPath(id), false)
	if err != nil {
		return nil, fmt.Errorf("index %s: build %s is still being written: %w", s.root, id, err)
	}
	idx, err := bleve.OpenUsing(s.blevePath(id), servingBuildConfig())
	if errors.Is(err, bolt.ErrTimeout) {
		lk.release()
		return nil, fmt.Errorf("index %s is %w (another archive server?); stop it or choose another folder with -index", s.root, errLocked)
	}
	if err != nil {
		lk.release()
		return nil, fmt.Errorf("open index build %s: %w", s.blevePath(id), err)
	}
	bf, err := bodies.Open(s.bodiesPath(id))
	if err != nil {
		idx.Close()
		lk.release()
		return nil, fmt.Errorf("open index build %s: %w", id, err)
	}
	voc, err := loadVocab(context.Background(), s.buildPath(id), man, idx, bf)
	if err != nil {
		bf.Close()
		idx.Close()
		lk.release()
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
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	return ix.reload()
}

func (ix *Index) reload() (bool, error) {
	id, err := ix.store.Current()
	if err != nil {
		// This Index is its store's writer (writeMu is held), so it may
		// mend a CURRENT damaged under it.
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
	ix.known, ix.byFile, ix.clashes, ix.persisted = nil, nil, true, nil // the old build's pending batches no longer matter
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

// awaitPersisted waits, within persistGrace, until the last synced batch
// is on disk, so closing does not drop it. writeMu is held.
func (ix *Index) awaitPersisted() {
	if ix.persisted == nil {
		return
	}
	select {
	case err := <-ix.persisted:
		if err != nil {
			ix.log.Error("the last synced changes could not be saved; the next sync writes them again", "err", err)
		}
	case <-time.After(persistGrace):
		ix.log.Error("the last synced changes were not saved in time; the next sync writes them again")
	}
	ix.persisted = nil
}

func (ix *Index) closeBuild(b *openBuild) {
	if err := b.idx.Close(); err != nil {
		ix.log.Error("close index build", "build", b.id, "err", err)
	}
	if err := b.bodies.close(); err != nil {
		ix.log.Error("close index build", "build", b.id, "err", err)
	}
	b.lock.release()
}

// Close closes the serving build.
func (ix *Index) Close() error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.awaitPersisted()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.cur == nil {
		return nil
	}
	err := errors.Join(ix.cur.idx.Close(), ix.cur.bodies.close())
	ix.cur.lock.release()
	ix.cur = nil
	return err
}

// snapshotReader opens a reader of idx's current snapshot; the caller
// closes it.
func snapshotReader(idx bleve.Index) (bleveidx.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// eachLiveDoc calls fn with the internal id of every live document of r,
// until fn fails or ctx ends.
func eachLiveDoc(ctx context.Context, r bleveidx.IndexReader, fn func(id bleveidx.IndexInternalID) error) error {
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer ids.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		id, err := ids.Next()
		if err != nil || id == nil {
			return err
		}
		if err := fn(id); err != nil {
			return err
		}
	}
}
