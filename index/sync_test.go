package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/changes"
	"github.com/blust/archive/index/internal/filestat"
	"github.com/blust/archive/index/internal/schema"
	layout "github.com/blust/archive/index/internal/store"
)

// folder is a content folder on disk for sync tests.
type folder struct {
	tb  testing.TB
	dir string
}

func newFolder(tb testing.TB, files map[string]string) *folder {
	tb.Helper()
	f := &folder{tb: tb, dir: tb.TempDir()}
	for name, body := range files {
		f.write(name, body)
	}
	return f
}

func (f *folder) write(name, body string) {
	f.tb.Helper()
	p := filepath.Join(f.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		f.tb.Fatal(err)
	}
}

func (f *folder) remove(name string) {
	f.tb.Helper()
	if err := os.RemoveAll(filepath.Join(f.dir, filepath.FromSlash(name))); err != nil {
		f.tb.Fatal(err)
	}
}

func (f *folder) rename(from, to string) {
	f.tb.Helper()
	dst := filepath.Join(f.dir, filepath.FromSlash(to))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		f.tb.Fatal(err)
	}
	if err := os.Rename(filepath.Join(f.dir, filepath.FromSlash(from)), dst); err != nil {
		f.tb.Fatal(err)
	}
}

func (f *folder) options() SyncOptions {
	return SyncOptions{BuildOptions: BuildOptions{Content: os.DirFS(f.dir), ContentDir: f.dir}}
}

func postText(title, body string) string {
	return fmt.Sprintf("---\ntitle: %s\ndate: 2021-03-04\n---\n\n%s\n", title, body)
}

// openSynced opens (building) an index of the folder the way a writer does.
func openSynced(tb testing.TB, f *folder) (*Store, *Index) {
	tb.Helper()
	store, err := NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	ix, rep, err := openOrBuild(context.Background(), store, f.options())
	if err != nil {
		tb.Fatalf("OpenOrBuild: %v", err)
	}
	if rep == nil || rep.Full != FullNoIndex {
		tb.Fatalf("first OpenOrBuild report = %+v, want a full build because there was no index", rep)
	}
	tb.Cleanup(func() { ix.Close() })
	return store, ix
}

func hitsFor(tb testing.TB, ix *Index, q string) []string {
	tb.Helper()
	res, err := ix.Search(context.Background(), Request{Query: q, Size: 100})
	if err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	return slugs(res.Hits)
}

// summary renders a report's counts compactly for comparisons.
func summary(r *SyncReport) string {
	var ren []string
	for _, x := range r.Renamed {
		ren = append(ren, x.From+">"+x.To)
	}
	var rej []string
	for _, p := range r.Rejected {
		rej = append(rej, p.File)
	}
	return fmt.Sprintf("added=%v updated=%v renamed=%v removed=%v unchanged=%d rejected=%v drafts=%v posts=%d",
		r.Added, r.Updated, ren, r.Removed, r.Unchanged, rej, r.Drafts, r.Posts)
}

var baseFiles = map[string]string{
	"alpha.md":       postText("Alpha", "aardvarks live here"),
	"beta.md":        postText("Beta", "beavers build dams"),
	"notes/gamma.md": "---\ntitle: Gamma\ndate: 2020-01-01\nslug: gamma\n---\n\ngnus graze\n",
}

// syncCase is one editing session: change the folder, then sync.
type syncCase struct {
	name   string
	change func(f *folder)
	files  []string // for SyncFiles: what a watcher would report
	want   string   // summary of the report
	find   map[string][]string
}

