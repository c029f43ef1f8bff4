package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestBuildLeavesOneSegment builds in many small batches (many segments)
// and checks that only the merged segment is left on disk: the merged-away
// ones used to stay beside it whenever the persister had gone idle first.
func TestBuildLeavesOneSegment(t *testing.T) {
	content := fstest.MapFS{}
	for i := range 12 {
		content[fmt.Sprintf("p%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: Post %d\ndate: 2020-01-%02d\n---\n\nBody of post %d about storage and peers.\n", i, i+1, i))}
	}
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := store.Build(context.Background(), BuildOptions{Content: content, ContentDir: "content", BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(store.s.BlevePath(rep.ID), "store"))
	if err != nil {
		t.Fatal(err)
	}
	var zaps []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zap") {
			zaps = append(zaps, e.Name())
		}
	}
	if len(zaps) != 1 {
		t.Errorf("segment files after the build = %v, want only the merged one", zaps)
	}
}
