package build

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/fieldstats"
)

// batchQueue is the one writer of documents into bleve, for full builds
// and syncs: it queues documents and deletions and sends them in batches
// cut by count and by bytes. Only this goroutine writes, as bleve wants.
//
// A full build (newBuildQueue) writes into a build nothing serves yet: its
// batches are reused, and it adds up the analysed documents' token counts
// and words, which become the build's field statistics and vocabulary.
//
// A sync (newSyncQueue) writes into a serving build, which is opened with
// unsafe_batch: bleve's Batch then returns as soon as the batch is
// searchable, and persists it (segment file, fsync, bolt commit) a moment
// later in its own goroutine. A saved edit is thus searchable without
// waiting for the disk, which on a busy machine took 10–400 ms per batch.
// Losing an unpersisted batch to a crash is harmless here: every document
// stores its file's hash, so the next sync sees the post as changed and
// writes it again. send keeps at most two batches unpersisted, so a large
// sync cannot pile up memory, and the last batch's persistence can be
// awaited (Index.Close does, so a clean stop loses nothing).
//
// Batches are never reused: with deletions in them, bleve v2.6.3's
// Scorch.Batch may still range over a batch's map after returning (found
// by the race detector), so resetting one would race.
type batchQueue struct {
	idx    bleve.Index
	bodies *bodies.File
	max    int
	b      *bleve.Batch
	bytes  int
	sent   int // batches sent
	// flushed says the last add sent a batch (a moment to report progress).
	flushed bool

	// serving: the build serves readers (a sync), so each batch is new and
	// its persistence is tracked.
	serving  bool
	inflight []chan error // persistence signals, oldest first

	// A full build's totals; words is nil in a sync, which counts its
	// vocabulary changes itself.
	lengths fieldstats.Totals
	words   map[string]uint64 // posts using each vocabulary word
}

// totals are what a build learns about its documents while writing them.
type totals struct {
	means map[string]float64 // mean token counts of the scored fields
	words map[string]uint64  // the vocabulary
	// vocabName is the vocabulary's file, once written
	vocabName string
}

// newBuildQueue writes a full build that nothing serves yet.
func newBuildQueue(idx bleve.Index, bf *bodies.File, max int) *batchQueue {
	return &batchQueue{idx: idx, bodies: bf, b: idx.NewBatch(), max: max, words: map[string]uint64{}}
}

// newSyncQueue writes a sync into the serving build.
func newSyncQueue(idx bleve.Index, bf *bodies.File, max int) *batchQueue {
	return &batchQueue{idx: idx, bodies: bf, max: max, b: idx.NewBatch(), serving: true}
}

func (q *batchQueue) totals() *totals { return &totals{means: q.lengths.Means(), words: q.words} }

// addNew maps and analyses d as bleve's Batch.Index would, then queues it.
func (q *batchQueue) addNew(ctx context.Context, id string, d *document) error {
	doc, err := analyzed(q.idx.Mapping(), id, d)
	if err != nil {
		return err
	}
	_, err = q.add(ctx, doc, d)
	return err
}

// add queues a document analyzed made of d; it sends the batch once it
// is full.
func (q *batchQueue) add(ctx context.Context, doc *bdoc.Document, d *document) (sent bool, err error) {
	q.flushed = false
	if err := attachBody(q.bodies, doc, d); err != nil {
		return false, err
	}
	if err := q.b.IndexAdvanced(doc); err != nil {
		return false, fmt.Errorf("index %s: %w", d.File, err)
	}
	if q.words != nil {
		q.count(doc, d)
	}
	q.bytes += len(d.Body) + len(d.Title)
	if q.b.Size() < q.max && q.bytes < batchBytes {
		return false, nil
	}
	return true, q.send(ctx)
}

// count adds a full build's document to its totals.
func (q *batchQueue) count(doc *bdoc.Document, d *document) {
	q.lengths.Add(fieldstats.Of(doc))
	words := d.words
	if words == nil { // not analysed by a render worker
		words = vocabOf(doc)
	}
	for _, w := range words {
		q.words[w]++
	}
}

// delete queues a deletion.
func (q *batchQueue) delete(id string) { q.b.Delete(id) }

// send writes the queued batch. Into a serving build it does so after the
// one before the previous has been persisted.
func (q *batchQueue) send(ctx context.Context) error {
	if q.b.Size() == 0 {
		return nil
	}
	if !q.serving {
		if err := q.idx.Batch(q.b); err != nil {
			return fmt.Errorf("write batch: %w", err)
		}
		q.b.Reset()
		q.bytes, q.flushed = 0, true
		q.sent++
		return nil
	}
	// The batch's bodies reach the disk before bleve may persist the
	// references to them.
	if err := q.bodies.Sync(); err != nil {
		return err
	}
	persisted := make(chan error, 1)
	q.b.SetPersistedCallback(func(err error) { persisted <- err })
	if err := q.idx.Batch(q.b); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	q.b, q.bytes, q.flushed = q.idx.NewBatch(), 0, true
	q.sent++
	q.inflight = append(q.inflight, persisted)
	for len(q.inflight) > 2 {
		if err := awaitPersisted(ctx, q.inflight[0]); err != nil {
			return err
		}
		q.inflight = q.inflight[1:]
	}
	return nil
}

// last is the persistence signal of the newest batch sent, or nil.
// bleve persists snapshots in order, so it stands for all of them.
func (q *batchQueue) last() chan error {
	if len(q.inflight) == 0 {
		return nil
	}
	return q.inflight[len(q.inflight)-1]
}

// awaitPersisted waits for a batch to reach the disk. bleve never reports
// a failed persist through the callback: it logs the error and retries
// for ever (a full disk), so the wait is bounded, or a sync would hang
// with its -reindex client.
func awaitPersisted(ctx context.Context, ch <-chan error) error {
	t := time.NewTimer(persistWait)
	defer t.Stop()
	select {
	case err := <-ch:
		if err != nil {
			return fmt.Errorf("persist batch: %w", err)
		}
		return nil
	case <-t.C:
		return fmt.Errorf("persist batch: not on disk after %v (is the disk full?)", persistWait)
	case <-ctx.Done():
		return fmt.Errorf("cancelled: %w", ctx.Err())
	}
}

// persistWait bounds the wait for one batch to reach the disk; on this
// machine a batch took up to 0.4 s to persist under heavy load.
const persistWait = 20 * time.Second

// PersistGrace bounds how long Close waits for the last batch: a build
// that cannot be persisted must not hang a shutdown, and the next sync
// repairs what was lost.
const PersistGrace = 10 * time.Second
