package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/internal/post"
)

func TestNewWritesASkeleton(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 3, 7, 23, 30, 0, 0, time.Local) }
	tests := []struct {
		name     string
		args     []string
		file     string
		want     string // the whole file
		wantCode int
	}{
		{"draft with today's date", []string{"Café Ümlaut: 2 ways!"}, "cafe-umlaut-2-ways.md",
			"---\ntitle: 'Café Ümlaut: 2 ways!'\ndate: 2026-03-07\ndraft: true\n---\n\n" +
				"Write the post here. The first paragraph is the summary unless you set summary: above.\n", 0},
		{"published, with author and tags", []string{"-publish", "-author", "Ada Lovelace", "-tags", "p2p, web 3", "Hello"}, "hello.md",
			"---\ntitle: Hello\ndate: 2026-03-07\nauthor: Ada Lovelace\ntags: [p2p, web 3]\n---\n\n" +
				"Write the post here. The first paragraph is the summary unless you set summary: above.\n", 0},
		{"no title", nil, "", "", 2},
		{"a title without letters", []string{"!!!"}, "", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var out, errOut bytes.Buffer
			err := newPost(&config{content: dir}, tt.args, clock, &out, &errOut)
			if got := exitStatus(err); got != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d", got, err, tt.wantCode)
			}
			if tt.file == "" {
				return
			}
			path := filepath.Join(dir, tt.file)
			if strings.TrimSpace(out.String()) != path {
				t.Errorf("printed %q, want the path %s", out.String(), path)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("file:\n%s\nwant:\n%s", got, tt.want)
			}
			if _, err := post.Parse(tt.file, got); err != nil {
				t.Errorf("the skeleton does not load: %v", err)
			}
		})
	}
}

func TestNewNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hello.md")
	os.WriteFile(path, []byte("mine"), 0o644)
	err := newPost(&config{content: dir}, []string{"Hello"}, time.Now, &bytes.Buffer{}, &bytes.Buffer{})
	if exitStatus(err) != 1 || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("err = %v, want exit 1 saying the file exists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "mine" {
		t.Errorf("the existing post was changed to %q", b)
	}
}

func TestNewThroughTheProgram(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fresh") // a folder that does not exist yet
	before := time.Now().Format("2006-01-02")
	runOK(t, "new", "-content", dir, "First post")
	after := time.Now().Format("2006-01-02")
	b, err := os.ReadFile(filepath.Join(dir, "first-post.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "date: "+before) && !strings.Contains(string(b), "date: "+after) {
		t.Errorf("skeleton lacks today's date:\n%s", b)
	}
	runOK(t, "-content", dir, "new", "Second post") // the content flag before the command
	if _, err := os.Stat(filepath.Join(dir, "second-post.md")); err != nil {
		t.Error(err)
	}
}
