package index

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// statCache remembers, per content file, the hash its bytes had when the
// file had a given size, mtime, ctime and inode, so a sync can skip
// reading files that did not change (as git's index does). It is only an
// accelerator: a missing or stale cache costs time, never correctness,
// because every entry is a fact about a file's bytes, not about the index.
type statCache struct {
	Content string               `json:"content"`
	Files   map[string]statEntry `json:"files"`
	// changed says an entry was added, replaced or dropped since the
	// cache was read: a sync that changed nothing does not rewrite it
	// (at 100,000 posts, 27 MB of indented JSON and 56 MB of garbage per start).
	changed bool
}

type statEntry struct {
	Size  int64  `json:"size"`
	Mtime int64  `json:"mtime"`
	Ctime int64  `json:"ctime,omitempty"`
	Ino   uint64 `json:"ino,omitempty"`
	Hash  string `json:"hash"`
}

const statCacheFile = "filestat.json"

// racyWindow keeps files changed this recently out of the cache: a second
// write within the clock's granularity could leave size and times as they
// were, with other bytes.
const racyWindow = 2 * time.Second

func (s *Store) loadStatCache(content string) *statCache {
	c := &statCache{Content: content, Files: map[string]statEntry{}}
	b, err := os.ReadFile(filepath.Join(s.root, statCacheFile))
	if err != nil {
		return c
	}
	var got statCache
	if json.Unmarshal(b, &got) != nil || got.Content != content || got.Files == nil {
		return c
	}
	return &got
}

func (s *Store) saveStatCache(c *statCache) error {
	if !c.changed {
		return nil
	}
	b, err := json.Marshal(c) // no indent: only syncs read it
	if err != nil {
		return err
	}
	if err := writeFileSynced(filepath.Join(s.root, statCacheFile), b); err != nil {
		return err
	}
	c.changed = false
	return nil
}

// statOf describes a file for the cache; ok is false when the file system
// gives no modification time, since then nothing would reveal an edit.
func statOf(info fs.FileInfo) (e statEntry, ok bool) {
	if info.ModTime().IsZero() {
		return e, false
	}
	e = statEntry{Size: info.Size(), Mtime: info.ModTime().UnixNano()}
	if st, isUnix := info.Sys().(*syscall.Stat_t); isUnix {
		e.Ctime = st.Ctim.Nano()
		e.Ino = st.Ino
	}
	return e, true
}

// lookup returns the cached hash of file if its stat still matches.
func (c *statCache) lookup(file string, info fs.FileInfo) (string, bool) {
	cur, ok := statOf(info)
	if c == nil || !ok {
		return "", false
	}
	old, found := c.Files[file]
	if !found || old.Size != cur.Size || old.Mtime != cur.Mtime || old.Ctime != cur.Ctime || old.Ino != cur.Ino {
		return "", false
	}
	return old.Hash, true
}

// remember records file's hash unless the file is too fresh to trust.
func (c *statCache) remember(file string, info fs.FileInfo, hash string, now time.Time) {
	e, ok := statOf(info)
	if c == nil {
		return
	}
	if !ok || now.Sub(info.ModTime()) < racyWindow || (e.Ctime != 0 && now.UnixNano()-e.Ctime < int64(racyWindow)) {
		if _, had := c.Files[file]; had {
			delete(c.Files, file)
			c.changed = true
		}
		return
	}
	e.Hash = hash
	if c.Files[file] != e {
		c.Files[file] = e
		c.changed = true
	}
}
