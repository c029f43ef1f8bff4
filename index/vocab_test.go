package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blust/archive/index/internal/build"
)

// checkVocab compares the serving vocabulary with the words of the
// documents the index holds, counted afresh, and with want for words that
// may have gone.
func checkVocab(t *testing.T, ix *Index, want map[string]uint64) {
	t.Helper()
	ix.mu.RLock()
	idx, bf, voc := ix.cur.idx, ix.cur.bodies.File, ix.cur.voc
	ix.mu.RUnlock()
	truth, err := build.CountVocab(context.Background(), idx, bf)
	if err != nil {
		t.Fatal(err)
	}
	for w, n := range truth {
		if got := voc.Count(w); got != n {
			t.Errorf("Count(%q) = %d, but %d posts use it", w, got, n)
		}
	}
	for w, n := range want {
		if got := voc.Count(w); got != n {
			t.Errorf("Count(%q) = %d, want %d", w, got, n)
		}
	}
}

// reopen opens the store's build again, as a restarted server does.
func reopen(t *testing.T, store *Store) *Index {
	t.Helper()
	ix, err := Open(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func syncNow(t *testing.T, ix *Index, f *folder, files ...string) {
	t.Helper()
	if _, err := writerOf(ix).syncFiles(context.Background(), f.options(), files); err != nil {
		t.Fatal(err)
	}
}

// Syncs keep the vocabulary's counts equal to the posts' words: adds,
// edits, renames and deletes, and across a restart.
func TestVocabFollowsSyncs(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("Brewing", "zymurgy is the chemistry of brewing")})
	store, ix := openSynced(t, f)
	checkVocab(t, ix, map[string]uint64{"zymurgy": 1, "brewing": 1})

	f.write("b.md", postText("Yeast", "zymase and zymurgy"))
	syncNow(t, ix, f, "b.md")
	checkVocab(t, ix, map[string]uint64{"zymurgy": 2, "zymase": 1, "yeast": 1})

	f.write("a.md", postText("Brewing", "the chemistry of brewing"))
	syncNow(t, ix, f, "a.md")
	checkVocab(t, ix, map[string]uint64{"zymurgy": 1, "zymase": 1})

	f.rename("b.md", "sub/c.md")
	syncNow(t, ix, f, "b.md", "sub/c.md")
	checkVocab(t, ix, map[string]uint64{"zymurgy": 1, "zymase": 1, "yeast": 1})

	// a restart reads the changes back from the manifest
	ix.Close()
	ix2 := reopen(t, store)
	checkVocab(t, ix2, map[string]uint64{"zymurgy": 1, "zymase": 1, "yeast": 1})

	f.remove("sub/c.md")
	syncNow(t, ix2, f, "sub/c.md")
	checkVocab(t, ix2, map[string]uint64{"zymurgy": 0, "zymase": 0, "yeast": 0, "brewing": 1})
	c, err := ix2.Complete(context.Background(), "zym", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Terms) != 0 {
		t.Errorf("completion offers words no post uses any more: %v", c.Terms)
	}
}

// Once a sync's changes outgrow build.VocabCompactAt they are folded into a new
// vocabulary file, the old file goes, and a restart reads the new one.
func TestVocabFoldsLargeChanges(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("Brewing", "zymurgy")})
	store, ix := openSynced(t, f)
	first := ix.Manifest().Vocab
	var words []string
	for i := range build.VocabCompactAt + 10 {
		words = append(words, fmt.Sprintf("qw%dx", i))
	}
	f.write("big.md", postText("Many words", strings.Join(words, " ")))
	syncNow(t, ix, f, "big.md")
	m := ix.Manifest()
	if m.Vocab == first || len(m.VocabChanges) != 0 {
		t.Fatalf("manifest vocab %q with %d changes, want a new file and none", m.Vocab, len(m.VocabChanges))
	}
	dir := store.s.BuildPath(m.ID)
	if _, err := os.Stat(filepath.Join(dir, first)); !os.IsNotExist(err) {
		t.Errorf("the replaced vocabulary file %s is still there (%v)", first, err)
	}
	ix.Close()
	ix2 := reopen(t, store)
	checkVocab(t, ix2, map[string]uint64{"qw0x": 1, "qw20005x": 1, "zymurgy": 1})
}

// A build whose vocabulary file is gone has it counted again on opening,
// so spelling help keeps working.
func TestVocabRecountedWhenLost(t *testing.T) {
	f := newFolder(t, map[string]string{"a.md": postText("Blockchain", "blockchain consensus")})
	store, ix := openSynced(t, f)
	m := ix.Manifest()
	ix.Close()
	if err := os.Remove(filepath.Join(store.s.BuildPath(m.ID), m.Vocab)); err != nil {
		t.Fatal(err)
	}
	ix2 := reopen(t, store)
	checkVocab(t, ix2, map[string]uint64{"blockchain": 1})
	res, err := ix2.Search(context.Background(), Request{Query: "blockchian"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suggestion != "blockchain" {
		t.Errorf("suggestion %q, want blockchain", res.Suggestion)
	}
}
