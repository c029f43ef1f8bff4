package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/blust/archive/index/internal/bodies"
	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/schema"
)

// Bodies are not in bleve's stored fields; snippets and related posts
// read them from the bodies file through the stored reference.
func TestBodiesLiveOutsideBleve(t *testing.T) {
	store, ix, _ := buildTestIndex(t, testContent(t))
	const slug = "filecoin-markets"
	r, err := build.SnapshotReader(ix.cur.idx)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := r.Document(slug)
	if err != nil || doc == nil {
		t.Fatalf("Document(%s) = %v, %v", slug, doc, err)
	}
	stored := map[string]string{}
	doc.VisitFields(func(f bleveidx.Field) {
		if tf, ok := f.(bleveidx.TextField); ok {
			stored[f.Name()] = tf.Text()
		}
	})
	r.Close()
	if _, ok := stored[schema.FieldBody]; ok {
		t.Errorf("bleve stores the body: %q", stored[schema.FieldBody])
	}
	ref, err := bodies.ParseRef(stored[schema.FieldBodyRef])
	if err != nil {
		t.Fatalf("stored body reference: %v", err)
	}
	body, secs, err := schema.ReadBody(ix.cur.bodies.File, stored[schema.FieldBodyRef])
	if err != nil || !strings.Contains(body, "Filecoin storage deals pay miners in FIL.") || !strings.Contains(secs, `"h":"Deals"`) {
		t.Fatalf("body at %v = %q, %q, %v", ref, body, secs, err)
	}
	if _, ok := stored[schema.FieldSections]; ok {
		t.Errorf("bleve stores the sections: %q", stored[schema.FieldSections])
	}

	res, err := ix.Search(context.Background(), Request{Query: "miners", Fragments: 1})
	if err != nil || len(res.Hits) != 1 || len(res.Hits[0].Fragments) != 1 {
		t.Fatalf("search: %+v, %v", res, err)
	}
	if got := res.Hits[0].Fragments[0]; !strings.Contains(got.HTML, "<mark>miners</mark> in FIL") || got.Heading != "Deals" {
		t.Errorf("snippet %+v is not made of the body and its sections", got)
	}

	// A damaged record is reported, naming the file, not shown.
	path := store.s.BodiesPath(ix.Manifest().ID)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[ref.Off+int64(ref.Len)-1] ^= 0xff
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ix.Search(context.Background(), Request{Query: "miners", Fragments: 1})
	if !errors.Is(err, bodies.ErrDamaged) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), slug) {
		t.Errorf("search over a damaged body: %v; want ErrDamaged naming %s and the post", err, path)
	}
	if _, err := ix.Related(context.Background(), slug, 3); !errors.Is(err, bodies.ErrDamaged) {
		t.Errorf("related posts of a damaged body: %v; want ErrDamaged", err)
	}
	// Without snippets nothing reads the body.
	if res, err := ix.Search(context.Background(), Request{Query: "miners"}); err != nil || res.Total != 1 {
		t.Errorf("search without snippets: %+v, %v", res, err)
	}
}

// An edit appends its body; the snippet shows the new text, and the
// vocabulary forgets the old one's words.
func TestSyncAppendsBodies(t *testing.T) {
	content := testContent(t)
	store, ix, _ := buildTestIndex(t, content)
	path := store.s.BodiesPath(ix.Manifest().ID)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	content["filecoin-markets.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Storage markets on Filecoin\ndate: 2021-06-01\n---\n\nRetrieval markets pay providers in zebracoins.\n")}
	if _, err := writerOf(ix).syncFolder(context.Background(), SyncOptions{BuildOptions: BuildOptions{Content: content, ContentDir: "content"}}); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil || after.Size() <= before.Size() {
		t.Fatalf("bodies file %d bytes before the edit, %d after (%v)", before.Size(), after.Size(), err)
	}
	res, err := ix.Search(context.Background(), Request{Query: "zebracoins", Fragments: 1})
	if err != nil || len(res.Hits) != 1 || !strings.Contains(res.Hits[0].Fragments[0].HTML, "<mark>zebracoins</mark>") {
		t.Fatalf("search for the edit: %+v, %v", res, err)
	}
	checkVocab(t, ix, map[string]uint64{"miner": 0})
}

// A search that holds a build's bodies keeps them readable after the build
// is closed; the file closes when the last holder lets go.
func TestBodyFileOutlivesItsBuildWhileHeld(t *testing.T) {
	path := t.TempDir() + "/bodies"
	f, err := bodies.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := f.Append(bodies.Pack("still here", "[]"))
	if err != nil {
		t.Fatal(err)
	}
	b := &bodyFile{File: f}
	if !b.acquire() {
		t.Fatal("acquire of an open file failed")
	}
	if err := b.close(); err != nil {
		t.Fatal(err)
	}
	if got, _, err := schema.ReadBody(b.File, ref.String()); err != nil || got != "still here" {
		t.Fatalf("read while held after close: %q, %v", got, err)
	}
	if b.acquire() {
		t.Error("a closed file was acquired again")
	}
	if err := b.release(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Read(ref); err == nil {
		t.Error("the file is still open after its last holder let go")
	}
}

// Searches with snippets keep answering, with the right bodies, while
// builds switch under them: a search whose hits came from the build just
// closed is repeated on the new one, never read against its file.
func TestSnippetsAcrossBuildSwitches(t *testing.T) {
	content := testContent(t)
	store, ix, _ := buildTestIndex(t, content)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			var err error
			for ctx.Err() == nil && err == nil {
				var res *Result
				res, err = ix.Search(context.Background(), Request{Query: "miners", Fragments: 1})
				switch {
				case errors.Is(err, ErrBusy):
					err = nil
				case err != nil:
				case len(res.Hits) != 1 || len(res.Hits[0].Fragments) != 1 ||
					!strings.Contains(res.Hits[0].Fragments[0].HTML, "<mark>miners</mark> in FIL"):
					err = fmt.Errorf("build %s: %+v", res.BuildID, res.Hits)
				}
			}
			errs <- err
		}()
	}
	for i := range 6 {
		// Each build's bodies file starts with other posts, so the same
		// post sits at another offset in each.
		content[fmt.Sprintf("filler-%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Filler %d\ndate: 2020-01-0%d\n---\n%s\n", i, i+1, strings.Repeat("padding words ", 50*(i+1))))}
		if _, err := store.Build(context.Background(), BuildOptions{Content: content}); err != nil {
			t.Fatal(err)
		}
		if changed, err := ix.Reload(); !changed || err != nil {
			t.Fatalf("Reload = %v, %v", changed, err)
		}
	}
	cancel()
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// Closing the index closes its bodies file too.
func TestCloseClosesTheBodies(t *testing.T) {
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Build(context.Background(), BuildOptions{Content: testContent(t)}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	bf := ix.cur.bodies
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if bf.acquire() {
		t.Error("the bodies file of a closed index can still be acquired")
	}
	if _, err := bf.Read(bodies.Ref{Off: 0, Len: 8}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("read after Close: %v; want os.ErrClosed", err)
	}
}
