package index

import "fmt"

// reopen throws away the serving build's in-memory state and opens it
// again from disk. After a write that failed half-way (a full disk), scorch
// keeps the segment it could not persist in its live snapshot, and every
// search that touches it panics inside bleve; the snapshot on disk holds
// only what was persisted, which is consistent. writeMu is held.
func (ix *Index) reopen() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	old := ix.cur
	ix.alias.Remove(old.idx)
	ix.closeBuild(old)
	nb, err := ix.store.open(old.id)
	if err != nil {
		// The alias stays empty: searches fail and /readyz says why,
		// instead of answering from a broken snapshot.
		return fmt.Errorf("reopen build %s after a failed write: %w", old.id, err)
	}
	ix.cur = nb
	ix.alias.Add(nb.idx)
	ix.log.Warn("reopened the index build from disk after a failed write", "build", nb.id)
	return nil
}
