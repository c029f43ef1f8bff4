package post

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Layout is where a blog keeps its posts, as FindLayout found it: the
// folder -content names may be a folder of posts or a whole site's root
// (Hugo, Jekyll, Zola, Docusaurus, Gatsby, Next, Astro, Hexo, Pelican,
// VuePress, Eleventy), and the archive reads only the posts.
type Layout struct {
	// Root is the folder as given (-content), an OS path.
	Root string
	// Posts is the folder of posts inside Root, slash-separated; "." when
	// Root holds the posts itself. Load and the index read only it.
	Posts string
	// Site is the site's root folder, an OS path, where its generator's
	// config (hugo.toml, _config.yml, docusaurus.config.js, …) and static
	// folders live: Root when Root is a site's root, a folder above Root
	// when Root is the posts folder of a recognised site (mysite/content/
	// blog in a Hugo site), "" when no site was recognised.
	Site string
	// Generator names the recognised site generator: hugo, zola, jekyll,
	// hexo, docusaurus, gatsby, next, astro, eleventy, pelican, vuepress;
	// "" when none was (a plain folder of posts).
	Generator string
	// Reason says in one phrase why Posts was chosen, for the start-up
	// line: "Hugo site (hugo.toml) with posts in content/blog".
	Reason string
	// Skipped are folders inside Root holding Markdown that is not read as
	// posts, slash-separated: other sections of the site beside the posts
	// folder, and folders under it that Load skips (names starting with
	// "." or "_", node_modules). At most maxListed.
	Skipped []string
	// PostFiles counts the post files under Posts, up to maxLayoutWalk
	// entries walked.
	PostFiles int
}

// Bounds on what layout detection reads: it runs at every start, before
// the index, so it must stay cheap on a huge folder.
const (
	maxLayoutWalk  = 200_000 // directory entries visited per walk
	maxListed      = 20      // folders named in Skipped
	maxConfigBytes = 1 << 20 // config files read to tell generators apart
)

// generator is one site generator's signature and where it keeps posts.
type generator struct {
	name    string
	title   string   // as people write it
	markers []string // files or folders at the site root; any one marks it
	posts   []string // candidate posts folders, in order of preference
}

// generators are tried in order; the first whose marker is present and
// which has a posts folder holding posts wins. Hexo comes before Jekyll
// (both have _config.yml) and Zola before Hugo (both may have config.toml).
func generators() []generator {
	return []generator{
		{"hexo", "Hexo", []string{"source/_posts"}, []string{"source/_posts"}},
		{"jekyll", "Jekyll", []string{"_config.yml", "_config.yaml"}, []string{"_posts"}},
		{"docusaurus", "Docusaurus", []string{"docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs", "docusaurus.config.cjs",
			"website/docusaurus.config.js", "website/docusaurus.config.ts"}, []string{"blog", "website/blog"}},
		{"zola", "Zola", []string{"config.toml"}, []string{"content/blog", "content/posts", "content/post", "content/news", "content"}},
		{"hugo", "Hugo", []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json", "config/_default"},
			[]string{"content/blog", "content/posts", "content/post", "content/news", "content/articles", "content/*/blog", "content/*/posts", "content/*/post", "content/*/news", "content"}},
		{"gatsby", "Gatsby", []string{"gatsby-config.js", "gatsby-config.ts", "gatsby-config.mjs"},
			[]string{"content/blog", "content/posts", "src/posts", "src/content/blog", "src/pages/blog", "blog", "posts"}},
		{"next", "Next.js", []string{"next.config.js", "next.config.mjs", "next.config.ts"},
			[]string{"_posts", "posts", "content/blog", "content/posts", "data/blog", "src/posts", "src/content/blog"}},
		{"astro", "Astro", []string{"astro.config.mjs", "astro.config.ts", "astro.config.js"},
			[]string{"src/content/blog", "src/content/posts", "src/pages/blog", "src/pages/posts"}},
		{"eleventy", "Eleventy", []string{".eleventy.js", "eleventy.config.js", "eleventy.config.mjs"},
			[]string{"posts", "src/posts", "blog", "src/blog", "content/blog"}},
		{"pelican", "Pelican", []string{"pelicanconf.py"}, []string{"content/blog", "content/posts", "content"}},
		{"vuepress", "VuePress", []string{"src/.vuepress", ".vuepress"}, []string{"src/_blog", "src/_posts", "blog", "posts", "src/blog"}},
	}
}

