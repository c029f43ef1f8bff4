package index

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/blust/archive/internal/post"
)

// The Writer is the only way to change an index root: one at a time, and
// only once it has opened the index.
func TestWriterIsTheOneWayToWrite(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("Alpha", "harbour cranes")})
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w, err := store.LockWriter()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Release()
	if _, err := store.LockWriter(); !errors.Is(err, ErrWriterBusy) {
		t.Errorf("a second LockWriter = %v, want ErrWriterBusy", err)
	}

	ctx := context.Background()
	before := []struct {
		name string
		call func() error
	}{
		{"Sync", func() error { _, err := w.Sync(ctx, f.options()); return err }},
		{"SyncFiles", func() error { _, err := w.SyncFiles(ctx, f.options(), []string{"a.md"}); return err }},
		{"SetSynonyms", func() error { return w.SetSynonyms(nil) }},
	}
	for _, tt := range before {
		if err := tt.call(); !errors.Is(err, errNotOpen) {
			t.Errorf("%s before Open = %v, want errNotOpen", tt.name, err)
		}
	}

	ix, rep, err := w.Open(ctx, f.options())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if rep == nil || rep.Full != FullNoIndex || rep.Posts != 1 {
		t.Fatalf("Open on an empty root = %+v, want a full build of 1 post", rep)
	}
	f.write("b.md", postText("Beta", "harbour lights"))
	srep, err := w.SyncFiles(ctx, f.options(), []string{"b.md"})
	if err != nil || len(srep.Added) != 1 {
		t.Fatalf("SyncFiles = %+v, %v; want b added", srep, err)
	}
	if got := hitsFor(t, ix, "lights"); len(got) != 1 || got[0] != "b" {
		t.Errorf("search lights after the sync = %v, want [b]", got)
	}
	if err := w.SetSynonyms([]post.SynonymGroup{{Terms: []string{"harbour", "port"}}}); err != nil {
		t.Fatalf("SetSynonyms: %v", err)
	}
	if got := hitsFor(t, ix, "port"); len(got) != 2 {
		t.Errorf("search port with harbour as its synonym = %v, want both posts", got)
	}

	w.Release()
	if w2, err := store.LockWriter(); err != nil {
		t.Errorf("LockWriter after Release = %v", err)
	} else {
		w2.Release()
	}
}

// testWriters are the Writers of the indexes tests opened, so that a
// test's syncs keep what the Writer knows between them, as a server's do.
var testWriters sync.Map // *Index -> *Writer

// writerOf is ix's Writer in a test, made on first use without the
// writer lock (the tests that need the lock take it themselves).
func writerOf(ix *Index) *Writer {
	if w, ok := testWriters.Load(ix); ok {
		return w.(*Writer)
	}
	w := &Writer{store: ix.store}
	w.attach(ix)
	testWriters.Store(ix, w)
	return w
}

// openOrBuild opens store's current build for writing, as Writer.Open
// does, without the writer lock.
func openOrBuild(ctx context.Context, store *Store, opts SyncOptions) (*Index, *SyncReport, error) {
	w := &Writer{store: store}
	ix, rep, err := w.Open(ctx, opts)
	if err == nil {
		testWriters.Store(ix, w)
	}
	return ix, rep, err
}
