package testshared

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fakeProc makes procRoot/PID/comm and procRoot/PID/fd/2, a link to
// target as /proc has, and returns procRoot.
func fakeProc(t *testing.T, comm, target string) string {
	t.Helper()
	proc := t.TempDir()
	fd := filepath.Join(proc, "42", "fd")
	if err := os.MkdirAll(fd, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proc, "42", "comm"), []byte(comm+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(fd, "2")); err != nil {
		t.Fatal(err)
	}
	return proc
}

func TestWriteVisibleGoesToTheGoCommandsStandardErrorOnly(t *testing.T) {
	const line = "testshared: index TestX skipped: needs ../shared/corpus\n"
	dir := t.TempDir()
	logFile := filepath.Join(dir, "ci.log")
	os.WriteFile(logFile, []byte("earlier output\n"), 0o644)
	sock := filepath.Join(dir, "journal.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	tests := []struct {
		name, comm, target string
		wantErr            bool
		wantFile, wantOwn  string
	}{
		{"go's stderr is a file: appended", "go", logFile, false, "earlier output\n" + line, ""},
		{"a versioned go command", "go1.26.8", logFile, false, "earlier output\n" + line, ""},
		{"a terminal-like character device", "go", os.DevNull, false, "earlier output\n", ""},
		{"a socket is left alone", "go", sock, true, "earlier output\n", ""},
		{"a folder is left alone", "go", dir, true, "earlier output\n", ""},
		{"a missing descriptor", "go", filepath.Join(dir, "gone"), true, "earlier output\n", ""},
		{"run by hand: the binary's own stderr", "bash", logFile, false, "earlier output\n", line},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.WriteFile(logFile, []byte("earlier output\n"), 0o644)
			var own bytes.Buffer
			err := writeVisible(fakeProc(t, tt.comm, tt.target), 42, &own, line)
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if b, _ := os.ReadFile(logFile); string(b) != tt.wantFile {
				t.Errorf("the log file holds %q, want %q", b, tt.wantFile)
			}
			if own.String() != tt.wantOwn {
				t.Errorf("own stderr got %q, want %q", own.String(), tt.wantOwn)
			}
		})
	}
	if err := writeVisible(t.TempDir(), 42, &bytes.Buffer{}, line); err == nil {
		t.Error("no parent process under the proc root, and no error")
	}
}

// helperEnv makes TestHelperSkipsOnMissingData act; the test below sets it
// for the go command it runs, never for itself.
const helperEnv = "TESTSHARED_HELPER"

func TestHelperSkipsOnMissingData(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("run by TestSkipLineIsVisibleWithoutV")
	}
	Dir(t, "no-such-folder-h-guide")
}

// TestSkipLineIsVisibleWithoutV runs `go test` on this package as a user
// would, with and without -v, and checks that the skip's one line reaches
// the go command's standard error exactly once, naming the package, the
// test and the folder.
func TestSkipLineIsVisibleWithoutV(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	want := regexp.MustCompile(`(?m)^testshared: internal/testshared TestHelperSkipsOnMissingData skipped: needs \.\./shared/no-such-folder-h-guide, which is not beside the repository$`)
	for _, tt := range []struct {
		name       string
		args       []string
		wantStderr int // lines written by announce
		wantOut    string
	}{
		{"package-list mode", []string{"test", "-count=1", "-run", "^TestHelperSkipsOnMissingData$", "."}, 1, "ok"},
		{"-v shows the skip itself", []string{"test", "-count=1", "-v", "-run", "^TestHelperSkipsOnMissingData$", "."}, 0, "--- SKIP: TestHelperSkipsOnMissingData"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, goCmd, tt.args...)
			cmd.Env = append(os.Environ(), helperEnv+"=1", RequireEnv+"=")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("go %s: %v\n%s\n%s", strings.Join(tt.args, " "), err, stdout.String(), stderr.String())
			}
			if n := len(want.FindAllString(stderr.String(), -1)); n != tt.wantStderr {
				t.Errorf("the skip line is on the go command's stderr %d times, want %d:\n%s", n, tt.wantStderr, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantOut) || strings.Contains(stdout.String(), "testshared: ") {
				t.Errorf("go test printed %q, want %q and no announced line", stdout.String(), tt.wantOut)
			}
		})
	}
}