// plainCandidates are tried when no generator is recognised and the
// folder holds no posts of its own.
func plainCandidates() []string {
	return []string{"content/blog", "content/posts", "content/post", "content/news", "_posts", "source/_posts",
		"blog", "posts", "src/posts", "src/content/blog", "content"}
}

// FindLayout decides where the posts of the folder dir (what -content
// names) are, and says why. posts, if not empty, is the -posts flag and
// wins: a folder inside dir ("content/articles"), else a path as given
// (absolute, or relative to the working directory) that must lie inside
// dir. When dir is itself the posts folder of a recognised site (a Hugo
// site's content/blog, say), Site is found up to three folders above it.
// The error is for a -posts folder that does not exist or leaves dir, or
// for a dir that cannot be read.
func FindLayout(dir, posts string) (Layout, error) {
	if _, err := os.ReadDir(dir); err != nil {
		return Layout{}, fmt.Errorf("content folder %s: %w", dir, err)
	}
	if posts != "" {
		return overrideLayout(dir, posts)
	}
	l := DetectLayout(os.DirFS(dir))
	l.Root = dir
	switch {
	case l.Generator != "":
		l.Site = dir
	default:
		l.Site, l.Generator = siteAbove(dir)
		if l.Generator != "" {
			l.Reason = fmt.Sprintf("%s, the posts folder of a %s site at %s", l.Reason, generatorTitle(l.Generator), l.Site)
		}
	}
	return l, nil
}

// overrideLayout builds the layout -posts names.
func overrideLayout(dir, posts string) (Layout, error) {
	rel, err := postsInside(dir, posts)
	if err != nil {
		return Layout{}, err
	}
	fsys := os.DirFS(dir)
	l := Layout{Root: dir, Posts: rel, Reason: "-posts " + posts}
	if g, ok := recognise(fsys); ok {
		l.Site, l.Generator = dir, g.name
	}
	l.PostFiles, l.Skipped = survey(fsys, rel)
	return l, nil
}

// postsInside resolves the -posts folder to a slash path inside dir.
func postsInside(dir, posts string) (string, error) {
	candidate := posts
	if !filepath.IsAbs(posts) {
		if st, err := os.Stat(filepath.Join(dir, posts)); err == nil && st.IsDir() {
			candidate = filepath.Join(dir, posts)
		}
	}
	st, err := os.Stat(candidate)
	if err != nil || !st.IsDir() {
		return "", fmt.Errorf("-posts %s: not a folder inside the content folder %s", posts, dir)
	}
	absDir, err1 := filepath.Abs(dir)
	absPosts, err2 := filepath.Abs(candidate)
	if err := errors.Join(err1, err2); err != nil {
		return "", fmt.Errorf("-posts %s: %w", posts, err)
	}
	rel, err := filepath.Rel(absDir, absPosts)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("-posts %s: must be inside the content folder %s (point -content at the site's root)", posts, dir)
	}
	return filepath.ToSlash(rel), nil
}

// siteAbove looks up to three folders above dir for a site whose posts
// folder dir is, so its config can be read; it never reads posts there.
func siteAbove(dir string) (site, gen string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", ""
	}
	for up, rel := abs, ""; len(rel) < 200; {
		parent := filepath.Dir(up)
		if parent == up {
			return "", ""
		}
		rel = path.Join(filepath.Base(up), rel)
		up = parent
		if strings.Count(rel, "/") > 2 {
			return "", ""
		}
		if g, ok := recognise(os.DirFS(up)); ok && matchesCandidate(g, rel) {
			return up, g.name
		}
	}
	return "", ""
}

