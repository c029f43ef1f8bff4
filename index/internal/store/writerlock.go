package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrWriterBusy reports that another process holds an index root's writer
// lock: a server, or a reindex in progress.
var ErrWriterBusy = errors.New("another process is writing this index")

// WriterLock is an index root's writer lock, which one process holds at a
// time. The kernel drops it when its process dies, so a killed reindex
// leaves no stale lock.
type WriterLock struct{ f *os.File }

const writerLockFile = "writer.lock"

// LockWriter takes the writer lock without waiting. It fails with an
// error wrapping ErrWriterBusy when another process holds it.
func (s *Store) LockWriter() (*WriterLock, error) {
	f, err := os.OpenFile(filepath.Join(s.root, writerLockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index %s: writer lock: %w", s.root, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("index %s: %w", s.root, ErrWriterBusy)
		}
		return nil, fmt.Errorf("index %s: writer lock: %w", s.root, err)
	}
	return &WriterLock{f: f}, nil
}

// Release gives the lock up. It is safe to call more than once.
func (l *WriterLock) Release() {
	if l != nil && l.f != nil {
		l.f.Close()
		l.f = nil
	}
}
