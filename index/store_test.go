package index

import (
	"context"
	"encoding/json"
	layout "github.com/blust/archive/index/internal/store"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// copyBuild copies build id as a complete build made a day earlier, under
// a new id, and returns that id.
func copyBuild(tb testing.TB, s *Store, id string) string {
	tb.Helper()
	m, err := s.Manifest(id)
	if err != nil {
		tb.Fatal(err)
	}
	m.BuiltAt = m.BuiltAt.Add(-24 * time.Hour)
	m.ID = layout.NewBuildID(m.BuiltAt)
	if err := os.CopyFS(s.s.BuildPath(m.ID), os.DirFS(s.s.BuildPath(id))); err != nil {
		tb.Fatal(err)
	}
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(s.s.BuildPath(m.ID), layout.ManifestFile), b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return m.ID
}

func buildIDs(tb testing.TB, s *Store) []string {
	tb.Helper()
	entries, err := os.ReadDir(filepath.Join(s.Root(), layout.BuildsDir))
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.Name())
	}
	return ids
}

// TestDamagedCurrentKeepsEveryBuild damages CURRENT in each way a disk or
// a hand can: no cleanup may delete a build for it (it used to delete them
// all, reading the error as "no build"), and the writer's next start
// serves the newest complete build again, without rebuilding.
func TestDamagedCurrentKeepsEveryBuild(t *testing.T) {
	cases := []struct{ name, current string }{
		{"garbage", "not a build\n"},
		{"empty", ""},
		{"control bytes", "\x00\xff\x1b[31m\n"},
		{"torn id", "20261207T0904"},
		{"missing build", "20200101T000000-abcdef\n"},
		{"deleted", ""}, // no CURRENT file at all
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFolder(t, map[string]string{"a.md": postText("Alpha", "peers share storage"), "b.md": postText("Beta", "storage again")})
			store, ix := openSynced(t, f)
			newest := ix.Manifest().ID
			ix.Close()
			older := copyBuild(t, store, newest)
			cur := filepath.Join(store.Root(), layout.CurrentFile)
			var err error
			if tc.name == "deleted" {
				err = os.Remove(cur)
			} else {
				err = os.WriteFile(cur, []byte(tc.current), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}

			if removed := store.Cleanup(); len(removed) != 0 {
				t.Fatalf("Cleanup with a damaged CURRENT removed %v", removed)
			}
			if _, err := Open(store, nil); err == nil || tc.name != "deleted" && !strings.Contains(err.Error(), "-reindex") {
				t.Errorf("Open with a damaged CURRENT = %v, want an error naming the fix", err)
			}
			if got := buildIDs(t, store); !slices.Contains(got, newest) || !slices.Contains(got, older) {
				t.Fatalf("builds after opening = %v, want %s and %s kept", got, older, newest)
			}

			ix2, rep, err := openOrBuild(context.Background(), store, f.options())
			if err != nil {
				t.Fatalf("OpenOrBuild with a damaged CURRENT: %v", err)
			}
			defer ix2.Close()
			if rep != nil {
				t.Errorf("OpenOrBuild rebuilt (%s); want the newest complete build recovered", rep.Full)
			}
			if got := ix2.Manifest().ID; got != newest {
				t.Errorf("serving %s, want the newest complete build %s", got, newest)
			}
			if got, err := store.Current(); got != newest {
				t.Errorf("CURRENT after recovery = %q %v, want %s", got, err, newest)
			}
			if got := hitsFor(t, ix2, "storage"); len(got) != 2 {
				t.Errorf("search after recovery = %v, want both posts", got)
			}
		})
	}
}

// TestDamagedCurrentWithNoBuildLeftBuildsAgain: with nothing to recover,
// the damaged CURRENT is kept aside and the writer builds a new index.
func TestDamagedCurrentWithNoBuildLeftBuildsAgain(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("Alpha", "peers share storage")})
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(store.Root(), layout.CurrentFile), []byte("rubbish\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, rep, err := openOrBuild(context.Background(), store, f.options())
	if err != nil {
		t.Fatalf("OpenOrBuild: %v", err)
	}
	defer ix.Close()
	if rep == nil || rep.Full != FullNoIndex {
		t.Errorf("report = %+v, want a full build", rep)
	}
	if b, err := os.ReadFile(filepath.Join(store.Root(), layout.CurrentFile+".damaged")); err != nil || string(b) != "rubbish\n" {
		t.Errorf("CURRENT.damaged = %q %v, want the damaged file kept", b, err)
	}
}

// TestWriterRecoversCurrentDamagedWhileServing damages CURRENT under a
// running writer: its next reload points CURRENT at the build it serves.
func TestWriterRecoversCurrentDamagedWhileServing(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("Alpha", "peers share storage")})
	store, ix := openSynced(t, f)
	serving := ix.Manifest().ID
	if err := os.WriteFile(filepath.Join(store.Root(), layout.CurrentFile), []byte("\x1b[2J"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ix.Health(); err == nil {
		t.Error("Health with a damaged CURRENT = nil, want it reported")
	}
	if _, err := ix.Reload(); err != nil {
		t.Fatalf("Reload with a damaged CURRENT: %v", err)
	}
	if got, err := store.Current(); got != serving {
		t.Errorf("CURRENT after the reload = %q %v, want %s", got, err, serving)
	}
	if err := ix.Health(); err != nil {
		t.Errorf("Health after the recovery = %v", err)
	}
}
