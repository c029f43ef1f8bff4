package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/blust/archive/internal/gen"
)

// archiveBinary builds the real program, for tests that must signal or
// kill it as a separate process.
func archiveBinary(tb testing.TB) string {
	tb.Helper()
	return archiveBinaryTags(tb, "")
}

// archiveBinaryTags builds the program with build tags, such as
// faultinject (see index/internal/store/faultpoint_inject.go).
func archiveBinaryTags(tb testing.TB, tags string) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "archive")
	out, err := exec.Command("go", "build", "-tags", tags, "-o", bin, ".").CombinedOutput()
	if err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is the program running as a child process.
type process struct {
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan error
}

// startProcess runs bin with args and, for a server, waits until /healthz
// answers at base (pass "" for a one-shot command).
func startProcess(tb testing.TB, bin, base string, args ...string) *process {
	tb.Helper()
	return startProcessEnv(tb, bin, base, nil, args...)
}

// startProcessEnv is startProcess with extra environment variables.
func startProcessEnv(tb testing.TB, bin, base string, env []string, args ...string) *process {
	tb.Helper()
	p := &process{cmd: exec.Command(bin, args...), logs: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	tb.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	if base == "" {
		return p
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			return p
		}
		select {
		case err := <-p.done:
			tb.Fatalf("server exited early (%v):\n%s", err, p.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	tb.Fatalf("server never answered; logs:\n%s", p.logs)
	return nil
}

// wait returns the exit status once the process ends (or fails the test
// after limit).
func (p *process) wait(tb testing.TB, limit time.Duration) int {
	tb.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		tb.Fatalf("process still running after %v; logs:\n%s", limit, p.logs)
		return -1
	}
}

// generatedContent writes n generated posts (1–2k words each) into a new
// folder, so a reindex takes long enough to be interrupted.
func generatedContent(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	g := gen.New(gen.DefaultSeed)
	for i := range n {
		slug, text := g.Post(i)
		if err := os.WriteFile(filepath.Join(dir, slug+".md"), text, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// mountTmpfs mounts a tmpfs of the given size (such as "4m") on a fresh
// folder and unmounts it at the end. Mounting needs privileges; where
// there are none the test is skipped, saying so.
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

// fillDisk writes a file that leaves about free bytes on dir's file
// system and returns its path.
func fillDisk(tb testing.TB, dir string, free int64) string {
	tb.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		tb.Fatal(err)
	}
	avail := int64(st.Bavail) * st.Bsize
	name := filepath.Join(dir, "filler")
	if avail > free {
		if err := os.WriteFile(name, make([]byte, avail-free), 0o644); err != nil {
			tb.Fatalf("fill %s: %v", dir, err)
		}
	}
	return name
}

// freezeDirs makes every folder under root unable to take new entries,
// or lifts that again. Permission bits do not stop root, and a read-only
// remount is refused (EBUSY) while the server holds index files open for
// writing, so as root this sets the immutable attribute, which stops root
// too; other users get chmod 0555. Files already open stay usable, as on a
// file system that turned read-only under a running process.
func freezeDirs(tb testing.TB, root string, frozen bool) {
	tb.Helper()
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if os.Geteuid() != 0 {
			mode := os.FileMode(0o755)
			if frozen {
				mode = 0o555
			}
			return os.Chmod(p, mode)
		}
		return setImmutable(p, frozen)
	})
	if err != nil {
		if frozen {
			tb.Skipf("cannot make %s read-only here (%v)", root, err)
		}
		tb.Fatalf("unfreeze %s: %v", root, err)
	}
}

// setImmutable sets or clears FS_IMMUTABLE_FL (chattr +i) on a folder.
func setImmutable(dir string, on bool) error {
	const (
		getFlags  = 0x80086601 // FS_IOC_GETFLAGS
		setFlags  = 0x40086602 // FS_IOC_SETFLAGS
		immutable = 0x00000010 // FS_IMMUTABLE_FL
	)
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	var flags int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), getFlags, uintptr(unsafe.Pointer(&flags))); e != 0 {
		return fmt.Errorf("get flags of %s: %w", dir, e)
	}
	if on {
		flags |= immutable
	} else {
		flags &^= immutable
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), setFlags, uintptr(unsafe.Pointer(&flags))); e != 0 {
		return fmt.Errorf("set flags of %s: %w", dir, e)
	}
	return nil
}

// builds lists the build folders of an index root.
func builds(tb testing.TB, idx string) []string {
	tb.Helper()
	entries, err := os.ReadDir(filepath.Join(idx, "builds"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// current reads the index root's CURRENT file.
func current(tb testing.TB, idx string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(idx, "CURRENT"))
	if err != nil {
		tb.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// waitFor polls check until it returns "" or limit passes, then fails
// with check's last complaint.
func waitFor(tb testing.TB, limit time.Duration, check func() string) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	var last string
	for time.Now().Before(deadline) {
		if last = check(); last == "" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("after %v: %s", limit, last)
}

// reindexArgs is the -reindex command line for content and idx.
func reindexArgs(content, idx string) []string {
	return []string{"-reindex", "-content", content, "-index", idx}
}

// runReindex runs -reindex (plus extra flags) in-process and returns its exit status and
// stderr.
func runReindex(tb testing.TB, content, idx string, extra ...string) (int, string) {
	tb.Helper()
	var errOut syncBuffer
	err := run(context.Background(), append(reindexArgs(content, idx), extra...), &syncBuffer{}, &errOut)
	msg := errOut.String()
	if err != nil {
		msg += fmt.Sprint(err)
	}
	return exitStatus(err), msg
}

// runReindexWithin is runReindex with a bound: a reindex still running
// after limit fails the test instead of hanging it.
func runReindexWithin(tb testing.TB, limit time.Duration, content, idx string, extra ...string) (int, string) {
	tb.Helper()
	type result struct {
		code int
		msg  string
	}
	done := make(chan result, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		var errOut syncBuffer
		err := run(ctx, append(reindexArgs(content, idx), extra...), &syncBuffer{}, &errOut)
		msg := errOut.String()
		if err != nil {
			msg += fmt.Sprint(err)
		}
		done <- result{exitStatus(err), msg}
	}()
	select {
	case r := <-done:
		return r.code, r.msg
	case <-time.After(limit):
		tb.Fatalf("-reindex %v still running after %v", extra, limit)
		return -1, ""
	}
}
