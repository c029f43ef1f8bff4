package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// archive new takes its default author from the site's identity; a flag
// still wins.
func TestNewUsesTheSiteAuthor(t *testing.T) {
	t.Setenv("ARCHIVE_AUTHOR", "")
	clock := func() time.Time { return time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"Hello"}, "author: Site Author\n"},
		{[]string{"-author", "Flag Author", "Hello"}, "author: Flag Author\n"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: T\nauthor: Site Author\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		if err := newPost(&config{content: dir}, tt.args, clock, &out, &errOut); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "hello.md"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), tt.want) {
			t.Errorf("%v wrote\n%s\nwant it to contain %q", tt.args, got, tt.want)
		}
	}
}
