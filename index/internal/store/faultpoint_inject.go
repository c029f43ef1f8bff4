//go:build faultinject

package store

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// The fault tests (cmd/archive/faults_test.go) build the program with
// -tags faultinject to make a real disk fill at an exact stage of a full
// build: between batches and merge the timing is otherwise a matter of
// luck. Only this test build reads the variables; the program itself
// compiles FaultPoint to nothing (faultpoint.go).
//
//	ARCHIVE_FAULT_STAGE  the stage: batches, merge, manifest or current
//	ARCHIVE_FAULT_ACTION fill (default): fill the index's file system, so
//	                     the stage meets a real ENOSPC; hang: block for
//	                     ever, ignoring every context, as a stuck library
//	                     call would
//	ARCHIVE_FAULT_BATCH  posts per batch, so that a small test build has
//	                     several segments for its final merge
//
// The filler is the file .fault-filler in the index root. The fault fires
// once: while the filler exists, even emptied by the test to free the
// disk, the next build goes through.
func FaultPoint(s *Store, stage string) {
	if os.Getenv("ARCHIVE_FAULT_STAGE") != stage {
		return
	}
	if os.Getenv("ARCHIVE_FAULT_ACTION") == "hang" {
		select {}
	}
	filler := filepath.Join(s.root, ".fault-filler")
	if _, err := os.Stat(filler); err == nil {
		return
	}
	fillFileSystem(filler)
}

// fillFileSystem appends to path until its file system has no room left.
func fillFileSystem(path string) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4 << 10, 1} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					return
				}
				break
			}
		}
	}
}

// FaultBatchSize is ARCHIVE_FAULT_BATCH when set, else n.
func FaultBatchSize(n int) int {
	if b, err := strconv.Atoi(os.Getenv("ARCHIVE_FAULT_BATCH")); err == nil && b > 0 {
		return b
	}
	return n
}
