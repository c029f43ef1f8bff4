package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPrintableEscapesWhatATerminalObeys(t *testing.T) {
	cases := []struct{ in, want string }{
		{"content/post.md:3: bad date", "content/post.md:3: bad date"},
		{"café – naïve.md", "café – naïve.md"},
		{"a\nb.md", `a\x0ab.md`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"tab\there\r", `tab\x09here\x0d`},
		{"del\x7f", `del\x7f`},
		{"c1\u0085", `c1\u0085`},
		{"rtl\u202eevil", `rtl\u202eevil`},
		{"bad\xffutf8", `bad\xffutf8`},
	}
	for _, c := range cases {
		if got := printable(c.in); got != c.want {
			t.Errorf("printable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestHostileFileNamesCannotForgeOutput names posts with a newline and
// an ANSI escape: -reindex and check print each on one line of its own,
// escaped, so nothing in a file name can forge a line or colour the
// terminal.
func TestHostileFileNamesCannotForgeOutput(t *testing.T) {
	content, idx := t.TempDir(), t.TempDir()
	hostile := "evil\nindexed 99 posts, rejected 0\x1b[2J.md"
	if err := os.WriteFile(filepath.Join(content, hostile), []byte("---\ntitle: [unclosed\n---\n\nBody.\n"), 0o644); err != nil {
		t.Skipf("this file system refuses the name: %v", err)
	}
	if err := os.WriteFile(filepath.Join(content, "good.md"), []byte("---\ntitle: Good\ndate: 2021-01-02\n---\n\nFine.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, msg := runReindex(t, content, idx)
	var out syncBuffer
	cerr := checkContent(&config{content: content}, nil, time.Now, &out, &syncBuffer{})
	for name, got := range map[string]string{"-reindex": msg, "check": out.String()} {
		t.Logf("%s printed:\n%s", name, got)
		if strings.Contains(got, "\x1b") {
			t.Errorf("%s printed a raw escape", name)
		}
		for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
			if strings.HasPrefix(line, "indexed 99") || strings.HasPrefix(line, "rejected 0") {
				t.Errorf("%s printed a line forged by a file name: %q", name, line)
			}
		}
		if !strings.Contains(got, `evil\x0aindexed 99 posts, rejected 0\x1b[2J.md`) {
			t.Errorf("%s did not name the file, escaped", name)
		}
	}
	if code != 1 || exitStatus(cerr) != 1 {
		t.Errorf("exit statuses: -reindex %d, check %d; want 1 (a rejected post)", code, exitStatus(cerr))
	}
}
