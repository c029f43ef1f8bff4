package site

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// write makes files (slash paths relative to dir) with their contents.
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		content string // the content folder, relative to the temp root
		want    Site   // Sources and Warnings are not compared
		root    string // expected site root relative to the temp root; "-" for none
	}{
		{name: "nothing: the defaults name no one", files: map[string]string{"posts/a.md": "x"}, content: "posts",
			want: Site{Title: "Archive", Language: "en"}, root: "-"},
		{name: "site.yaml in the content folder", content: "content", root: "content", files: map[string]string{
			"content/site.yaml": "title: Field Notes\ndescription: Notes on  bees.\nlanguage: de\nbase_url: https://notes.example.org\n" +
				"author: Ada\nnav:\n  - {title: Home, url: https://example.org/}\n  - {title: Tags, url: /tags}\nfooter: Made by hand.\nlicense: Text [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)\n",
		}, want: Site{Title: "Field Notes", Description: "Notes on bees.", Language: "de", BaseURL: "https://notes.example.org", Author: "Ada",
			Nav:    []Link{{"Home", "https://example.org/"}, {"Tags", "/tags"}},
			Footer: "Made by hand.", License: "Text [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)"}},
		{name: "Hugo root three levels up, site.yaml wins field by field", content: "content/en/blog", root: ".", files: map[string]string{
			"config/_default/hugo.yaml": "title: Gauge Blog\nlanguageCode: en-GB\nbaseURL: https://old.example.org/\nparams:\n  description: Telemetry news\n  author: {name: The Authors}\n" +
				"menu:\n  main:\n    - {name: Docs, url: /docs/}\n    - {name: Mastodon, url: https://social.example/@g}\n",
			"content/en/blog/site.yaml": "description: The gauge blog, archived.\n",
		}, want: Site{Title: "Gauge Blog", Description: "The gauge blog, archived.", Language: "en-GB", Author: "The Authors",
			Nav: []Link{{"Mastodon", "https://social.example/@g"}}}},
		{name: "Hugo TOML copyright", content: "content/posts", root: ".", files: map[string]string{
			"hugo.toml": "Title = 'Pond'\nDefaultContentLanguage = 'fr'\ncopyright = '© Pond people'\n[params]\nDescription = 'Life in a pond'\n",
		}, want: Site{Title: "Pond", Description: "Life in a pond", Language: "fr", License: "© Pond people"}},
		{name: "Zola", content: "content", root: ".", files: map[string]string{
			"config.toml": "base_url = \"https://z.example\"\ntitle = \"Zed\"\ndescription = \"Zed's posts\"\ndefault_language = \"en\"\n[extra]\nauthor = \"Zed Z\"\n",
		}, want: Site{Title: "Zed", Description: "Zed's posts", Language: "en", Author: "Zed Z"}},
		{name: "Jekyll", content: "_posts", root: ".", files: map[string]string{
			"_config.yml": "title: Optech-like\ndescription: >-\n  Weekly notes\n  on things\nlang: en_US\nauthor:\n  name: Jo\nurl: https://j.example\n",
		}, want: Site{Title: "Optech-like", Description: "Weekly notes on things", Language: "en-US", Author: "Jo"}},
		{name: "Hexo", content: "source/_posts", root: ".", files: map[string]string{
			"_config.yml": "title: Hexo-ish\nsubtitle: 'Fast blogging'\nlanguage: [en, zh-TW]\nauthor: H\n",
		}, want: Site{Title: "Hexo-ish", Description: "Fast blogging", Language: "en", Author: "H"}},
		{name: "Docusaurus title only", content: "blog", root: ".", files: map[string]string{
			"docusaurus.config.ts": "const config: Config = {\n  title: 'Widget Native',\n  tagline: 'x',\n  themeConfig: {\n    navbar: {\n      title: 'Nav',\n    },\n  },\n};\n",
		}, want: Site{Title: "Widget Native", Language: "en"}},
		{name: "Pelican", content: "content/blog", root: ".", files: map[string]string{
			"pelicanconf.py": "AUTHOR = 'The PMC'\nSITENAME = \"Query Engine Blog\"\nDEFAULT_LANG = 'en'\n",
		}, want: Site{Title: "Query Engine Blog", Language: "en", Author: "The PMC"}},
		{name: "a config above a folder that is not a posts layout is ignored", content: "notes/misc", root: "-", files: map[string]string{
			"config.toml": "title = 'Somebody else'\n", "notes/misc/a.md": "x",
		}, want: Site{Title: "Archive", Language: "en"}},
		{name: "the site root given as the content folder", content: ".", root: ".", files: map[string]string{
			"_config.yml": "title: Whole Site\n", "_posts/2020-01-01-a.md": "x",
		}, want: Site{Title: "Whole Site", Language: "en"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files)
			content := filepath.Join(dir, filepath.FromSlash(tt.content))
			os.MkdirAll(content, 0o755)
			got, root, err := Load(content)
			if err != nil {
				t.Fatal(err)
			}
			got.Sources, got.Warnings, got.Values = nil, nil, nil // Values: TestValues
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Load:\n got %+v\nwant %+v", got, tt.want)
			}
			wantRoot := ""
			if tt.root != "-" {
				wantRoot = filepath.Join(dir, filepath.FromSlash(tt.root))
			}
			if root != wantRoot {
				t.Errorf("root = %q, want %q", root, wantRoot)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"unknown key", "title: A\ntitel: B\n", "site.yaml:2: unknown key \"titel\""},
		{"bad YAML", "title: A\n  - b: [\n", "site.yaml:2: not valid YAML"},
		{"not a mapping", "- a\n- b\n", "site.yaml:1: the file must be a mapping"},
		{"nav with javascript", "nav:\n  - {title: X, url: \"javascript:alert(1)\"}\n", "site.yaml:2: a nav link needs"},
		{"nav not a list", "nav: home\n", "site.yaml:1: nav must be a list"},
		{"base url", "base_url: example.org\n", "site.yaml:1: base_url \"example.org\" must be an absolute"},
		{"language", "language: english please\n", "site.yaml:1: language \"english please\" is not a language tag"},
		{"title not text", "title: [a, b]\n", "site.yaml:1: title must be text"},
		{"too long", "footer: " + strings.Repeat("a", maxText+1) + "\n", "site.yaml:1: footer is 2001 characters long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"site.yaml": tt.body})
			_, _, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), filepath.Join(dir, "site.yaml")) {
				t.Errorf("err = %v, want it to start with the file's path", err)
			}
		})
	}
}

