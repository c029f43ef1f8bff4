package index

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"

	"github.com/blust/archive/index/internal/bodies"
)

// flow writes a sync's batches into a serving build, which is opened with
// unsafe_batch: bleve's Batch then returns as soon as the batch is
// searchable, and persists it (segment file, fsync, bolt commit) a moment
// later in its own goroutine. A saved edit is thus searchable without
// waiting for the disk, which on a busy machine took 10–400 ms per batch.
// Losing an unpersisted batch to a crash is harmless here: every document
// stores its file's hash, so the next sync sees the post as changed and
// writes it again. flow keeps at most two batches unpersisted, so a large
// sync cannot pile up memory, and the last batch's persistence can be
// awaited (Index.Close does, so a clean stop loses nothing).
//
// Batches are never reused: with deletions in them, bleve v2.6.3's
// Scorch.Batch may still range over a batch's map after returning (found
// by the race detector), so resetting one would race.
type flow struct {
	idx      bleve.Index
	bodies   *bodies.File
	max      int
	b        *bleve.Batch
	bytes    int
	inflight []chan error // persistence signals, oldest first
	sent     int
}

func newFlow(idx bleve.Index, bf *bodies.File, max int) *flow {
	return &flow{idx: idx, bodies: bf, max: max, b: idx.NewBatch()}
}

// add queues a document; it sends the batch once it is full.
func (f *flow) add(ctx context.Context, doc *bdoc.Document, d *document) (sent bool, err error) {
	if err := attachBody(f.bodies, doc, d); err != nil {
		return false, err
	}
	if err := f.b.IndexAdvanced(doc); err != nil {
		return false, fmt.Errorf("index %s: %w", d.File, err)
	}
	f.bytes += len(d.Body) + len(d.Title)
	if f.b.Size() < f.max && f.bytes < batchBytes {
		return false, nil
	}
	return true, f.send(ctx)
}

// delete queues a deletion.
func (f *flow) delete(id string) { f.b.Delete(id) }

// send writes the queued batch, after the one before the previous has
// been persisted.
func (f *flow) send(ctx context.Context) error {
	if f.b.Size() == 0 {
		return nil
	}
	// The batch's bodies reach the disk before bleve may persist the
	// references to them.
	if err := f.bodies.Sync(); err != nil {
		return err
	}
	persisted := make(chan error, 1)
	f.b.SetPersistedCallback(func(err error) { persisted <- err })
	if err := f.idx.Batch(f.b); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	f.b, f.bytes = f.idx.NewBatch(), 0
	f.sent++
	f.inflight = append(f.inflight, persisted)
	for len(f.inflight) > 2 {
		if err := awaitPersisted(ctx, f.inflight[0]); err != nil {
			return err
		}
		f.inflight = f.inflight[1:]
	}
	return nil
}

// last is the persistence signal of the newest batch sent, or nil.
// bleve persists snapshots in order, so it stands for all of them.
func (f *flow) last() chan error {
	if len(f.inflight) == 0 {
		return nil
	}
	return f.inflight[len(f.inflight)-1]
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

// persistGrace bounds how long Close waits for the last batch: a build
// that cannot be persisted must not hang a shutdown, and the next sync
// repairs what was lost.
const persistGrace = 10 * time.Second