var syncCases = []syncCase{
	{name: "nothing changed", change: func(*folder) {},
		want: "added=[] updated=[] renamed=[] removed=[] unchanged=3 rejected=[] drafts=[] posts=3"},
	{name: "edit", change: func(f *folder) { f.write("beta.md", postText("Beta", "beavers and otters")) },
		files: []string{"beta.md"},
		want:  "added=[] updated=[beta] renamed=[] removed=[] unchanged=2 rejected=[] drafts=[] posts=3",
		find:  map[string][]string{"otters": {"beta"}, "dams": nil}},
	{name: "add", change: func(f *folder) { f.write("delta.md", postText("Delta", "dolphins")) },
		files: []string{"delta.md"},
		want:  "added=[delta] updated=[] renamed=[] removed=[] unchanged=3 rejected=[] drafts=[] posts=4",
		find:  map[string][]string{"dolphins": {"delta"}}},
	{name: "delete", change: func(f *folder) { f.remove("alpha.md") },
		files: []string{"alpha.md"},
		want:  "added=[] updated=[] renamed=[] removed=[alpha] unchanged=2 rejected=[] drafts=[] posts=2",
		find:  map[string][]string{"aardvarks": nil}},
	{name: "rename changes the slug", change: func(f *folder) { f.rename("alpha.md", "omega.md") },
		files: []string{"alpha.md", "omega.md"},
		want:  "added=[] updated=[] renamed=[alpha>omega] removed=[] unchanged=2 rejected=[] drafts=[] posts=3",
		find:  map[string][]string{"aardvarks": {"omega"}}},
	{name: "move keeps a front-matter slug", change: func(f *folder) { f.rename("notes/gamma.md", "gamma.md") },
		files: []string{"notes/gamma.md", "gamma.md"},
		want:  "added=[] updated=[] renamed=[gamma>gamma] removed=[] unchanged=2 rejected=[] drafts=[] posts=3",
		find:  map[string][]string{"gnus": {"gamma"}}},
	{name: "broken post leaves the index", change: func(f *folder) { f.write("beta.md", "---\ntitle: [oops\n---\n") },
		files: []string{"beta.md"},
		want:  "added=[] updated=[] renamed=[] removed=[beta] unchanged=2 rejected=[beta.md] drafts=[] posts=2",
		find:  map[string][]string{"beavers": nil}},
	{name: "draft leaves the index", change: func(f *folder) {
		f.write("beta.md", "---\ntitle: Beta\ndate: 2021-01-01\ndraft: true\n---\nbeavers\n")
	},
		files: []string{"beta.md"},
		want:  "added=[] updated=[] renamed=[] removed=[beta] unchanged=2 rejected=[] drafts=[beta.md] posts=2"},
	{name: "clashing slugs both index, the later file renamed", change: func(f *folder) {
		f.write("other.md", "---\ntitle: Other\ndate: 2021-01-01\nslug: beta\n---\nbadgers\n")
	},
		files: []string{"other.md"},
		want:  "added=[beta-2] updated=[] renamed=[] removed=[] unchanged=3 rejected=[] drafts=[] posts=4",
		find:  map[string][]string{"badgers": {"beta-2"}}},
	{name: "a clash with an earlier file renames the unchanged post", change: func(f *folder) {
		f.write("aardvark.md", "---\ntitle: Aardvark\ndate: 2021-01-01\nslug: beta\n---\nbadgers\n")
	},
		files: []string{"aardvark.md"},
		want:  "added=[beta-2] updated=[beta] renamed=[] removed=[] unchanged=2 rejected=[] drafts=[] posts=4",
		find:  map[string][]string{"badgers": {"beta"}}},
	{name: "temporary files are ignored", change: func(f *folder) {
		f.write(".beta.md.swp", "junk")
		f.write("beta.md~", "junk")
		f.write("_drafts/x.md", postText("X", "xylophones"))
	},
		files: []string{".beta.md.swp", "beta.md~", "_drafts/x.md", "_drafts"},
		want:  "added=[] updated=[] renamed=[] removed=[] unchanged=3 rejected=[] drafts=[] posts=3"},
	{name: "new subfolder", change: func(f *folder) { f.write("new/sub/eps.md", postText("Eps", "emus")) },
		files: []string{"new"},
		want:  "added=[eps] updated=[] renamed=[] removed=[] unchanged=3 rejected=[] drafts=[] posts=4",
		find:  map[string][]string{"emus": {"eps"}}},
	{name: "folder deleted", change: func(f *folder) { f.remove("notes") },
		files: []string{"notes"},
		want:  "added=[] updated=[] renamed=[] removed=[gamma] unchanged=2 rejected=[] drafts=[] posts=2"},
}

func TestSyncAppliesOnlyWhatChanged(t *testing.T) {
	for _, tc := range syncCases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFolder(t, baseFiles)
			_, ix := openSynced(t, f)
			tc.change(f)
			rep, err := writerOf(ix).syncFolder(context.Background(), f.options())
			if err != nil {
				t.Fatal(err)
			}
			checkSync(t, ix, f, rep, tc)
		})
	}
}

