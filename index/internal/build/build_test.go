package build

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/blust/archive/index/internal/compact"
	"github.com/blust/archive/index/internal/schema"
)

// writeBatches puts n batches of a few documents into a fresh build's
// index, each on disk before the next (a fresh build's batches wait for
// the persister): a segment each.
func writeBatches(idx bleve.Index, n int) error {
	for b := range n {
		batch := idx.NewBatch()
		for i := range 40 {
			body := strings.Repeat(fmt.Sprintf("word%d peer%d storage%d ", i, b, i*b), 30)
			if err := batch.Index(fmt.Sprintf("d%d-%d", b, i), map[string]any{schema.FieldTitle: fmt.Sprintf("Post %d of batch %d", i, b), schema.FieldBody: body}); err != nil {
				return err
			}
		}
		if err := idx.Batch(batch); err != nil {
			return err
		}
	}
	return nil
}

// TestCompactFailsInTimeOnAFullDisk fills the disk between a fresh
// build's last batch and its final merge. bleve's ForceMerge waits only
// for a success it never gets while its merger retries the ENOSPC at full
// speed, so the build used to hang for ever holding the writer's lock. It
// must fail within a bound, naming the cause, and the index must close.
func TestCompactFailsInTimeOnAFullDisk(t *testing.T) {
	mnt := mountTmpfs(t, "16m")
	dir := filepath.Join(mnt, "bleve")
	m, err := schema.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	// As a fresh build, but scorch's merger leaves the small test
	// segments alone (its budget otherwise merges a few tiny segments
	// at once), so the final merge has several to merge.
	cfg := freshBuildConfig()
	cfg["scorchMergePlanOptions"] = map[string]interface{}{"MaxSegmentsPerTier": 1 << 20, "SegmentsPerMergeTask": 1 << 16, "FloorSegmentFileSize": 0, "FloorSegmentSize": 1}
	idx, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeBatches(idx, 6); err != nil {
		t.Fatal(err)
	}
	fillDisk(t, mnt)
	if n := liveSegments(t, idx); n < 2 {
		t.Fatalf("%d segments before the merge: nothing to merge, so the test proves nothing", n)
	}
	done := make(chan error, 1)
	go func() { done <- compact.Build(context.Background(), idx, dir) }()
	select {
	case err := <-done:
		t.Logf("compact said: %v", err)
		if err == nil || !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), dir) {
			t.Errorf("compact on a full disk = %v, want an error naming the folder and the full disk", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the final merge on a full disk was still running after 30s")
	}
	closed := make(chan error, 1)
	go func() { closed <- idx.Close() }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("closing the index after the failed merge was still running after 10s")
	}
}

// liveSegments counts the segments of idx's current snapshot.
func liveSegments(tb testing.TB, idx bleve.Index) int {
	tb.Helper()
	adv, err := idx.Advanced()
	if err != nil {
		tb.Fatal(err)
	}
	n, _ := adv.(*scorch.Scorch).StatsMap()["num_root_filesegments"].(uint64)
	return int(n)
}

// TestCancelledCompactFails cancels a fresh build's final merge: compact
// must say so. A cancelled merge ends bleve's ForceMerge with nil, which
// used to let a cancelled build be committed unmerged.
func TestCancelledCompactFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bleve")
	m, err := schema.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, freshBuildConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if err := writeBatches(idx, 3); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = compact.Build(ctx, idx, dir)
	if err == nil || !strings.Contains(err.Error(), "cancel") {
		t.Errorf("compact with a cancelled context = %v, want an error saying so", err)
	}
}
