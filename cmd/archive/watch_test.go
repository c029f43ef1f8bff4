package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// eventually polls the search API until q finds exactly the want slugs,
// oldest first. The deadline only turns a hang into a failure; the speed
// is measured by the benchmarks.
func eventually(t *testing.T, base, q string, want ...string) {
	t.Helper()
	var got []string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got = apiSlugs(t, base, q); slices.Equal(got, want) {
			return
		}
	}
	t.Fatalf("search %q found %v, want %v", q, got, want)
}

func apiSlugs(t *testing.T, base, q string) []string {
	t.Helper()
	res, err := http.Get(base + "/api/v1/search?sort=oldest&q=" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Hits []struct {
			Slug string `json:"slug"`
		} `json:"hits"`
	}
	json.NewDecoder(res.Body).Decode(&body)
	var out []string
	for _, h := range body.Hits {
		out = append(out, h.Slug)
	}
	return out
}

func TestServerWatchAppliesSavedEdits(t *testing.T) {
	content := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(content, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "---\ntitle: Aardvarks\ndate: 2020-01-01\n---\naardvarks dig\n")
	base, _ := startServer(t, "-watch", "-content", content, "-index", t.TempDir())
	eventually(t, base, "aardvarks", "a")

	steps := []struct {
		name string
		do   func()
		q    string
		want []string
	}{
		{"new post", func() { write("b.md", "---\ntitle: Badgers\ndate: 2020-01-02\n---\nbadgers sett\n") }, "badgers", []string{"b"}},
		{"saved through a temp file and a rename", func() {
			write(".b.md.swp", "---\ntitle: Badgers\ndate: 2020-01-02\n---\nbadgers and weasels\n")
			os.Rename(filepath.Join(content, ".b.md.swp"), filepath.Join(content, "b.md"))
		}, "weasels", []string{"b"}},
		{"truncated then written", func() {
			f, _ := os.OpenFile(filepath.Join(content, "a.md"), os.O_WRONLY|os.O_TRUNC, 0)
			f.WriteString("---\ntitle: Aardvarks\ndate: 2020-01-01\n---\naardvarks and anteaters\n")
			f.Close()
		}, "anteaters", []string{"a"}},
		{"a burst of new posts", func() {
			for _, n := range []string{"c1", "c2", "c3", "c4", "c5"} {
				write(n+".md", "---\ntitle: Capybara "+n+"\ndate: 2020-01-03\n---\ncapybaras\n")
			}
		}, "capybaras", []string{"c1", "c2", "c3", "c4", "c5"}},
		{"new subfolder", func() { write("deep/er/d.md", "---\ntitle: Dingos\ndate: 2020-01-04\n---\ndingos\n") }, "dingos", []string{"d"}},
		{"synonyms file saved", func() { write("synonyms.yaml", "- [dingos, wild dogs]\n") }, "wild+dogs", []string{"d"}},
		{"deleted", func() { os.Remove(filepath.Join(content, "b.md")) }, "badgers", nil},
		{"renamed", func() { os.Rename(filepath.Join(content, "a.md"), filepath.Join(content, "z.md")) }, "anteaters", []string{"z"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do()
			eventually(t, base, s.q, s.want...)
		})
	}
}

// TestReindexWatch runs archive -reindex -watch beside a server that does
// not watch (it forwards each change to the server) and alone (it holds
// the index itself, and a plain -reindex is then sent to it).
func TestReindexWatch(t *testing.T) {
	for _, withServer := range []bool{true, false} {
		t.Run(map[bool]string{true: "beside a server", false: "alone"}[withServer], func(t *testing.T) {
			content, idx := t.TempDir(), t.TempDir()
			os.WriteFile(filepath.Join(content, "a.md"), []byte("---\ntitle: A\ndate: 2020-01-01\n---\naardvarks\n"), 0o644)
			var base string
			if withServer {
				base, _ = startServer(t, "-content", content, "-index", idx)
			}
			ctx, cancel := context.WithCancel(context.Background())
			out := &syncBuffer{}
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"-reindex", "-watch", "-content", content, "-index", idx}, out, io.Discard)
			}()
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("-reindex -watch: %v", err)
				}
			}()
			waitUntil(t, "the first sync is reported", func() bool { return strings.Contains(out.String(), "indexed 1 posts") })
			os.WriteFile(filepath.Join(content, "b.md"), []byte("---\ntitle: B\ndate: 2020-01-02\n---\nbadgers\n"), 0o644)
			if withServer {
				eventually(t, base, "badgers", "b")
				return
			}
			// A plain reindex now goes to the watching process, which holds the index.
			var got string
			waitUntil(t, "a reindex sees the watched change", func() bool {
				got = runOK(t, "-reindex", "-content", content, "-index", idx)
				return strings.Contains(got, "indexed 2 posts")
			})
			if !strings.Contains(got, "applied by the server holding the index") {
				t.Errorf("reindex beside -reindex -watch: %q, want it delegated", got)
			}
		})
	}
}