func matchesCandidate(g generator, rel string) bool {
	for _, c := range g.posts {
		if ok, _ := path.Match(c, rel); ok {
			return true
		}
	}
	return false
}

// DetectLayout decides where the posts in fsys are, without looking
// outside it and without an override: a recognised generator's posts
// folder, else fsys itself when it holds post files at its top, else the
// first conventional posts folder (content/blog, _posts, posts, …) that
// holds posts, else everything under fsys. Root and Site are left for
// FindLayout to fill.
func DetectLayout(fsys fs.FS) Layout {
	l := Layout{Posts: "."}
	if g, ok := recognise(fsys); ok {
		l.Generator = g.name
		if dir, ok := firstWithPosts(fsys, g.posts); ok {
			l.Posts = dir
			l.Reason = fmt.Sprintf("%s site (%s) with posts in %s", g.title, marker(fsys, g), dir)
		} else {
			l.Reason = fmt.Sprintf("%s site (%s) without posts in %s; reading every post in the folder", g.title, marker(fsys, g), strings.Join(g.posts, ", "))
		}
	} else if hasTopPosts(fsys) {
		l.Reason = reasonPlain
	} else if dir, ok := firstWithPosts(fsys, plainCandidates()); ok {
		l.Posts = dir
		l.Reason = "posts found in " + dir
	} else {
		l.Reason = "no site config or posts folder recognised; reading every post under the folder"
	}
	l.PostFiles, l.Skipped = survey(fsys, l.Posts)
	l.Skipped = append(siblingsWithMarkdown(fsys, l.Posts), l.Skipped...)
	l.Skipped = l.Skipped[:min(len(l.Skipped), maxListed)]
	return l
}

// recognise finds the generator whose marker fsys has at its top. Zola
// and Hugo share config.toml: Zola writes base_url, Hugo baseURL.
func recognise(fsys fs.FS) (generator, bool) {
	for _, g := range generators() {
		for _, m := range g.markers {
			if _, err := fs.Stat(fsys, m); err != nil {
				continue
			}
			if m == "config.toml" && isZola(fsys) != (g.name == "zola") {
				continue
			}
			return g, true
		}
	}
	return generator{}, false
}

func isZola(fsys fs.FS) bool {
	info, err := fs.Stat(fsys, "config.toml")
	if err != nil || info.Size() > maxConfigBytes {
		return false
	}
	data, err := fs.ReadFile(fsys, "config.toml")
	return err == nil && bytes.Contains(data, []byte("base_url"))
}

// marker names the first marker of g present in fsys, for the reason.
func marker(fsys fs.FS, g generator) string {
	for _, m := range g.markers {
		if _, err := fs.Stat(fsys, m); err == nil {
			return m
		}
	}
	return ""
}

// firstWithPosts returns the first candidate folder (a pattern may hold
// "*", as in content/*/blog for a multilingual Hugo site) that holds at
// least one post file.
func firstWithPosts(fsys fs.FS, candidates []string) (string, bool) {
	for _, c := range candidates {
		matches := []string{c}
		if strings.Contains(c, "*") {
			matches, _ = fs.Glob(fsys, c)
			slices.Sort(matches)
		}
		for _, m := range matches {
			if info, err := fs.Stat(fsys, m); err == nil && info.IsDir() && holdsPosts(fsys, m) {
				return m, true
			}
		}
	}
	return "", false
}

// hasTopPosts reports post files directly in fsys's top folder.
func hasTopPosts(fsys fs.FS) bool {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && IsPostFile(e.Name()) {
			return true
		}
	}
	return false
}

