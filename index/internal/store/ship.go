package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/blust/archive/index/internal/schema"
)

// Shipping builds: archive pack copies a build's folder out of one index
// root, archive unpack installs it into another (a read replica's). The
// pack format itself lives in internal/pack; here is only what needs the
// store's layout and locks.

// ErrBuildPresent reports that the build to install is already in the
// store and current.
var ErrBuildPresent = errors.New("the build is already installed and current")

// Install puts a build made elsewhere into the store and makes it
// current. fill writes the build's files into dir (builds/<id>/), which is
// held locked meanwhile so that a server's Cleanup leaves it alone; a
// failed fill leaves nothing behind. The build must then be complete (its
// manifest names it, with this program's mapping version, and its index
// and bodies are there) before CURRENT names it, so a server polling
// CURRENT never sees a half-written build.
func (s *Store) Install(id string, fill func(dir string) error) error {
	if !ValidBuildID(id) {
		return fmt.Errorf("install build: %q is not a build id", truncate(id, 64))
	}
	if cur, err := s.Current(); err == nil && cur == id {
		return fmt.Errorf("install build %s into %s: %w", id, s.root, ErrBuildPresent)
	}
	dir := s.BuildPath(id)
	if _, err := os.Stat(dir); err == nil && !s.removeIfUnused(id) {
		return fmt.Errorf("install build %s: %s exists and is in use", id, dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("install build %s: %w", id, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("install build %s: %w", id, err)
	}
	lk, err := LockBuild(dir, true)
	if err != nil {
		return err
	}
	defer lk.Release()
	if err := s.fillAndCheck(id, fill); err != nil {
		os.RemoveAll(dir)
		return err
	}
	return s.Commit(id)
}

// fillAndCheck runs fill and checks what it wrote is a build this program
// can serve.
func (s *Store) fillAndCheck(id string, fill func(dir string) error) error {
	dir := s.BuildPath(id)
	if err := fill(dir); err != nil {
		return err
	}
	m, err := s.Manifest(id)
	if err != nil {
		return fmt.Errorf("install build %s: %w", id, err)
	}
	if m.ID != id {
		return fmt.Errorf("install build %s: its %s names build %q", id, ManifestFile, truncate(m.ID, 64))
	}
	if m.MappingVersion != schema.MappingVersion {
		return fmt.Errorf("install build %s: it has index mapping version %d, this program needs %d", id, m.MappingVersion, schema.MappingVersion)
	}
	for _, p := range []string{s.BlevePath(id), s.BodiesPath(id)} {
		if !exists(p) {
			return fmt.Errorf("install build %s: %s is missing", id, p)
		}
	}
	return syncDir(dir)
}
