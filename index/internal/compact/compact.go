package compact

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/blust/archive/index/internal/schema"
)

// Build merges a fresh build into one segment: queries touch one
// dictionary per field, and BM25's length statistics stop depending on
// how the batches happened to fall.
func Build(ctx context.Context, idx bleve.Index, dir string) error {
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	// One merge of every segment at once: in tasks of ten (the default), a
	// large build is merged again and again on its way down to one segment.
	mo := mergeplan.SingleSegmentMergePlanOptions
	mo.SegmentsPerMergeTask = 1 << 16
	if err := forceMerge(ctx, sc, dir, &mo); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := awaitCleanup(ctx, sc, dir); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	return nil
}

// mergeDoneKey is the context key under which scorch's merger (merge.go,
// bleve v2.6.3) looks for a chan error to report a forced merge's outcome
// to. It is an untyped string constant there, so only this exact string
// matches.
const mergeDoneKey = "mergeDone"

// mergeErrorPoll is how often forceMerge checks scorch's error count while
// it waits: the merger's retries and the persister's are reported nowhere
// else.
const mergeErrorPoll = 100 * time.Millisecond

// forceMerge runs scorch's ForceMerge and returns its real outcome. In
// bleve v2.6.3 ForceMerge returns only when the merge succeeds or the
// index closes: it ignores its context, and when the merge fails (a full
// disk) the merger retries it for ever at full speed. Given a chan
// under mergeDoneKey, the merger sends the failure there and stops
// retrying; ForceMerge itself then waits on until the index is closed,
// which the caller does on any error, so its goroutine ends then. A
// failure of the persister (its retries are silent) shows only as a
// rising error count, which is checked while waiting.
func forceMerge(ctx context.Context, sc *scorch.Scorch, dir string, mo *mergeplan.MergePlanOptions) error {
	errs := asyncErrors(sc)
	before := errs()
	done := make(chan error, 1) // the merger sends once and never waits
	forced := make(chan error, 1)
	mctx := context.WithValue(ctx, mergeDoneKey, done) //nolint:staticcheck // bleve's key is a plain string
	go func() { forced <- sc.ForceMerge(mctx, mo) }()
	tick := time.NewTicker(mergeErrorPoll)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				return mergeFailed(ctx, dir, err)
			}
		case err := <-forced:
			// The merger sends its outcome before it lets ForceMerge
			// return, so a failure is waiting in done by now.
			select {
			case derr := <-done:
				if derr != nil {
					return mergeFailed(ctx, dir, derr)
				}
			default:
			}
			if err == nil && ctx.Err() != nil { // a cancelled merge ends ForceMerge with nil
				return fmt.Errorf("merge cancelled: %w", ctx.Err())
			}
			return err
		case <-ctx.Done():
			return fmt.Errorf("merge cancelled: %w", ctx.Err())
		case <-tick.C:
			if n := errs() - before; n > 0 {
				return writeFailed(dir, n)
			}
		}
	}
}

// mergeFailed words a failed merge; a cancelled one is reported as such.
func mergeFailed(ctx context.Context, dir string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("merge cancelled: %w", ctx.Err())
	}
	return fmt.Errorf("merge segments in %s: %w", dir, err)
}

// writeFailed words errors scorch met in the background: the last one
// recorded for dir (asyncerr.go), else what a probe file there meets.
func writeFailed(dir string, n uint64) error {
	if err := buildErrors.take(dir); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if err := probeSpace(dir); err != nil {
		return fmt.Errorf("write %s: %w (and %d errors in scorch's background work)", dir, err, n)
	}
	return fmt.Errorf("write %s: %d errors in scorch's background work (is the disk full?)", dir, n)
}

// probeSpace writes and syncs a page-sized file in dir, then removes it:
// creating an empty file succeeds on a full disk, writing data does not.
func probeSpace(dir string) error {
	f, err := os.CreateTemp(dir, ".space-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, werr := f.Write(make([]byte, 4096))
	serr := f.Sync()
	return errors.Join(werr, serr, f.Close())
}

// asyncErrors returns a reader of how many errors scorch's background
// work (persister, merger) has met, which it otherwise only retries.
func asyncErrors(sc *scorch.Scorch) func() uint64 {
	st, ok := sc.Stats().(*scorch.Stats)
	if !ok {
		return func() uint64 { return 0 }
	}
	return func() uint64 { return atomic.LoadUint64(&st.TotOnErrors) }
}

// awaitCleanup waits (half a minute at most) until scorch has deleted the
// segment files the merge made obsolete. Its persister deletes them only
// as it goes idle, and only those no snapshot still holds; if the merge's
// own snapshot was still held at that moment, nothing is deleted until
// the next write. A build closed then keeps the pre-merge segments on disk
// beside the merged one, doubling its size. So while files are left
// over, a tiny internal write (re-recording the mapping version) wakes
// the persister again. A cancellation, or an error the persister met
// (it would retry for ever), ends the wait with an error: the build is
// then not fit to serve.
func awaitCleanup(ctx context.Context, sc *scorch.Scorch, dir string) error {
	errs := asyncErrors(sc)
	before := errs()
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("merge cancelled: %w", err)
		}
		if n := errs() - before; n > 0 {
			return writeFailed(dir, n)
		}
		st := sc.StatsMap()
		files, _ := st["num_files_on_disk"].(uint64)
		segs, _ := st["num_root_filesegments"].(uint64)
		if files <= segs+1 { // the segments and root.bolt
			return nil
		}
		if i%20 == 19 {
			_ = sc.SetInternal([]byte(cleanupKey), []byte(strconv.Itoa(schema.MappingVersion)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// cleanupKey is the internal key awaitCleanup writes to wake the persister.
const cleanupKey = "blust-mapping-version"