// holdsPosts reports a post file anywhere under dir, within the walk bound.
func holdsPosts(fsys fs.FS, dir string) bool {
	found, seen := false, 0
	_ = fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		seen++
		switch {
		case err != nil || seen > maxLayoutWalk:
			return fs.SkipAll
		case d.IsDir() && name != dir && isIgnored(d.Name()):
			return fs.SkipDir
		case !d.IsDir() && IsPostFile(relTo(dir, name)):
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// survey counts the post files under dir and lists the folders under it
// that Load skips although they hold Markdown.
func survey(fsys fs.FS, dir string) (posts int, skipped []string) {
	seen := 0
	_ = fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		seen++
		switch {
		case err != nil && name == dir:
			return err
		case err != nil || seen > maxLayoutWalk:
			return fs.SkipAll
		case d.IsDir() && name != dir && isIgnored(d.Name()):
			if len(skipped) < maxListed && d.Name() != ".git" && holdsMarkdown(fsys, name) {
				skipped = append(skipped, name)
			}
			return fs.SkipDir
		case !d.IsDir() && IsPostFile(relTo(dir, name)):
			posts++
		}
		return nil
	})
	return posts, skipped
}

// siblingsWithMarkdown lists the folders beside the posts folder that
// hold Markdown: a site's other sections and pages (content/docs beside
// content/blog), which are not posts.
func siblingsWithMarkdown(fsys fs.FS, posts string) []string {
	if posts == "." {
		return nil
	}
	parent := path.Dir(posts)
	entries, err := fs.ReadDir(fsys, parent)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := path.Join(parent, e.Name())
		if e.IsDir() && name != posts && !isIgnored(e.Name()) && len(out) < maxListed && holdsMarkdown(fsys, name) {
			out = append(out, name)
		}
	}
	return out
}

// holdsMarkdown reports a Markdown file under dir, within the walk bound.
func holdsMarkdown(fsys fs.FS, dir string) bool {
	found, seen := false, 0
	_ = fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
		seen++
		switch {
		case err != nil || seen > maxLayoutWalk/10:
			return fs.SkipAll
		case !d.IsDir() && isPostExt(name):
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// relTo is name relative to dir, both slash paths inside one FS.
func relTo(dir, name string) string {
	if dir == "." {
		return name
	}
	return strings.TrimPrefix(name, dir+"/")
}

func generatorTitle(gen string) string {
	for _, g := range generators() {
		if g.name == gen {
			return g.title
		}
	}
	return gen
}

// Trivial reports a plain folder of posts read as it is: nothing about
// the layout is worth telling the user.
func (l Layout) Trivial() bool {
	return l.Posts == "." && l.Site == "" && len(l.Skipped) == 0 && l.Reason == reasonPlain
}

// reasonPlain is the reason given for a folder that holds its posts.
const reasonPlain = "a folder of posts"

// PostsDir is the posts folder as an OS path: what Load, the index and
// the watcher read.
func (l Layout) PostsDir() string {
	return filepath.Join(l.Root, filepath.FromSlash(l.Posts))
}

// Summary is the start-up line that says what was taken and why:
// "posts: mysite/content/blog (Hugo site (hugo.toml) with posts in
// content/blog; 256 post files; not read: mysite/content/docs)".
func (l Layout) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "posts: %s (%s; %d post files", l.PostsDir(), l.Reason, l.PostFiles)
	if len(l.Skipped) > 0 {
		names := make([]string, len(l.Skipped))
		for i, s := range l.Skipped {
			names[i] = filepath.Join(l.Root, filepath.FromSlash(s))
		}
		fmt.Fprintf(&b, "; not read: %s", strings.Join(names, ", "))
	}
	b.WriteString(")")
	return b.String()
}

// Authors reads the blog's author registries: the posts folder's
// authors.yml (Docusaurus) and, for a recognised site, its data/authors
// files and data/authors.yml (Hugo). Ids found in both take the posts
// folder's name.
func (l Layout) Authors() *Authors {
	if l.Root == "" {
		return nil // no layout: Load reads the posts folder's own file
	}
	a := ReadAuthors(os.DirFS(l.PostsDir()), ".")
	if l.Site == "" {
		return a
	}
	site := ReadAuthors(os.DirFS(l.Site), "data")
	for id, name := range site.byID {
		if _, ok := a.byID[id]; !ok {
			a.byID[id] = name
		}
	}
	return a
}
