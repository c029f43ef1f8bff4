package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	const bad = "../../internal/check/testdata/content"
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
	}{
		{"clean folder", []string{"check", "-content", shippedContent}, 0, []string{fmt.Sprintf("checked %d posts (0 drafts): 0 errors", shippedPosts(t))}},
		{"problems, like a compiler", []string{"check", "-content", bad}, 1, []string{
			bad + "/future.md:4: date 2199-01-01 is in the future",
			bad + "/sub/nested.md:6: link to /posts/missing-post: no such post",
			bad + "/noalt.md:8: image pic.png has no alt text",
			bad + "/dup2.md:4: warning: slug \"same\" is also wanted by dup1.md, so this post is at \"same-2\"",
			bad + `/synonyms.yaml:2: warning: "xylophonics" does not occur in any post`,
			bad + "/noalt.md:8: warning: pic.png: no such file beside the post or in the site's static folders",
			bad + "/templates.md:10: warning: {% include %} is not rendered: 2 uses in 2 posts",
			"10 errors, 10 warnings"}},
		{"content flag before the command", []string{"-content", bad, "check"}, 1, []string{"/empty.md:5: the post has no text"}},
		{"bad format", []string{"check", "-format", "xml"}, 2, nil},
		{"missing folder", []string{"check", "-content", "/nonexistent/folder"}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := filepath.Join(t.TempDir(), "index")
			t.Setenv("ARCHIVE_INDEX", idx)
			var out bytes.Buffer
			err := run(context.Background(), tt.args, &out, &bytes.Buffer{})
			if got := exitStatus(err); got != tt.code {
				t.Fatalf("exit %d (%v), want %d\n%s", got, err, tt.code, out.String())
			}
			for _, w := range tt.stdout {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if _, err := os.Stat(idx); !os.IsNotExist(err) {
				t.Errorf("check touched the index folder (%v)", err)
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"check", "-format", "json", "-content", "../../internal/check/testdata/content"}, &out, &bytes.Buffer{})
	if exitStatus(err) != 1 {
		t.Fatalf("exit %d, want 1", exitStatus(err))
	}
	var rep struct {
		Posts    int `json:"posts"`
		Findings []struct {
			File, Code, Severity, Message string
			Line                          int
		} `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if rep.Posts != 13 || len(rep.Findings) < 19 || rep.Findings[0].File == "" || rep.Findings[0].Code == "" {
		t.Errorf("report = %+v", rep)
	}
}

func TestCheckSynonymsFile(t *testing.T) {
	dir := t.TempDir()
	seed, err := os.ReadFile("../../content/p2p-and-blockchain-have-come-of-age.md")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"seed.md":       string(seed),
		"synonyms.yaml": "- [p2p, peer-to-peer]\n- [the, a]\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	err = run(context.Background(), []string{"check", "-content", dir}, &out, &bytes.Buffer{})
	if exitStatus(err) != 1 || !strings.Contains(out.String(), dir+"/synonyms.yaml:2: \"the\" has no searchable words") {
		t.Errorf("exit %d, output:\n%s\nwant the synonyms file's line 2 as an error", exitStatus(err), out.String())
	}
}