func TestSyncFilesAppliesWhatAWatcherReports(t *testing.T) {
	for _, tc := range syncCases {
		if tc.files == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			f := newFolder(t, baseFiles)
			_, ix := openSynced(t, f)
			if _, err := writerOf(ix).syncFolder(context.Background(), f.options()); err != nil {
				t.Fatal(err) // the start-up sync a server runs; it learns there are no clashes
			}
			tc.change(f)
			rep, err := writerOf(ix).syncFiles(context.Background(), f.options(), tc.files)
			if err != nil {
				t.Fatal(err)
			}
			checkSync(t, ix, f, rep, tc)
		})
	}
}

// checkSync compares the report, the searches, and the index state with a
// full build of the same folder: incremental and full must agree.
func checkSync(t *testing.T, ix *Index, f *folder, rep *SyncReport, tc syncCase) {
	t.Helper()
	if got := summary(rep); got != tc.want {
		t.Errorf("report:\n got %s\nwant %s", got, tc.want)
	}
	for q, want := range tc.find {
		if got := hitsFor(t, ix, q); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
	got, err := build.ReadState(context.Background(), ix.cur.idx)
	if err != nil {
		t.Fatal(err)
	}
	full := fullState(t, f)
	if fmt.Sprint(got) != fmt.Sprint(full) {
		t.Errorf("index after sync differs from a full build:\n got %v\nwant %v", got, full)
	}
	if m := ix.Manifest(); m.Fingerprint != changes.HashOf(full).String() || m.Posts != len(full) {
		t.Errorf("manifest = %+v, want the full build's fingerprint and %d posts", m, len(full))
	}
}

func fullState(t *testing.T, f *folder) changes.State {
	t.Helper()
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Build(context.Background(), f.options().BuildOptions); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, err := build.ReadState(context.Background(), ix.cur.idx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSyncNamesEachStateOfTheBuild(t *testing.T) {
	f := newFolder(t, baseFiles)
	_, ix := openSynced(t, f)
	first := ix.Manifest().Label()
	if _, err := writerOf(ix).syncFolder(context.Background(), f.options()); err != nil {
		t.Fatal(err)
	}
	if got := ix.Manifest().Label(); got != first {
		t.Errorf("a sync that changed nothing moved the label from %s to %s", first, got)
	}
	f.write("beta.md", postText("Beta", "beavers and otters"))
	rep, err := writerOf(ix).syncFolder(context.Background(), f.options())
	if err != nil {
		t.Fatal(err)
	}
	if want := first + ".1"; rep.Build != want || ix.Manifest().Label() != want {
		t.Errorf("label after one change = %s (report %s), want %s", ix.Manifest().Label(), rep.Build, want)
	}
	res, err := ix.Search(context.Background(), Request{Query: "otters"})
	if err != nil || res.BuildID != first+".1" {
		t.Errorf("search names build %q (%v), want %s.1", res.BuildID, err, first)
	}
}

func TestFullSyncBuildsBesideAndSwitches(t *testing.T) {
	f := newFolder(t, baseFiles)
	store, ix := openSynced(t, f)
	first := ix.Manifest().ID
	f.write("beta.md", postText("Beta", "beavers and otters"))
	opts := f.options()
	opts.Full = true
	rep, err := writerOf(ix).syncFolder(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	want := "added=[] updated=[beta] renamed=[] removed=[] unchanged=2 rejected=[] drafts=[] posts=3"
	if got := summary(rep); got != want || rep.Full != FullRequested {
		t.Errorf("report = %s (full %q), want %s (full %q)", got, rep.Full, want, FullRequested)
	}
	if ix.Manifest().ID == first || rep.Build != ix.Manifest().Label() {
		t.Errorf("still on build %s after a full sync (report says %s)", ix.Manifest().ID, rep.Build)
	}
	if _, err := os.Stat(store.s.BuildPath(first)); !os.IsNotExist(err) {
		t.Errorf("old build %s still on disk (err %v)", first, err)
	}
	if got := hitsFor(t, ix, "otters"); !slices.Equal(got, []string{"beta"}) {
		t.Errorf("otters = %v after the full sync", got)
	}
}

func TestMappingChangeForcesAFullBuild(t *testing.T) {
	f := newFolder(t, baseFiles)
	store, ix := openSynced(t, f)
	m := ix.Manifest()
	ix.Close()
	m.MappingVersion = schema.MappingVersion - 1
	if err := layout.WriteJSONFile(filepath.Join(store.s.BuildPath(m.ID), layout.ManifestFile), m); err != nil {
		t.Fatal(err)
	}
	ix2, rep, err := openOrBuild(context.Background(), store, f.options())
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if rep == nil || !strings.HasPrefix(rep.Full, FullMapping) || len(rep.Added) != 3 {
		t.Fatalf("report = %+v, want a full build because the mapping changed", rep)
	}
	if ix2.Manifest().ID == m.ID || ix2.Manifest().MappingVersion != schema.MappingVersion {
		t.Errorf("serving %+v, want a new build with mapping %d", ix2.Manifest(), schema.MappingVersion)
	}
}

func TestMissingBodiesForceAFullBuild(t *testing.T) {
	f := newFolder(t, baseFiles)
	store, ix := openSynced(t, f)
	id := ix.Manifest().ID
	ix.Close()
	if err := os.Remove(store.s.BodiesPath(id)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(store, nil); err == nil || !strings.Contains(err.Error(), store.s.BodiesPath(id)) {
		t.Errorf("Open without the bodies file: %v; want an error naming it", err)
	}
	ix2, rep, err := openOrBuild(context.Background(), store, f.options())
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if rep == nil || !strings.HasPrefix(rep.Full, FullNoBodies) || len(rep.Added) != 3 || ix2.Manifest().ID == id {
		t.Fatalf("report = %+v, want a new full build because the bodies file is missing", rep)
	}
	res, err := ix2.Search(context.Background(), Request{Query: "beavers", Fragments: 1})
	if err != nil || len(res.Hits) == 0 || len(res.Hits[0].Fragments) == 0 {
		t.Errorf("snippets after the rebuild: %+v, %v", res, err)
	}
}

func TestStatCacheTrustsOnlyUnchangedSettledFiles(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("A", "apples")})
	info := func() os.FileInfo {
		st, err := os.Stat(filepath.Join(f.dir, "a.md"))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	c := &filestat.Cache{Files: map[string]filestat.Entry{}}
	c.Remember("a.md", info(), "h1", time.Now())
	if _, ok := c.Lookup("a.md", info()); ok {
		t.Error("a file written just now was trusted")
	}
	later := time.Now().Add(time.Hour)
	c.Remember("a.md", info(), "h1", later)
	if h, ok := c.Lookup("a.md", info()); !ok || h != "h1" {
		t.Errorf("lookup of a settled file = %q, %v; want h1, true", h, ok)
	}
	f.write("a.md", postText("A", "apricots"))
	if _, ok := c.Lookup("a.md", info()); ok {
		t.Error("an edited file was still trusted")
	}
}

// TestStatCacheSavedOnlyWhenChanged: a sync that changed nothing leaves
// the cache file alone (at 100,000 posts it is 22 MB of JSON).
func TestStatCacheSavedOnlyWhenChanged(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("A", "apples")})
	st, err := os.Stat(filepath.Join(f.dir, "a.md"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(store.Root(), filestat.File)
	later := time.Now().Add(time.Hour)
	c := filestat.Load(store.Root(), f.dir)
	c.Remember("a.md", st, "h1", later)
	if err := c.Save(store.Root(), layout.WriteFileSynced); err != nil {
		t.Fatal(err)
	}
	c = filestat.Load(store.Root(), f.dir)
	if h, ok := c.Lookup("a.md", st); !ok || h != "h1" {
		t.Fatalf("saved cache lookup = %q, %v; want h1, true", h, ok)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	c.Remember("a.md", st, "h1", later)
	if err := c.Save(store.Root(), layout.WriteFileSynced); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an unchanged cache was written again (stat: %v)", err)
	}
	c.Remember("a.md", st, "h2", later)
	if err := c.Save(store.Root(), layout.WriteFileSynced); err != nil {
		t.Fatal(err)
	}
	if got := filestat.Load(store.Root(), f.dir).Files["a.md"].Hash; got != "h2" {
		t.Errorf("after a changed hash the saved cache holds %q, want h2", got)
	}
}
