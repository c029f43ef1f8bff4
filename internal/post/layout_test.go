package post

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// A post in the shape every generator accepts, for layout tests.
const layoutPost = "---\ntitle: A post\ndate: 2020-02-02\n---\nText.\n"

func layoutFS(files ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for _, f := range files {
		data := layoutPost
		if !isPostExt(f) {
			data = "site: config\n"
		}
		m[f] = file(data)
	}
	return m
}

func TestDetectLayout(t *testing.T) {
	tests := []struct {
		name      string
		fsys      fstest.MapFS
		posts     string
		generator string
		reason    string
		files     int
		skipped   []string
	}{
		{"plain folder of posts", layoutFS("a.md", "b.mdx", "README.md", "img/x.png"), ".", "", "a folder of posts", 2, nil},
		{"Hugo site", layoutFS("hugo.toml", "README.md", "content/blog/2020/a.md", "content/blog/b/index.md", "content/blog/_index.md",
			"content/docs/intro.md", "archetypes/default.md", "themes/x/README.md"),
			"content/blog", "hugo", "Hugo site (hugo.toml) with posts in content/blog", 2, []string{"content/docs"}},
		{"multilingual Hugo site", layoutFS("config/_default/hugo.yaml", "content/en/blog/a.md", "content/en/docs/x.md"),
			"content/en/blog", "hugo", "Hugo site (config/_default) with posts in content/en/blog", 1, []string{"content/en/docs"}},
		{"Zola site", fstest.MapFS{"config.toml": file("base_url = \"https://example.org\"\n"), "content/2019-11-07-a.md": file(layoutPost)},
			"content", "zola", "Zola site (config.toml) with posts in content", 1, nil},
		{"Jekyll site", layoutFS("_config.yml", "index.md", "about.md", "_posts/2019-11-07-a.md", "_drafts/b.md", "_posts/_drafts/c.md"),
			"_posts", "jekyll", "Jekyll site (_config.yml) with posts in _posts", 1, []string{"_posts/_drafts"}},
		{"Hexo site", layoutFS("_config.yml", "source/_posts/a.md", "source/about/index.md"),
			"source/_posts", "hexo", "Hexo site (source/_posts) with posts in source/_posts", 1, []string{"source/about"}},
		{"Docusaurus site", layoutFS("docusaurus.config.ts", "docs/intro.md", "blog/2021-01-01-a.mdx", "blog/authors.yml"),
			"blog", "docusaurus", "Docusaurus site (docusaurus.config.ts) with posts in blog", 1, []string{"docs"}},
		{"Docusaurus website folder", layoutFS("website/docusaurus.config.js", "website/blog/2021-01-01-a.md"),
			"website/blog", "docusaurus", "Docusaurus site (website/docusaurus.config.js) with posts in website/blog", 1, nil},
		{"Gatsby site", layoutFS("gatsby-config.js", "content/blog/2018-02-04-a/index.md", "src/pages/about.md"),
			"content/blog", "gatsby", "Gatsby site (gatsby-config.js) with posts in content/blog", 1, nil},
		{"Next site", layoutFS("next.config.mjs", "_posts/a.mdx", "README.md"),
			"_posts", "next", "Next.js site (next.config.mjs) with posts in _posts", 1, nil},
		{"Astro site", layoutFS("astro.config.mjs", "src/content/blog/a.md"),
			"src/content/blog", "astro", "Astro site (astro.config.mjs) with posts in src/content/blog", 1, nil},
		{"Pelican site", layoutFS("pelicanconf.py", "content/blog/2019-02-04-a.md", "content/pages/about.md"),
			"content/blog", "pelican", "Pelican site (pelicanconf.py) with posts in content/blog", 1, []string{"content/pages"}},
		{"VuePress site", layoutFS("src/.vuepress/config.js", "src/_blog/a.md"),
			"src/_blog", "vuepress", "VuePress site (src/.vuepress) with posts in src/_blog", 1, nil},
		{"no config, conventional folder", layoutFS("README.md", "content/posts/a.md", "content/about.md"),
			"content/posts", "", "posts found in content/posts", 1, nil},
		{"Hugo posts folder given directly", layoutFS("_index.md", "2019/a.md", "2020/b/index.md"),
			".", "", "no site config or posts folder recognised; reading every post under the folder", 2, nil},
		{"site without posts where expected", layoutFS("hugo.toml", "notes/a.md"),
			".", "hugo", "Hugo site (hugo.toml) without posts in content/blog", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := DetectLayout(tt.fsys)
			if l.Posts != tt.posts || l.Generator != tt.generator || !strings.HasPrefix(l.Reason, tt.reason) || l.PostFiles != tt.files {
				t.Errorf("got posts %q generator %q reason %q files %d\nwant %q %q %q %d", l.Posts, l.Generator, l.Reason, l.PostFiles,
					tt.posts, tt.generator, tt.reason, tt.files)
			}
			if !slices.Equal(l.Skipped, tt.skipped) {
				t.Errorf("Skipped = %q, want %q", l.Skipped, tt.skipped)
			}
		})
	}
}

