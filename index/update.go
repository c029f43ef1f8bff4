package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/store"
	"github.com/blust/archive/index/internal/vocab"
	"github.com/blust/archive/internal/post"
)

// apply writes a diff into the serving build, then makes its outcome the
// known state. old is the state the diff was made against: all of it for
// a whole-folder sync, or only the posts a change touched (SyncFiles), in
// which case everything else is unchanged and the known state is patched
// rather than replaced, so applying one edit costs the same however large
// the archive.
func (w *Writer) apply(ctx context.Context, sd *changes.Diff, old changes.State, whole bool, sc *changes.Scanned, opts SyncOptions) (*SyncReport, error) {
	rejected := sc.Problems
	var voc *vocab.Vocab
	if !sd.Empty() {
		cur := w.ix.serving()
		idx, bf, before := cur.idx, cur.bodies.File, cur.voc
		change := map[string]int64{}
		if err := vocabRemoved(idx, bf, append(sd.WriteSlugs(), sd.Delete...), change); err != nil {
			return nil, fmt.Errorf("sync %s: %w", opts.ContentDir, err)
		}
		failed, persisted, err := writeDiff(ctx, idx, bf, sd, old, opts.BuildOptions, change)
		if err != nil {
			w.known = nil // some batches may have landed; read the truth next time
			rerr := w.ix.reopen()
			if rerr == nil {
				rerr = w.recountVocab(ctx)
			}
			if rerr != nil {
				err = errors.Join(err, rerr)
			}
			return nil, fmt.Errorf("sync %s: %w", opts.ContentDir, err)
		}
		voc = before.Apply(change)
		if persisted != nil {
			w.persisted = persisted
		}
		rejected = append(rejected, failed...)
		post.SortProblems(rejected)
	}
	if whole {
		w.setKnown(sd.Desired)
	} else {
		sd.Unchanged += len(w.known) - len(old)
		w.patchKnown(old, sd.Desired)
	}
	w.clashes = slugClash(rejected)
	rep := reportOf(sd)
	rep.Rejected, rep.Drafts, rep.Posts = rejected, sc.Drafts, len(w.known)
	if !sd.Empty() {
		if err := w.bumpManifest(whole, len(rejected), voc); err != nil {
			return nil, err
		}
	}
	rep.Build = w.ix.Manifest().Label()
	return rep, nil
}

// setKnown replaces the known state.
func (w *Writer) setKnown(st changes.State) {
	w.known, w.byFile, w.fp = st, st.ByFile(), changes.HashOf(st)
}

// patchKnown replaces the part old of the known state with desired.
func (w *Writer) patchKnown(old, desired changes.State) {
	for slug, d := range old {
		delete(w.known, slug)
		delete(w.byFile, d.File)
		w.fp.Toggle(d.File, d.Hash)
	}
	for slug, d := range desired {
		w.known[slug] = d
		w.byFile[d.File] = slug
		w.fp.Toggle(d.File, d.Hash)
	}
}

// writeDiff renders the diff's posts on every core and writes them from
// this goroutine in batches. Deletions go into the last batch, so a
// renamed post is never missing from the index: its new document is in
// before its old one goes. A post that fails to render is dropped from the
// diff and returned as a problem; its old document is deleted too, as a
// full build would leave it out. A sync of one batch returns once it is
// searchable; a larger one also waits until it is on disk. persisted
// signals when the last batch is.
func writeDiff(ctx context.Context, idx bleve.Index, bf *bodies.File, sd *changes.Diff, old changes.State, opts BuildOptions, words map[string]int64) (failed []*post.Problem, persisted chan error, err error) {
	f := newSyncQueue(idx, bf, opts.BatchSize)
	done := 0
	err = writePosts(ctx, f, sd.Write, opts, func(p *post.Post, d *document, problem *post.Problem) {
		if problem != nil {
			failed = append(failed, problem)
			sd.Drop(p.Slug, old)
			return
		}
		for _, w := range d.words {
			words[w]++
		}
		done++
	})
	if err != nil {
		return nil, nil, err
	}
	for _, slug := range sd.Delete {
		f.delete(slug)
	}
	if err := f.send(ctx); err != nil {
		return nil, nil, err
	}
	if f.sent > 1 {
		for _, ch := range f.inflight {
			if err := awaitPersisted(ctx, ch); err != nil {
				return nil, nil, err
			}
		}
		f.inflight = nil
	}
	if opts.Progress != nil {
		opts.Progress(done, len(sd.Write))
	}
	return failed, f.last(), nil
}

