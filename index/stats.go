package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"
)

// Stats describes the serving build for people who cite or compare it.
type Stats struct {
	Manifest
	DocCount    uint64
	SizeBytes   int64     // the build's files on disk
	First, Last time.Time // dates of the oldest and newest post; zero when empty
}

// Stats reads the serving build's manifest, post count, size on disk and
// date span. It fails only on I/O errors.
func (ix *Index) Stats(ctx context.Context) (*Stats, error) {
	ix.mu.RLock()
	man := ix.cur.manifest
	ix.mu.RUnlock()
	n, err := ix.alias.DocCount()
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	size, err := dirSize(ix.store.s.BuildPath(man.ID))
	if err != nil {
		return nil, fmt.Errorf("stats: size of build %s: %w", man.ID, err)
	}
	st := &Stats{Manifest: man, DocCount: n, SizeBytes: size}
	first, last, ok, err := ix.span(ctx)
	if err != nil {
		return nil, err
	}
	if ok {
		st.First, st.Last = first, last
	}
	return st, nil
}

// dirSize adds up the sizes of the regular files under dir. Files that
// vanish while it walks (scorch merges segments) are skipped.
func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}
