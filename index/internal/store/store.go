// Package store is an index root folder on disk: one folder per build
// under builds/, the CURRENT file naming the build that serves, each
// build's manifest, the locks that keep a build in use from being removed
// and a second writer out, recovery of a damaged CURRENT, the removal of
// abandoned builds, installing a build made elsewhere, and the folder's
// health. It knows the layout of a build, not what is in its files.
package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ErrNoIndex reports that an index root has no committed build yet.
var ErrNoIndex = errors.New("no index has been built yet")

// Store is an index root folder: builds/<id>/ holds each build and CURRENT
// names the one that serves.
type Store struct {
	root string
}

// Manifest describes one build. It is written into the build folder as
// manifest.json, so other processes can read it while a server holds the
// index itself locked.
type Manifest struct {
	ID             string    `json:"id"`
	BuiltAt        time.Time `json:"built_at"`
	MappingVersion int       `json:"mapping_version"`
	ContentDir     string    `json:"content_dir"`
	Fingerprint    string    `json:"fingerprint"`
	Posts          int       `json:"posts"`
	Rejected       int       `json:"rejected"`
	BuildSeconds   float64   `json:"build_seconds"` // load, render, index and compact; what /metrics reports as reindex duration
	// Generation counts the incremental syncs applied to the build since
	// it was made, so Label names each state the build passes through.
	Generation int       `json:"generation,omitempty"`
	SyncedAt   time.Time `json:"synced_at,omitzero"`
	// FieldLengths are the mean token counts of the scored fields when the
	// build was made, for BM25; incremental syncs leave them be.
	FieldLengths map[string]float64 `json:"field_lengths,omitempty"`
	// Vocab names the build's vocabulary file (index/internal/vocab), and
	// VocabChanges are the changes to its word counts that syncs made
	// since it was written.
	Vocab        string           `json:"vocab,omitempty"`
	VocabChanges map[string]int64 `json:"vocab_changes,omitempty"`
}

// Label names the exact state of the index a response came from: the
// build id, plus ".N" after the build's Nth incremental sync.
func (m Manifest) Label() string {
	if m.Generation == 0 {
		return m.ID
	}
	return fmt.Sprintf("%s.%d", m.ID, m.Generation)
}

// The names of the files and folders of an index root and its builds.
const (
	CurrentFile  = "CURRENT"
	BuildsDir    = "builds"
	ManifestFile = "manifest.json"
	BodiesFile   = "bodies"
	lockFile     = "build.lock"
	BleveDir     = "bleve"
)

// New opens (creating if needed) the index root folder.
func New(root string) (*Store, error) {
	if root == "" {
		return nil, errors.New("index folder: empty path")
	}
	if err := os.MkdirAll(filepath.Join(root, BuildsDir), 0o755); err != nil {
		return nil, fmt.Errorf("index folder %s: %w", root, err)
	}
	return &Store{root: root}, nil
}

// Root is the folder the store lives in.
func (s *Store) Root() string { return s.root }

