package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// siteTree writes a small Jekyll site: posts in _posts, pages beside them.
func siteTree(t *testing.T) string {
	t.Helper()
	site := t.TempDir()
	for name, text := range map[string]string{
		"_config.yml":                  "title: A site\n",
		"README.md":                    "# How to build this site\n",
		"about.md":                     "---\ntitle: About\nlayout: page\n---\nA page, not a post.\n",
		"_posts/2019-11-07-launch.md":  "---\ntitle: Launch\n---\nWe launched the harbour.\n",
		"_posts/2019-11-08-launch.md":  "---\ntitle: Launch again\n---\nThe harbour launched again.\n",
		"articles/2020-01-02-essay.md": "---\ntitle: Essay\n---\nAn essay on harbours.\n",
	} {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return site
}

func TestReindexASiteRoot(t *testing.T) {
	site := siteTree(t)
	tests := []struct {
		name    string
		args    []string
		summary string
		stderr  []string
	}{
		{"the generator's posts folder", nil, "indexed 2 posts, rejected 0",
			[]string{`msg="reading posts" folder=` + filepath.Join(site, "_posts"), `why="Jekyll site (_config.yml) with posts in _posts"`, "post_files=2"}},
		{"-posts overrides", []string{"-posts", "articles"}, "indexed 1 posts, rejected 0",
			[]string{"folder=" + filepath.Join(site, "articles"), `why="-posts articles"`, "post_files=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"-reindex", "-content", site, "-index", t.TempDir()}, tt.args...)
			if err := run(context.Background(), args, &out, &errOut); exitStatus(err) != 0 {
				t.Fatalf("exit %d (%v)\n%s%s", exitStatus(err), err, out.String(), errOut.String())
			}
			if !strings.Contains(out.String(), tt.summary) {
				t.Errorf("summary %q, want %q", out.String(), tt.summary)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut.String())
				}
			}
		})
	}
	t.Run("-posts outside the content folder", func(t *testing.T) {
		err := run(context.Background(), []string{"-reindex", "-content", filepath.Join(site, "_posts"), "-posts", filepath.Join(site, "articles"), "-index", t.TempDir()}, &bytes.Buffer{}, &bytes.Buffer{})
		if exitStatus(err) != 2 || !strings.Contains(err.Error(), "must be inside the content folder") {
			t.Errorf("exit %d (%v), want 2 and a reason", exitStatus(err), err)
		}
	})
}

func TestCheckASiteRoot(t *testing.T) {
	site := siteTree(t)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"check", "-content", site}, &out, &errOut)
	if exitStatus(err) != 0 {
		t.Fatalf("exit %d (%v)\n%s", exitStatus(err), err, out.String())
	}
	// Both launches are published; the later file is at launch-2, with a warning.
	want := filepath.Join(site, "_posts", "2019-11-08-launch.md") + `: warning: slug "launch" is also wanted by 2019-11-07-launch.md, so this post is at "launch-2"`
	if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "checked 2 posts (0 drafts): 0 errors, 1 warnings") {
		t.Errorf("check said:\n%s\nwant %q", out.String(), want)
	}
	if !strings.Contains(errOut.String(), "Jekyll site (_config.yml) with posts in _posts; 2 post files; not read: "+filepath.Join(site, "articles")) {
		t.Errorf("stderr = %q", errOut.String())
	}
}

func TestNewIntoASiteRoot(t *testing.T) {
	site := siteTree(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"new", "-content", site, "Harbour at night"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(site, "_posts", "harbour-at-night.md")
	if strings.TrimSpace(out.String()) != want {
		t.Errorf("new wrote %q, want %q", out.String(), want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Error(err)
	}
}