func TestBrokenGeneratorConfigIsAWarning(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"hugo.toml": "title = 'A'\nbroken = [\n", "content/posts/a.md": "x"})
	s, _, err := Load(filepath.Join(dir, "content", "posts"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != DefaultTitle || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "hugo.toml:") {
		t.Errorf("got title %q, warnings %q; want the default title and one warning naming hugo.toml and its line", s.Title, s.Warnings)
	}
}

// The repository's own content folder says what the archive is about;
// nothing else in the program does.
func TestRepositorySite(t *testing.T) {
	s, _, err := Load("../../content")
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Blust Archive" || !strings.Contains(s.Description, "Filecoin") || s.Language != "en" {
		t.Errorf("content/site.yaml gives %+v", s)
	}
}

// Values are what {{ site.x }} and {{% param x %}} print: a real config's
// scalars under the keys templates write, and nothing a template cannot
// print (lists, tables).
func TestValues(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    map[string]string // each must be present with this value
		absent  []string
	}{
		{name: "Jekyll _config.yml", content: "testdata/jekyll/_posts", want: map[string]string{
			"repository": "https://example.org/repo", "baseurl": "/widgets", "url": "https://widgets.example.org",
			"title": "Weekly Widget Notes", "description": "Weekly notes on widgets and the people who make them.",
			"paginate": "10", "show_drafts": "false", "kramdown.input": "GFM", "kramdown.syntax_highlighter_opts.disable": "true",
		}, absent: []string{"plugins", "exclude", "defaults", "kramdown", "input"}},
		{name: "Hugo hugo.toml with params", content: "testdata/hugo/content/posts", want: map[string]string{
			"baseURL": "https://gauges.example.org/", "baseurl": "https://gauges.example.org/", "title": "Gauge Digest",
			"paginate": "12", "enableEmoji": "true",
			"params.githubRepo": "https://example.org/gauges", "githubRepo": "https://example.org/gauges", "githubrepo": "https://example.org/gauges",
			"ratio": "1.5", "params.social.mastodon": "https://social.example/@gauges", "social.mastodon": "https://social.example/@gauges",
			"taxonomies.tag": "tags",
		}, absent: []string{"menu", "menu.main", "params"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := Load(tt.content)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.want {
				if got, ok := s.Values[k]; !ok || got != v {
					t.Errorf("Values[%q] = %q (present %v), want %q", k, got, ok, v)
				}
			}
			for _, k := range tt.absent {
				if v, ok := s.Values[k]; ok {
					t.Errorf("Values[%q] = %q, want no such key", k, v)
				}
			}
		})
	}
}

// site.yaml's fields win over the generator's values of the same key, and
// a top-level key wins over a Hugo param of the same bare name.
func TestValuesPrecedenceAndBounds(t *testing.T) {
	dir := t.TempDir()
	var big strings.Builder
	big.WriteString("title = 'Top'\nlong = '" + strings.Repeat("x", maxValueBytes+1) + "'\n[params]\ntitle = 'Param title'\n")
	for i := range maxValues + 50 {
		big.WriteString("k" + strings.Repeat("0", 4-len(strconv.Itoa(i))) + strconv.Itoa(i) + " = 'v'\n")
	}
	write(t, dir, map[string]string{"hugo.toml": big.String(), "content/posts/site.yaml": "author: Site Author\n"})
	s, _, err := Load(filepath.Join(dir, "content", "posts"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Values["title"] != "Top" || s.Values["author"] != "Site Author" {
		t.Errorf("title %q, author %q; want Top (not the param's), Site Author", s.Values["title"], s.Values["author"])
	}
	if _, ok := s.Values["long"]; ok {
		t.Errorf("a value over %d bytes was kept", maxValueBytes)
	}
	if n := len(s.Values); n != maxValues+1 { // the site.yaml author comes on top
		t.Errorf("%d values, want the bound %d and site.yaml's one", n, maxValues)
	}
}