// writeTree writes files (post text for Markdown) under a temporary folder.
func writeTree(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for f, mf := range layoutFS(files...) {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, mf.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindLayout(t *testing.T) {
	site := writeTree(t, "hugo.toml", "content/blog/a.md", "content/articles/b.md", "content/articles/c.md", "data/authors/ada.yaml")

	t.Run("site root", func(t *testing.T) {
		l, err := FindLayout(site, "")
		if err != nil {
			t.Fatal(err)
		}
		if l.PostsDir() != filepath.Join(site, "content", "blog") || l.Site != site || l.Generator != "hugo" {
			t.Errorf("got %+v", l)
		}
		if s := l.Summary(); !strings.Contains(s, "Hugo site (hugo.toml) with posts in content/blog; 1 post files; not read: "+filepath.Join(site, "content", "articles")) {
			t.Errorf("Summary() = %q", s)
		}
	})
	t.Run("-posts inside the content folder", func(t *testing.T) {
		l, err := FindLayout(site, "content/articles")
		if err != nil {
			t.Fatal(err)
		}
		if l.Posts != "content/articles" || l.PostFiles != 2 || l.Reason != "-posts content/articles" || l.Site != site {
			t.Errorf("got %+v", l)
		}
	})
	t.Run("-posts as a path from the working directory", func(t *testing.T) {
		l, err := FindLayout(site, filepath.Join(site, "content", "articles"))
		if err != nil || l.Posts != "content/articles" {
			t.Errorf("got %+v, %v", l, err)
		}
	})
	t.Run("-posts outside the content folder", func(t *testing.T) {
		if _, err := FindLayout(filepath.Join(site, "content", "blog"), filepath.Join(site, "content", "articles")); err == nil {
			t.Error("a -posts folder outside -content was accepted")
		}
		if _, err := FindLayout(site, "nowhere"); err == nil {
			t.Error("a missing -posts folder was accepted")
		}
	})
	t.Run("posts folder of a site: the site is found above it", func(t *testing.T) {
		l, err := FindLayout(filepath.Join(site, "content", "blog"), "")
		if err != nil {
			t.Fatal(err)
		}
		if l.Posts != "." || l.Site != site || l.Generator != "hugo" {
			t.Errorf("got %+v", l)
		}
	})
	t.Run("missing folder", func(t *testing.T) {
		if _, err := FindLayout(filepath.Join(site, "nope"), ""); err == nil {
			t.Error("a missing content folder was accepted")
		}
	})
}

func TestLayoutAuthors(t *testing.T) {
	site := t.TempDir()
	for name, text := range map[string]string{
		"hugo.toml":                  "baseURL = 'https://example.org'\n",
		"data/authors/ada.yaml":      "name: Ada Lovelace\nbio: counts\n",
		"data/authors/grace.toml":    "name = 'Grace Hopper'\n",
		"content/blog/authors.yml":   "ada:\n  name: Ada King\n  title: Countess\n",
		"content/blog/2020-01-01.md": "---\ntitle: T\nauthors: [ada, grace, alan-turing]\n---\n",
	} {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := FindLayout(site, "")
	if err != nil {
		t.Fatal(err)
	}
	r := mustLoad(t, os.DirFS(l.PostsDir()), LoadOptions{Authors: l.Authors()})
	if len(r.Posts) != 1 {
		t.Fatalf("posts %d, problems %v", len(r.Posts), r.Problems)
	}
	// The posts folder's authors.yml wins over the site's data/authors.
	if want := []string{"Ada King", "Grace Hopper", "Alan Turing"}; !slices.Equal(r.Posts[0].Authors, want) {
		t.Errorf("Authors = %q, want %q", r.Posts[0].Authors, want)
	}
}
