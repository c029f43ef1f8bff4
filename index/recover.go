package index

import "fmt"

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
