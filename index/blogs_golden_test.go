package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blust/archive/internal/testshared"
)

// blogGolden is one real blog of another generator, as it is in the shared
// corpus, with the number of posts its README counts and searches written
// as its readers would type them.
type blogGolden struct {
	dir     string
	posts   int
	queries []blogQuery
}

type blogQuery struct {
	q    string
	want string // a slug that must be within top
	top  int
}

var otherBlogs = []blogGolden{
	{"docusaurus-react-native-blog", 94, []blogQuery{
		{"hermes default", "hermes-as-the-default", 3},
		{"new architecture migrate library", "resources-migrating-your-react-native-library-to-the-new-architecture", 1},
		{"accessibility api", "react-native-accessibility-updates", 3},
		{"0.84", "react-native-0-84", 1},
	}},
	{"hexo-site-news", 58, []blogQuery{
		{"hexo 3.0 released", "hexo-3-0-released", 1},
		{"wordpress migrator", "hexo-marked-3-migrator-wordpress-2-migrator-rss-1", 3},
	}},
	{"hugo-opentelemetry-blog", 256, []blogQuery{
		{"exponential histograms", "exponential-histograms", 2},
		{"collector antipatterns", "otel-collector-anti-patterns", 1},
		{"declarative configuration stable", "stable-declarative-config", 1},
		{"apache arrow production", "otel-arrow-production", 3},
	}},
	{"jekyll-bitcoinops-en", 443, []blogQuery{
		{"schnorr taproot workshop", "2019-10-21-schnorr-taproot-workshop", 1},
		{`"newsletter #79"`, "2020-01-08-newsletter", 1},
	}},
	{"pelican-datafusion-blog", 75, []blogQuery{
		{"string view german style", "string-view-german-style-strings-part-1", 2},
		{"dynamic filters", "dynamic-filters", 1},
		{"ballista 0.5.0", "ballista-0-5-0", 1},
		{"limit pruning", "limit-pruning", 1},
	}},
}

// TestOtherBlogsAsTheyAre builds each blog of another generator from its
// folder as it is, checks that every post is indexed, and runs its
// readers' searches. Text that still looks like template syntax in a
// hit's snippets fails it too: the reader would see it.
func TestOtherBlogsAsTheyAre(t *testing.T) {
	corpus := testshared.Dir(t, "corpus")
	if raceEnabled {
		t.Skip("the blogs' golden queries measure ranking only; the plain test run covers them")
	}
	for _, blog := range otherBlogs {
		t.Run(blog.dir, func(t *testing.T) {
			dir := filepath.Join(corpus, blog.dir)
			store, err := NewStore(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			rep, err := store.Build(context.Background(), BuildOptions{Content: os.DirFS(dir), ContentDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Posts != blog.posts || len(rep.Rejected) != 0 {
				t.Errorf("indexed %d posts, rejected %d, want %d and none: %v", rep.Posts, len(rep.Rejected), blog.posts, rep.Rejected)
			}
			ix, err := Open(store, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			for _, q := range blog.queries {
				res, err := ix.Search(context.Background(), Request{Query: q.q, Size: 10, Fragments: 3})
				if err != nil {
					t.Errorf("%q: %v", q.q, err)
					continue
				}
				var slugs []string
				for _, h := range res.Hits {
					slugs = append(slugs, h.Slug)
					for _, f := range h.Fragments {
						if s := f.HTML; strings.Contains(s, "{{") || strings.Contains(s, "{%") {
							t.Errorf("%q: snippet of %s shows template syntax: %s", q.q, h.Slug, s)
						}
					}
				}
				if i := slices.Index(slugs, q.want); i < 0 || i >= q.top {
					t.Errorf("%q: %s at %d, want within the top %d; got %v", q.q, q.want, i+1, q.top, slugs)
				}
			}
		})
	}
}
