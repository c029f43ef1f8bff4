package build

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// mountTmpfs mounts a tmpfs of the given size (such as "8m") on a fresh
// folder and unmounts it at the end: a file system that really fills, so
// ENOSPC comes from the kernel, not from a stub. Mounting needs
// privileges; where there are none the test is skipped, saying so.
func mountTmpfs(tb testing.TB, size string) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0755"); err != nil {
		tb.Skipf("cannot mount a tmpfs here (%v); this fault needs a real file system limit (run as root, as CI does)", err)
	}
	tb.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	return dir
}

// fillDisk writes a file into dir until its file system has no room left
// and returns the file's path; removing the file frees the room again.
func fillDisk(tb testing.TB, dir string) string {
	tb.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		tb.Fatalf("fill %s: %v", dir, err)
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4 << 10, 1} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					tb.Fatalf("fill %s: %v", dir, err)
				}
				break
			}
		}
	}
	return name
}
