package testshared

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// announce writes one line naming the test and what happened to it where
// the person running the tests sees it, even without -v. Under -v (and
// -json) the test's own output already shows the skip or the log line, so
// it writes nothing. If the line cannot be written, the test's log says
// why; the skip itself is never affected.
func announce(tb testing.TB, what string) {
	_, pkg, err := root()
	if err != nil {
		pkg = "?"
	}
	line := fmt.Sprintf("testshared: %s %s %s\n", pkg, tb.Name(), what)
	if a, ok := tb.(announcer); ok {
		a.announce(line)
		return
	}
	if testing.Verbose() {
		return
	}
	if err := writeVisible("/proc", os.Getppid(), os.Stderr, line); err != nil {
		tb.Logf("could not show %q outside the test's output: %v", strings.TrimSpace(line), err)
	}
}

// announcer is a stand-in test that takes the line itself (this package's
// tests use one).
type announcer interface{ announce(line string) }

// writeVisible writes line, in one write, to the standard error of the go
// command that runs this test binary: in package-list mode (go test
// ./...) the go command keeps the binary's own output, and shows it only
// for a failure, but its own standard error is the terminal or the CI
// log. The parent's descriptor is reopened through procRoot (/proc on
// Linux), and only when it is a terminal or other character device, a
// pipe, or a regular file (appended to); never a socket or anything else.
// When the parent is not the go command (the binary was run by hand, or
// by another tool), the binary's own standard error, own, is the place.
func writeVisible(procRoot string, ppid int, own io.Writer, line string) error {
	dir := filepath.Join(procRoot, strconv.Itoa(ppid))
	comm, err := os.ReadFile(filepath.Join(dir, "comm"))
	if err != nil {
		return fmt.Errorf("the parent process: %w", err)
	}
	if !isGoCommand(strings.TrimSpace(string(comm))) {
		_, err := io.WriteString(own, line)
		return err
	}
	fd := filepath.Join(dir, "fd", "2")
	fi, err := os.Stat(fd)
	if err != nil {
		return fmt.Errorf("the go command's standard error: %w", err)
	}
	if m := fi.Mode(); m&(os.ModeCharDevice|os.ModeNamedPipe) == 0 && !m.IsRegular() {
		return fmt.Errorf("the go command's standard error %s is a %v, not a terminal, pipe or file", fd, m.Type())
	}
	// O_NONBLOCK: a pipe nobody reads any more must not hang the test.
	f, err := os.OpenFile(fd, os.O_WRONLY|os.O_APPEND|syscall.O_NONBLOCK, 0)
	if err != nil {
		return fmt.Errorf("the go command's standard error: %w", err)
	}
	_, werr := io.WriteString(f, line)
	return errors.Join(werr, f.Close())
}

// isGoCommand reports whether a process name (/proc/PID/comm) is the go
// command: "go", or a versioned one from golang.org/dl ("go1.26.8").
func isGoCommand(comm string) bool {
	return comm == "go" || strings.HasPrefix(comm, "go1.")
}
