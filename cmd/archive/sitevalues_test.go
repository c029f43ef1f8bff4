package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeTree writes files (slash paths relative to dir).
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// valuesSite is a Jekyll site whose post prints {{ site.repository }} in
// a link and {{ site.mascot }} as text, as Jekyll blogs do.
func valuesSite(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"_config.yml": config,
		"_posts/2020-01-02-fixes.md": "---\ntitle: Fixes\n---\n" +
			"Fixed in [#1]({{ site.repository }}/issues/1). Our {{ site.mascot }} approves.\n",
	})
	return dir
}

// check renders {{ site.x }} from the site's _config.yml, and reports it
// only when the config lacks the key.
func TestCheckRendersSiteValues(t *testing.T) {
	tests := []struct {
		name, config string
		reported     bool
	}{
		{"the config has the keys", "title: Fixes blog\nrepository: https://example.org/repo\nmascot: wombat\n", false},
		{"the config lacks them", "title: Fixes blog\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"check", "-content", valuesSite(t, tt.config)}, &out, &errOut)
			if exitStatus(err) > 1 {
				t.Fatalf("exit %d (%v)\n%s", exitStatus(err), err, errOut.String())
			}
			if got := strings.Contains(out.String(), "{{ site.repository }}"); got != tt.reported {
				t.Errorf("check reports {{ site.repository }}: %v, want %v; output:\n%s", got, tt.reported, out.String())
			}
		})
	}
}

// The index (full build and incremental sync) and the article page render
// {{ site.x }} from the site's config, as check does.
func TestSiteValuesIndexedAndServed(t *testing.T) {
	site := valuesSite(t, "title: Fixes blog\nrepository: https://example.org/repo\nmascot: wombat\n")
	idx := t.TempDir()
	runOK(t, "-reindex", "-content", site, "-index", idx)
	// A post added after the build reaches the index by the server's
	// start-up sync, the incremental path.
	writeTree(t, site, map[string]string{"_posts/2020-01-03-later.md": "---\ntitle: Later\n---\nThe {{ site.mascot }} sleeps.\n"})
	base, logs := startServer(t, "-content", site, "-index", idx)

	deadline := time.Now().Add(30 * time.Second)
	n, _ := searchTotal(t, base, "wombat")
	for n != 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		n, _ = searchTotal(t, base, "wombat")
	}
	if n != 2 {
		t.Errorf("search wombat: %d posts, want both (built and synced); logs:\n%s", n, logs)
	}
	code, page := fetch(t, base+"/posts/fixes")
	if code != 200 || !strings.Contains(page, `href="https://example.org/repo/issues/1"`) || !strings.Contains(page, "wombat approves") {
		t.Errorf("GET /posts/fixes: %d, want the link to https://example.org/repo/issues/1 and the mascot:\n%s", code, page)
	}
	if strings.Contains(page, "site.repository") {
		t.Errorf("the article shows the template: %s", page)
	}
}
