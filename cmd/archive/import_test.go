package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blust/archive/internal/testshared"
)

func importInputs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../internal/importer/testdata/*.*")
	if err != nil || len(files) < 4 {
		t.Fatalf("importer samples: %v %v", files, err)
	}
	if _, ok := testshared.Has(t, "seed/000_c0f302346a476015.txt"); ok {
		files = append(files, seedFile)
	}
	return files
}

const seedFile = "../../../shared/seed/000_c0f302346a476015.txt"

func TestImportWritesPostsThatIndexAndNeverOverwrites(t *testing.T) {
	content := t.TempDir()
	inputs := importInputs(t)
	runImportCmd := func(extra ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		args := append(append([]string{"import", "-content", content}, extra...), inputs...)
		err := run(context.Background(), args, &out, &errOut)
		return exitStatus(err), out.String(), errOut.String()
	}

	code, out, errOut := runImportCmd()
	if code != 0 {
		t.Fatalf("first import: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"world-cup-p2p-streaming.md", "consensus-2018.md", "chunk-scheduling.md", "filecoin-ipfs-foundation.md"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout does not name %s:\n%s", want, out)
		}
	}
	for _, want := range []string{"has no alt text", "2 comments not imported", "no readable date"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not report %q:\n%s", want, errOut)
		}
	}
	posts, _ := filepath.Glob(filepath.Join(content, "*.md"))

	before, _ := os.ReadFile(filepath.Join(content, "consensus-2018.md"))
	os.WriteFile(filepath.Join(content, "consensus-2018.md"), []byte("edited by hand"), 0o644)
	code, _, errOut = runImportCmd()
	if code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("second import: exit %d, want 1 with 'already exists':\n%s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(content, "consensus-2018.md")); string(b) != "edited by hand" {
		t.Error("an existing post was overwritten without -force")
	}
	if code, _, errOut = runImportCmd("-force"); code != 0 {
		t.Errorf("import -force: exit %d\n%s", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(content, "consensus-2018.md")); !bytes.Equal(b, before) {
		t.Error("-force did not rewrite the post")
	}

	idx := runOK(t, "-reindex", "-content", content, "-index", t.TempDir())
	// The WordPress draft is skipped by the index; every other import is indexed.
	if want := fmt.Sprintf("indexed %d posts, rejected 0, skipped 1 drafts", len(posts)-1); !strings.Contains(idx, want) {
		t.Errorf("reindex of the imported posts: %q (%d files)", idx, len(posts))
	}
}

func TestImportUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"import"}, 2, "needs at least one file"},
		{[]string{"import", "-content", t.TempDir(), filepath.Join(t.TempDir(), "missing.html")}, 1, ""},
		{[]string{"frobnicate"}, 2, "unknown command"},
	} {
		err := run(context.Background(), tt.args, &bytes.Buffer{}, &bytes.Buffer{})
		if exitStatus(err) != tt.code || (tt.msg != "" && !strings.Contains(err.Error(), tt.msg)) {
			t.Errorf("archive %v: %v (exit %d), want exit %d with %q", tt.args, err, exitStatus(err), tt.code, tt.msg)
		}
	}
}
