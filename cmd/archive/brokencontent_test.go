package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// brokenFolder lays out the content folder of every kind of bad post the
// archive must survive, next to good ones, and returns the files that
// must be rejected and the slugs that must be indexed. Large and special
// files are made here, never committed.
func brokenFolder(tb testing.TB) (dir string, bad []string, good []string) {
	tb.Helper()
	root := tb.TempDir()
	dir = filepath.Join(root, "content")
	post := func(title, date string) string {
		return fmt.Sprintf("---\ntitle: %s\ndate: %s\n---\n\nStreaming body of %s.\n", title, date, title)
	}
	write := func(name, body string) {
		tb.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	link := func(target, name string) {
		tb.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			tb.Fatal(err)
		}
	}
	for _, g := range []string{"good-one", "good-two", "good-three"} {
		write(g+".md", post(g, "2021-05-06"))
	}
	write("x.md/inner.md", post("Inside a folder named x.md", "2020-01-01"))
	write("draft.md", "---\ntitle: Draft\ndate: 2020-01-01\ndraft: true\n---\nnot yet\n")
	os.WriteFile(filepath.Join(root, "outside.md"), []byte(post("OUTSIDE-SECRET", "2020-01-01")), 0o644)
	link("good-one.md", "link-inside.md")
	// A post without a title takes its name's, and two posts that want one
	// slug both load: neither is lost.
	write("no-title.md", "---\ndate: 2020-01-01\n---\nStreaming body without a title.\n")
	write("dup.md", post("Duplicate one", "2020-01-01"))
	write("sub/dup.md", post("Duplicate two", "2020-01-02"))
	good = []string{"good-one", "good-two", "good-three", "inner", "link-inside", "no-title", "dup", "dup-2"}

	badFiles := map[string]string{
		"no-front-matter.md": "# Just a heading\n\nNo front matter at all.\n",
		"bad-yaml.md":        "---\ntitle: [unclosed\ndate: 2020-01-01\n---\nbody\n",
		"impossible-date.md": "---\ntitle: Leap\ndate: 2023-02-30\n---\nbody\n",
		"invalid-utf8.md":    "---\ntitle: Bytes\ndate: 2020-01-01\n---\nbad \xff\xfe bytes\n",
		"empty.md":           "",
		"binary.md":          "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
	}
	for name, body := range badFiles {
		write(name, body)
		bad = append(bad, name)
	}
	// 50 MB of real Markdown: far over the size limit, so it must be
	// refused without being read into memory.
	huge := post("Huge", "2020-01-01") + strings.Repeat("All work and no play makes a dull post. ", 50<<20/41)
	write("huge.md", huge)
	link("../outside.md", "link-outside.md")
	link("/etc/passwd", "link-absolute.md")
	link("missing.md", "link-dangling.md")
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.md"), 0o644); err != nil {
		tb.Fatal(err)
	}
	bad = append(bad, "huge.md", "link-outside.md", "link-absolute.md", "link-dangling.md", "fifo.md")

	// Permission bits stop only other users: root reads a mode-000 file
	// anyway. As root the file is therefore a good post, and what stops an
	// unreadable post is covered by the dangling link and the FIFO above.
	write("unreadable.md", post("Unreadable", "2020-01-01"))
	os.Chmod(filepath.Join(dir, "unreadable.md"), 0)
	tb.Cleanup(func() { os.Chmod(filepath.Join(dir, "unreadable.md"), 0o644) })
	if os.Geteuid() == 0 {
		tb.Log("running as root: a mode-000 file is still readable, so unreadable.md counts as a good post")
		good = append(good, "unreadable")
	} else {
		bad = append(bad, "unreadable.md")
	}
	return dir, bad, good
}

func TestBrokenPostsAreEachReportedOnceAndTheRestIndexed(t *testing.T) {
	content, bad, good := brokenFolder(t)
	idx := t.TempDir()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-reindex", "-content", content, "-index", idx}, &out, &errOut)
	if got := exitStatus(err); got != 1 {
		t.Fatalf("exit status %d (%v), want 1 (some rejected); stderr:\n%s", got, err, errOut.String())
	}
	want := fmt.Sprintf("indexed %d posts, rejected %d, skipped 1 drafts", len(good), len(bad))
	if !strings.Contains(out.String(), want) {
		t.Errorf("summary = %q, want %q", out.String(), want)
	}
	t.Logf("reindex said:\n%s%s", out.String(), errOut.String())
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	if len(lines) != len(bad) {
		t.Errorf("stderr has %d lines, want one per bad file (%d):\n%s", len(lines), len(bad), errOut.String())
	}
	for _, name := range bad {
		prefix := filepath.Join(content, name) + ":"
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is reported %d times, want once", name, n)
		}
	}
	if strings.Contains(errOut.String(), "OUTSIDE-SECRET") || strings.Contains(errOut.String(), "root:") {
		t.Error("a message shows the content of a file outside the folder")
	}

	base, _ := startServer(t, "-content", content, "-index", idx)
	for _, slug := range good {
		if code, _ := fetch(t, base+"/posts/"+slug); code != 200 {
			t.Errorf("/posts/%s = %d, want 200", slug, code)
		}
	}
	if code, body := fetch(t, base+"/api/v1/search?q=streaming&per_page=100"); code != 200 || !strings.Contains(body, fmt.Sprintf(`"total":%d`, len(good))) || strings.Contains(body, "OUTSIDE-SECRET") {
		t.Errorf("search over the good posts: %d %s", code, body)
	}
}