// Current returns the id of the serving build, or ErrNoIndex. A CURRENT
// that names no build (damaged, or its build deleted) is a
// *badCurrentError, which a writer mends with RepairCurrent.
func (s *Store) Current() (string, error) {
	b, err := os.ReadFile(filepath.Join(s.root, CurrentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNoIndex
	}
	if err != nil {
		return "", fmt.Errorf("index folder %s: read %s: %w", s.root, CurrentFile, err)
	}
	id := strings.TrimSpace(string(b))
	if !ValidBuildID(id) {
		return "", &badCurrentError{root: s.root, what: fmt.Sprintf("names %q, which is not a build", truncate(id, 64))}
	}
	if _, err := os.Stat(s.BlevePath(id)); errors.Is(err, fs.ErrNotExist) {
		return "", &badCurrentError{root: s.root, what: "names build " + id + ", which is missing"}
	} else if err != nil {
		return "", fmt.Errorf("index folder %s: current build %s: %w", s.root, id, err)
	}
	return id, nil
}

// badCurrentError is a CURRENT file that names no build.
type badCurrentError struct{ root, what string }

func (e *badCurrentError) Error() string {
	return fmt.Sprintf("index folder %s: %s %s; start the server or run archive -reindex, which recover the newest complete build",
		e.root, CurrentFile, e.what)
}

// truncate cuts s to at most n bytes for a message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// RepairCurrent mends a CURRENT file that is missing or names no build by
// pointing it at the newest complete build (one with its manifest, index
// and bodies), and says what it did; "" when there was nothing to mend.
// With no complete build, a damaged CURRENT is moved aside to
// CURRENT.damaged, so the folder reads as having no index and the next
// build makes one. No build is ever deleted here. The caller holds the
// writer lock, so no build is being written meanwhile.
func (s *Store) RepairCurrent() (string, error) {
	_, err := s.Current()
	var bad *badCurrentError
	if err == nil || !(errors.As(err, &bad) || errors.Is(err, ErrNoIndex)) {
		return "", nil // fine, or unreadable: nothing here can mend that
	}
	id, ok := s.newestComplete()
	switch {
	case ok:
		if cerr := s.Commit(id); cerr != nil {
			return "", fmt.Errorf("recover %s: %w", CurrentFile, cerr)
		}
		if bad == nil {
			return fmt.Sprintf("%s was missing; it now names the newest complete build, %s", CurrentFile, id), nil
		}
		return fmt.Sprintf("%s %s; it now names the newest complete build, %s", CurrentFile, bad.what, id), nil
	case bad == nil:
		return "", nil // no index at all: the first build makes one
	}
	aside := filepath.Join(s.root, CurrentFile+".damaged")
	if rerr := os.Rename(filepath.Join(s.root, CurrentFile), aside); rerr != nil {
		return "", fmt.Errorf("recover %s: %w", CurrentFile, rerr)
	}
	return fmt.Sprintf("%s %s, and no complete build is left; moved it to %s, so a new build is made", CurrentFile, bad.what, aside), nil
}

// newestComplete finds the newest build that could serve: its manifest
// reads and names it, and its index and bodies are there.
func (s *Store) newestComplete() (string, bool) {
	entries, err := os.ReadDir(filepath.Join(s.root, BuildsDir))
	if err != nil {
		return "", false
	}
	var best Manifest
	for _, e := range entries {
		id := e.Name()
		if !e.IsDir() || !ValidBuildID(id) {
			continue
		}
		m, err := s.Manifest(id)
		if err != nil || m.ID != id {
			continue
		}
		if !exists(s.BlevePath(id)) || !exists(s.BodiesPath(id)) {
			continue
		}
		if best.ID == "" || m.BuiltAt.After(best.BuiltAt) || m.BuiltAt.Equal(best.BuiltAt) && id > best.ID {
			best = m
		}
	}
	return best.ID, best.ID != ""
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Manifest reads a build's manifest.
func (s *Store) Manifest(id string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(s.BuildPath(id), ManifestFile))
	if err != nil {
		return m, fmt.Errorf("build %s: %w", id, err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("build %s: %s: %w", id, ManifestFile, err)
	}
	return m, nil
}

// BuildPath is the folder holding build id's files (its manifest, bleve
// index and bodies).
func (s *Store) BuildPath(id string) string { return filepath.Join(s.root, BuildsDir, id) }

// BlevePath is build id's bleve index.
func (s *Store) BlevePath(id string) string { return filepath.Join(s.BuildPath(id), BleveDir) }

// BodiesPath is build id's bodies file.
func (s *Store) BodiesPath(id string) string { return filepath.Join(s.BuildPath(id), BodiesFile) }

// Commit makes id the serving build. The rename is atomic, so readers of
// CURRENT see the old name or the new one, never a torn write.
func (s *Store) Commit(id string) error {
	if err := WriteFileSynced(filepath.Join(s.root, CurrentFile), []byte(id+"\n")); err != nil {
		return fmt.Errorf("switch to build %s: %w", id, err)
	}
	return syncDir(s.root)
}

// NewBuild creates an empty build folder and holds its lock exclusively
// until the returned lock is released, so Cleanup leaves it alone.
func (s *Store) NewBuild() (string, *BuildLock, error) {
	id := NewBuildID(time.Now())
	if err := os.MkdirAll(s.BuildPath(id), 0o755); err != nil {
		return "", nil, fmt.Errorf("new build: %w", err)
	}
	lk, err := LockBuild(s.BuildPath(id), true)
	if err != nil {
		return "", nil, err
	}
	return id, lk, nil
}

// Cleanup removes builds that are neither current nor in use by any
// process (a server holds a shared lock on the build it serves; a build in
// progress holds an exclusive one). Leftovers of a killed reindex go here.
// While CURRENT names no build, only incomplete builds (no manifest) are
// removed: the others may be the one to recover (see RepairCurrent).
func (s *Store) Cleanup() (removed []string) {
	cur, err := s.Current()
	var bad *badCurrentError
	if err != nil && !errors.Is(err, ErrNoIndex) && !errors.As(err, &bad) {
		return nil // CURRENT unreadable: which build serves is unknown
	}
	entries, err := os.ReadDir(filepath.Join(s.root, BuildsDir))
	if err != nil {
		return nil
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == cur {
			continue
		}
		if cur == "" && exists(filepath.Join(s.BuildPath(e.Name()), ManifestFile)) {
			continue
		}
		if s.removeIfUnused(e.Name()) {
			removed = append(removed, e.Name())
		}
	}
	return removed
}

func (s *Store) removeIfUnused(id string) bool {
	lk, err := tryLockBuild(s.BuildPath(id))
	if err != nil || lk == nil {
		return false
	}
	defer lk.Release()
	return os.RemoveAll(s.BuildPath(id)) == nil
}

// BuildLock is an advisory flock on a build's lock file: shared by each
// process serving the build, exclusive while it is written or removed.
type BuildLock struct{ f *os.File }

// LockBuild locks the build in folder dir without waiting.
func LockBuild(dir string, exclusive bool) (*BuildLock, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock build %s: %w", filepath.Base(dir), err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock build %s: %w", filepath.Base(dir), err)
	}
	return &BuildLock{f: f}, nil
}

// tryLockBuild returns nil, nil when someone else holds the lock.
func tryLockBuild(dir string) (*BuildLock, error) {
	lk, err := LockBuild(dir, true)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, nil
	}
	return lk, err
}

// Release gives the lock up; it is safe to call more than once.
func (l *BuildLock) Release() {
	if l != nil && l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

// NewBuildID is a fresh build id: the time it was made, then random
// letters, so that ids sort by age.
func NewBuildID(t time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return t.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// ValidBuildID says id has the shape of a build id, so it is safe as a
// folder name under builds/.
func ValidBuildID(id string) bool {
	if len(id) != len("20060102T150405-abcdef") {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r == 'T' || r == '-') {
			return false
		}
	}
	return true
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// WriteFileSynced replaces path with data through a synced temporary file
// and a rename, so readers see the old content or the new, never a torn
// write, even after a crash.
func WriteFileSynced(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// WriteJSONFile writes v as indented JSON through WriteFileSynced: a
// manifest must be on disk before the CURRENT that names its build is.
func WriteJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileSynced(path, append(b, '\n'))
}
