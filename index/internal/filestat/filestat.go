// Package filestat remembers, per content file, the hash its bytes had
// when the file had a given size, mtime, ctime and inode, so a sync can
// skip reading files that did not change (as git's index does).
package filestat

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Cache is the stat cache of one content folder. It is only an
// accelerator: a missing or stale cache costs time, never correctness,
// because every entry is a fact about a file's bytes, not about the index.
type Cache struct {
	Content string           `json:"content"`
	Files   map[string]Entry `json:"files"`
	// changed says an entry was added, replaced or dropped since the
	// cache was read: a sync that changed nothing does not rewrite it
	// (at 100,000 posts, 27 MB of indented JSON and 56 MB of garbage per start).
	changed bool
}

// Entry is what the cache knows of one file.
type Entry struct {
	Size  int64  `json:"size"`
	Mtime int64  `json:"mtime"`
	Ctime int64  `json:"ctime,omitempty"`
	Ino   uint64 `json:"ino,omitempty"`
	Hash  string `json:"hash"`
}

// File is the cache's file in an index root.
const File = "filestat.json"

// racyWindow keeps files changed this recently out of the cache: a second
// write within the clock's granularity could leave size and times as they
// were, with other bytes.
const racyWindow = 2 * time.Second

// Load reads the cache of the content folder from the index root; a
// missing, unreadable or other folder's cache is an empty one.
func Load(root, content string) *Cache {
	c := &Cache{Content: content, Files: map[string]Entry{}}
	b, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		return c
	}
	var got Cache
	if json.Unmarshal(b, &got) != nil || got.Content != content || got.Files == nil {
		return c
	}
	return &got
}

// Save writes the cache into the index root with write (which makes the
// file durable), unless nothing changed since it was read.
func (c *Cache) Save(root string, write func(path string, data []byte) error) error {
	if !c.changed {
		return nil
	}
	b, err := json.Marshal(c) // no indent: only syncs read it
	if err != nil {
		return err
	}
	if err := write(filepath.Join(root, File), b); err != nil {
		return err
	}
	c.changed = false
	return nil
}

// statOf describes a file for the cache; ok is false when the file system
// gives no modification time, since then nothing would reveal an edit.
func statOf(info fs.FileInfo) (e Entry, ok bool) {
	if info.ModTime().IsZero() {
		return e, false
	}
	e = Entry{Size: info.Size(), Mtime: info.ModTime().UnixNano()}
	if st, isUnix := info.Sys().(*syscall.Stat_t); isUnix {
		e.Ctime = st.Ctim.Nano()
		e.Ino = st.Ino
	}
	return e, true
}

// Lookup returns the cached hash of file if its stat still matches.
func (c *Cache) Lookup(file string, info fs.FileInfo) (string, bool) {
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

// Remember records file's hash unless the file is too fresh to trust.
func (c *Cache) Remember(file string, info fs.FileInfo, hash string, now time.Time) {
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
