package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/render"
)

// BenchmarkSync measures the editor's paths on the generated corpus (the
// targets are for 10,000 posts: go test ./index -run '^$' -bench Sync
// -bench.posts 10000):
//
//   - startup-nochange: a server starting on an up-to-date index (open it,
//     sync the whole folder, find nothing to do); target ≤ 1 s.
//   - reindex-one-edit: archive -reindex after one post was edited (open,
//     whole-folder sync, one post re-indexed).
//   - watch-one-edit: the watcher's path in a running server (SyncFiles
//     with the edited file, then a search that sees the edit); target
//     ≤ 100 ms.
func BenchmarkSync(b *testing.B) {
	c := benchCorpus(b)
	store, err := NewStore(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	opts := SyncOptions{BuildOptions: BuildOptions{Content: os.DirFS(c.Dir), ContentDir: c.Dir, Renderer: render.New()}}
	start := time.Now()
	ix, built, err := openOrBuild(context.Background(), store, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d posts in %v", built.Posts, time.Since(start))
	ix.Close()
	edit := editor(b, c.Dir)

	b.Run("startup-nochange", func(b *testing.B) {
		for b.Loop() {
			rep := openAndSync(b, store, opts)
			if rep.Changed() || rep.Unchanged != c.Posts {
				b.Fatalf("sync of an unchanged folder: %+v", rep)
			}
		}
	})
	b.Run("reindex-one-edit", func(b *testing.B) {
		for b.Loop() {
			o := opts
			o.Content = edit.next()
			if rep := openAndSync(b, store, o); len(rep.Updated) != 1 || rep.Unchanged != c.Posts-1 {
				b.Fatalf("sync after one edit: %+v", rep)
			}
		}
	})
	b.Run("watch-one-edit", func(b *testing.B) {
		ix, err := Open(store, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer ix.Close()
		ctx := context.Background()
		if _, err := writerOf(ix).syncFolder(ctx, opts); err != nil { // the server's start-up sync
			b.Fatal(err)
		}
		for b.Loop() {
			o := opts
			o.Content = edit.next()
			rep, err := writerOf(ix).syncFiles(ctx, o, []string{edit.file})
			if err != nil || len(rep.Updated) != 1 {
				b.Fatalf("SyncFiles = %+v, %v", rep, err)
			}
			if res, err := ix.Search(ctx, Request{Query: edit.marker}); err != nil || res.Total != 1 {
				b.Fatalf("search for the edit %s: %+v, %v", edit.marker, res, err)
			}
		}
	})
}

func openAndSync(b *testing.B, store *Store, opts SyncOptions) *SyncReport {
	b.Helper()
	ix, err := Open(store, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	rep, err := writerOf(ix).syncFolder(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	return rep
}

// postEditor makes successive edits of one post, each with a new marker
// word, in an overlay over the corpus (which is shared and stays as it is).
type postEditor struct {
	dir, file, marker string
	orig              []byte
	n                 int
}

func editor(b *testing.B, dir string) *postEditor {
	b.Helper()
	files, _, err := post.Files(os.DirFS(dir))
	if err != nil || len(files) == 0 {
		b.Fatalf("corpus files: %v", err)
	}
	f := files[len(files)/2]
	orig, err := os.ReadFile(filepath.Join(dir, f))
	if err != nil {
		b.Fatal(err)
	}
	return &postEditor{dir: dir, file: f, orig: orig}
}

func (e *postEditor) next() *editedFS {
	e.n++
	e.marker = fmt.Sprintf("zqxsync%d", e.n)
	data := append(slices.Clip(e.orig), []byte("\n\nEdited: "+e.marker+".\n")...)
	return &editedFS{FS: os.DirFS(e.dir), name: e.file, data: data, mod: time.Now()}
}
