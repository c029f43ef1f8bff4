package index

import (
	"context"
	"testing"
	"testing/fstest"
)

// A post's {{ site.x }} is indexed as the site's value (BuildOptions.Site),
// so searching for a word of the value finds the post.
func TestBuildRendersSiteValues(t *testing.T) {
	content := fstest.MapFS{"mascot.md": {Data: []byte("---\ntitle: Mascot\ndate: 2020-01-02\n---\n\nOur {{ site.mascot }} approves.\n")}}
	tests := []struct {
		name  string
		site  map[string]string
		total uint64
	}{
		{"with the site's values", map[string]string{"mascot": "wombat"}, 1},
		{"without them the use is dropped", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, err := NewStore(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := store.Build(context.Background(), BuildOptions{Content: content, Site: tt.site}); err != nil {
				t.Fatal(err)
			}
			ix, err := Open(store, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			res, err := ix.Search(context.Background(), Request{Query: "wombat"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tt.total {
				t.Errorf("search wombat: %d hits, want %d", res.Total, tt.total)
			}
		})
	}
}
