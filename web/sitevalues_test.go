package web

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blust/archive/internal/site"
)

// The article page renders {{ site.x }} from the site's config values
// (Deps.Site.Values); without them the use is dropped, never shown.
func TestArticleRendersSiteValues(t *testing.T) {
	content := fstest.MapFS{"fixes.md": {Data: []byte("---\ntitle: Fixes\ndate: 2020-01-02\n---\n\n" +
		"Fixed in [#1]({{ site.repository }}/issues/1).\n")}}
	tests := []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"from the config", map[string]string{"repository": "https://example.org/repo"}, `href="https://example.org/repo/issues/1"`},
		{"no config value", nil, `href="/issues/1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServerFor(t, content, Deps{Site: site.Site{Title: "Fixes blog", Values: tt.values}})
			res, body := get(t, s, "/posts/fixes")
			if res.StatusCode != 200 || !strings.Contains(body, tt.want) || strings.Contains(body, "site.repository") {
				t.Errorf("status %d, want 200 with %s and no template text:\n%s", res.StatusCode, tt.want, body)
			}
		})
	}
}
