package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrUnhealthy marks a Health error: the index folder is in a state in
// which the server can still answer from the open build, but a restart or
// the next reindex would fail.
var ErrUnhealthy = errors.New("index folder unhealthy")

// CheckServing checks that the folder is still fit to run build id on:
// the build present, CURRENT naming it or a newer one, and the folder
// writable (a reindex writes there, and so does opening a build at the
// next start). Each failure names the folder and the fix.
func (s *Store) CheckServing(id string) error {
	root := s.root
	if _, err := os.Stat(s.BlevePath(id)); err != nil {
		return fmt.Errorf("%w: %s: the serving build %s is gone from disk (%v); run with -reindex to rebuild it",
			ErrUnhealthy, root, id, errors.Unwrap(err))
	}
	if _, err := s.Current(); err != nil {
		return fmt.Errorf("%w: %v", ErrUnhealthy, err)
	}
	if err := probeWritable(root); err != nil {
		return fmt.Errorf("%w: %s is not writable (%v): a reindex would fail; make it writable again",
			ErrUnhealthy, root, err)
	}
	return nil
}

// probeWritable creates and removes a file: the only honest test, since
// permission bits say nothing to root and nothing about read-only mounts.
func probeWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(filepath.Clean(name))
}