// writePosts renders posts on every core (renderAll) and writes them into
// q from this goroutine, since bleve wants one writer: a full build's
// and a sync's posts alike. each hears of every post in turn: written
// with its document, or not written with the problem that kept it out
// (it failed to render). Progress is reported after each batch sent. The
// caller sends the last batch.
func writePosts(ctx context.Context, q *batchQueue, posts []*post.Post, opts BuildOptions, each func(*post.Post, *document, *post.Problem)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the renderers if a batch fails
	// A build lets a whole batch be rendered and analysed while the one
	// before is made into a segment, which bleve does on this goroutine
	// alone; a sync's batches are small, and it waits for fewer.
	queue, cancelled := opts.BatchSize, "build cancelled"
	if q.serving {
		queue, cancelled = renderQueue, "cancelled"
	}
	done := 0
	for r := range renderAll(ctx, opts, q.idx.Mapping(), posts, queue) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", cancelled, err)
		}
		if r.err != nil {
			each(r.post, nil, &post.Problem{File: r.post.File, Msg: r.err.Error(), Fix: "fix the Markdown so it renders"})
			continue
		}
		warnPlain(opts.Logger, r.doc)
		if _, err := q.add(ctx, r.bd, r.doc); err != nil {
			return err
		}
		each(r.post, r.doc, nil)
		done++
		if q.flushed && opts.Progress != nil {
			opts.Progress(done, len(posts))
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", cancelled, err)
	}
	return nil
}

// rendered is one post made into a document, or why it could not be.
type rendered struct {
	post *post.Post
	doc  *document
	bd   *bdoc.Document // doc mapped and analysed
	err  error
}

// renderQueue is how many rendered posts a sync lets wait for its writer.
const renderQueue = 64

// renderAll turns posts into documents on every core, for full builds and
// syncs alike; queue is how many finished ones may wait for the writer.
// The channel closes when all are done or ctx ends.
func renderAll(ctx context.Context, opts BuildOptions, m mapping.IndexMapping, posts []*post.Post, queue int) <-chan rendered {
	out := make(chan rendered, queue)
	jobs := make(chan *post.Post)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(posts), 1)) {
		wg.Go(func() {
			for p := range jobs {
				d, err := newDocument(ctx, opts, p)
				var bd *bdoc.Document
				if err == nil {
					bd, err = d.analyse(m, p.Slug)
				}
				select {
				case out <- rendered{p, d, bd, err}:
				case <-ctx.Done():
				}
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, p := range posts {
			select {
			case jobs <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(out) }()
	return out
}

// bumpManifest records an applied sync in the build's manifest, with
// the vocabulary as the sync left it. The rejected count is only
// recounted by a whole-folder sync.
func (w *Writer) bumpManifest(whole bool, rejected int, voc *vocab.Vocab) error {
	m := w.ix.Manifest()
	m.Posts = len(w.known)
	if whole {
		m.Rejected = rejected
	}
	m.Fingerprint = w.fp.String()
	m.Generation++
	m.SyncedAt = time.Now().UTC()
	return w.saveManifest(m, voc, false)
}

// saveManifest writes m with voc as the build's vocabulary, first folding
// voc's changes into a new file when they have grown large, and makes
// both current. fold writes a new file whatever the changes.
func (w *Writer) saveManifest(m Manifest, voc *vocab.Vocab, fold bool) error {
	dir := w.store.s.BuildPath(m.ID)
	was := m.Vocab
	if fold || len(voc.Changes()) > vocabCompactAt {
		nv, data, err := voc.Compact()
		if err != nil {
			return fmt.Errorf("build %s: %w", m.ID, err)
		}
		name := vocabFile(m.Generation)
		if name == was {
			name = vocabFile(m.Generation) + ".1"
		}
		if err := writeVocab(dir, name, data); err != nil {
			return err
		}
		voc, m.Vocab = nv, name
	}
	m.VocabChanges = voc.Changes()
	if err := store.WriteJSONFile(filepath.Join(dir, store.ManifestFile), m); err != nil {
		return fmt.Errorf("build %s: write manifest: %w", m.ID, err)
	}
	w.ix.setManifest(m, voc)
	if was != "" && was != m.Vocab {
		os.Remove(filepath.Join(dir, was))
	}
	return nil
}

// recountVocab counts the serving build's vocabulary again from its
// stored documents, after a sync failed with only some of its batches
// written.
func (w *Writer) recountVocab(ctx context.Context) error {
	cur := w.ix.serving()
	idx, bf, m := cur.idx, cur.bodies.File, cur.manifest
	counts, err := countVocab(ctx, idx, bf)
	if err != nil {
		return err
	}
	voc, _, err := vocab.Build(counts)
	if err != nil {
		return err
	}
	return w.saveManifest(m, voc, true)
}

// stateFingerprint is the manifest fingerprint of a state.
func stateFingerprint(st changes.State) string { return changes.HashOf(st).String() }

// slugClash reports a problem with a slug, such as two posts sharing one;
// fixing either file may bring the other back, which only a whole-folder
// scan notices.
func slugClash(problems []*post.Problem) bool {
	for _, p := range problems {
		if p.Field == "slug" {
			return true
		}
	}
	return false
}
