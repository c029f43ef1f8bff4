package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// session runs a watcher on a temp folder and collects its bursts.
type session struct {
	t      *testing.T
	dir    string
	bursts chan []string
}

func start(t *testing.T, setup func(dir string)) *session {
	t.Helper()
	s := &session{t: t, dir: t.TempDir(), bursts: make(chan []string, 100)}
	if setup != nil {
		setup(s.dir)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ready := make(chan struct{})
	go func() {
		w, err := newWatcher(s.dir, Options{Quiet: 50 * time.Millisecond})
		close(ready)
		if err != nil {
			done <- err
			return
		}
		defer w.fs.Close()
		done <- w.loop(ctx, func(p []string) { s.bursts <- p })
	}()
	<-ready
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("watch: %v", err)
		}
	})
	return s
}

func (s *session) path(rel string) string { return filepath.Join(s.dir, filepath.FromSlash(rel)) }

func (s *session) write(rel, text string) {
	s.t.Helper()
	if err := os.MkdirAll(filepath.Dir(s.path(rel)), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(s.path(rel), []byte(text), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// waitFor collects bursts until every wanted path has been reported.
// The deadline only turns a hang into a failure.
func (s *session) waitFor(want ...string) []string {
	s.t.Helper()
	var got []string
	deadline := time.After(10 * time.Second)
	for {
		missing := slices.DeleteFunc(slices.Clone(want), func(w string) bool { return slices.Contains(got, w) })
		if len(missing) == 0 {
			return got
		}
		select {
		case b := <-s.bursts:
			got = append(got, b...)
		case <-deadline:
			s.t.Fatalf("never reported %v; got %v", missing, got)
		}
	}
}

func TestWatchReportsEditorSaves(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *session)
		act   func(s *session)
		want  []string
	}{
		{"plain write", nil, func(s *session) { s.write("a.md", "x") }, []string{"a.md"}},
		{"temp file renamed over the post", func(s *session) { s.write("a.md", "old") }, func(s *session) {
			s.write(".a.md.tmp", "new")
			if err := os.Rename(s.path(".a.md.tmp"), s.path("a.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"a.md"}},
		{"truncate then write", func(s *session) { s.write("a.md", "old text") }, func(s *session) {
			f, err := os.OpenFile(s.path("a.md"), os.O_WRONLY|os.O_TRUNC, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("new")
			f.Close()
		}, []string{"a.md"}},
		{"delete", func(s *session) { s.write("a.md", "x") }, func(s *session) { os.Remove(s.path("a.md")) }, []string{"a.md"}},
		{"rename", func(s *session) { s.write("a.md", "x") }, func(s *session) {
			os.Rename(s.path("a.md"), s.path("b.md"))
		}, []string{"a.md", "b.md"}},
		{"new subfolder, then a post in it", nil, func(s *session) {
			s.write("new/deeper/c.md", "x")
			s.waitFor("new")
			s.write("new/deeper/d.md", "y") // the new folder is watched now
		}, []string{"new/deeper/d.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s *session
			s = start(t, func(dir string) {
				if tt.setup != nil {
					tmp := &session{t: t, dir: dir}
					tt.setup(tmp)
				}
			})
			tt.act(s)
			s.waitFor(tt.want...)
		})
	}
}

func TestWatchGathersABurstIntoOneCall(t *testing.T) {
	s := start(t, nil)
	for i := range 20 {
		s.write(filepath.Join("burst", strings.Repeat("x", i+1)+".md"), "x")
	}
	got := s.waitFor("burst")
	if len(got) > 21 {
		t.Errorf("a burst of 20 files in one new folder was reported as %d paths", len(got))
	}
}

func TestWatchFollowsARenamedFolder(t *testing.T) {
	s := start(t, func(dir string) {
		os.MkdirAll(filepath.Join(dir, "old"), 0o755)
	})
	if err := os.Rename(s.path("old"), s.path("new")); err != nil {
		t.Fatal(err)
	}
	s.waitFor("old", "new")
	s.write("new/e.md", "x")
	got := s.waitFor("new/e.md")
	if slices.Contains(got, "old/e.md") {
		t.Errorf("an edit in the renamed folder was reported under its old name: %v", got)
	}
}
