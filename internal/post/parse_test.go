package post

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hello is what the minimal front matter below parses to; each quirk case
// states how its result differs.
func hello(edit func(p *Post)) Post {
	p := Post{Slug: "hello", Title: "Hello", Date: day(2023, 3, 29)}
	if edit != nil {
		edit(&p)
	}
	return p
}

const (
	title = "title: Hello"
	date  = "date: 2023-03-29"
)

func TestParseQuirks(t *testing.T) {
	tests := []struct {
		name string
		file string // default hello.md
		src  string
		want Post
	}{
		{"minimal", "", fm(title, date), hello(nil)},
		{"unpadded date", "", fm(title, "date: 2023-3-29"), hello(nil)},
		{"unpadded month and day", "", fm(title, "date: 2023-4-6"), hello(func(p *Post) { p.Date = day(2023, 4, 6) })},
		{"quoted date", "", fm(title, `date: "2023-03-29"`), hello(nil)},
		{"single-quoted date", "", fm(title, `date: '2023-03-29'`), hello(nil)},
		{"RFC 3339 with offset", "", fm(title, "date: 2019-12-30T08:30:00+01:00"),
			hello(func(p *Post) { p.Date = time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC) })}, // the wall clock: the author's day
		{"RFC 3339 Z with fraction", "", fm(title, "date: 2023-03-29T10:11:12.5Z"),
			hello(func(p *Post) { p.Date = time.Date(2023, 3, 29, 10, 11, 12, 5e8, time.UTC) })},
		{"date and time with space", "", fm(title, "date: 2023-03-29 10:11:12"),
			hello(func(p *Post) { p.Date = time.Date(2023, 3, 29, 10, 11, 12, 0, time.UTC) })},
		{"date and time with T, no zone", "", fm(title, "date: 2023-03-29T10:11:12"),
			hello(func(p *Post) { p.Date = time.Date(2023, 3, 29, 10, 11, 12, 0, time.UTC) })},
		{"date, time and numeric zone", "", fm(title, "date: 2023-03-29 10:11:12 -0700"),
			hello(func(p *Post) { p.Date = time.Date(2023, 3, 29, 10, 11, 12, 0, time.UTC) })},
		{"lastmod", "", fm(title, date, "lastmod: 2019-12-30T08:30:00+01:00"),
			hello(func(p *Post) { p.Updated = time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC) })},
		{"updated", "", fm(title, date, "updated: 2024-1-2"),
			hello(func(p *Post) { p.Updated = day(2024, 1, 2) })},
		{"description empty", "", fm(title, "description:", date), hello(nil)},
		{"description null", "", fm(title, "description: null", date), hello(nil)},
		{"description quoted empty", "", fm(title, "description: ''", date), hello(nil)},
		{"description", "", fm(title, "description: '  An overview. '", date),
			hello(func(p *Post) { p.Summary = "An overview." })},
		{"summary wins over description", "", fm(title, "description: desc", "summary: sum", date),
			hello(func(p *Post) { p.Summary = "sum" })},
		{"author null", "", fm(title, "author:", date), hello(nil)},
		{"author empty string", "", fm(title, "author: ''", date), hello(nil)},
		{"author name", "", fm(title, "author: Jenn Turner", date),
			hello(func(p *Post) { p.Authors = []string{"Jenn Turner"} })},
		{"author list in one string", "", fm(title, "author: Richard Littauer, Andrew Chin", date),
			hello(func(p *Post) { p.Authors = []string{"Richard Littauer", "Andrew Chin"} })},
		{"author joined with & and and", "", fm(title, "author: David Dias & Victor Bjelkholm and Boris Mann", date),
			hello(func(p *Post) { p.Authors = []string{"David Dias", "Victor Bjelkholm", "Boris Mann"} })},
		{"authors slugs", "", fm(title, date, "authors:", "  - evan-miyazono", "  - jorge-soares  ", `  - "nemo"`),
			hello(func(p *Post) { p.Authors = []string{"Evan Miyazono", "Jorge Soares", "Nemo"} })},
		{"authors names kept", "", fm(title, date, "authors:", `  - "João Leitão"`, "  - whyrusleeping"),
			hello(func(p *Post) { p.Authors = []string{"João Leitão", "Whyrusleeping"} })},
		{"authors lone dash", "", fm(title, date, "authors:", "  - "), hello(nil)},
		{"authors [null]", "", fm(title, date, "authors: [null]"), hello(nil)},
		{"authors null", "", fm(title, date, "authors:"), hello(nil)},
		{"author and authors merged", "", fm(title, date, "author: Ann Lee", "authors: [ann-lee, bo]"),
			hello(func(p *Post) { p.Authors = []string{"Ann Lee", "Bo"} })},
		{"tags null", "", fm(title, date, "tags:"), hello(nil)},
		{"tags empty list", "", fm(title, date, "tags: []"), hello(nil)},
		{"tags string", "", fm(title, date, "tags: Networks, Research"),
			hello(func(p *Post) { p.Tags = []string{"networks", "research"} })},
		{"tags mixed case and spacing", "", fm(title, date, "tags:", "- Docker", "- 'IPFS  Camp'", "- go-ipfs", "- docker", "-", "- ' '"),
			hello(func(p *Post) { p.Tags = []string{"docker", "ipfs camp", "go-ipfs"} })},
		{"categories after tags", "", fm(title, date, "tags: [Networks]", "categories:", "  - news", "  - networks"),
			hello(func(p *Post) { p.Tags = []string{"networks", "news"} })},
		{"categories null", "", fm(title, date, "categories:"), hello(nil)},
		{"unknown keys ignored", "", fm(title, date,
			"header_image: '/x.png'", "translationKey: ''", "groups:", "areas: [null]", "readTime:",
			"data:", "  - name: a", "    url: b", "research_areas: [x]", "avatarpermalink: y"), hello(nil)},
		{"keys in any case", "", fm("Title: Hello", "DATE: 2023-03-29"), hello(nil)},
		{"title trimmed and single-spaced", "", fm("title: 'Announcements:  IPFS `.car`  '", date),
			hello(func(p *Post) { p.Title = "Announcements: IPFS `.car`" })},
		{"title a number", "", fm("title: 2019", date), hello(func(p *Post) { p.Title = "2019" })},
		{"title a one-item list", "", fm("title: [Hello]", date), hello(nil)},
		{"slug from front matter", "", fm(title, date, "slug: My Custom_Slug"),
			hello(func(p *Post) { p.Slug = "my-custom-slug" })},
		{"slug from file name with space", "202012 -bitswap-jump-01.md", fm(title, date),
			hello(func(p *Post) { p.Slug = "202012-bitswap-jump-01" })},
		{"slug from nested file", "ipfs/2023/Hello World.markdown", fm(title, date),
			hello(func(p *Post) { p.Slug = "hello-world" })},
		{"aliases and permalink", "", fm(title, date, "aliases:", "  - /posts/hello", "permalink: '/0-hello/'"),
			hello(func(p *Post) { p.Aliases = []string{"/posts/hello", "/0-hello/"} })},
		{"permalink alone", "", fm(title, date, "permalink: /0-hello/"),
			hello(func(p *Post) { p.Aliases = []string{"/0-hello/"} })},
		{"canonicalUrl", "", fm(title, date, "canonicalUrl: https://medium.com/x"),
			hello(func(p *Post) { p.Canonical = "https://medium.com/x" })},
		{"canonical_url", "", fm(title, date, "canonical_url: https://a.example/x"),
			hello(func(p *Post) { p.Canonical = "https://a.example/x" })},
		{"canonical", "", fm(title, date, "canonical: https://a.example/y"),
			hello(func(p *Post) { p.Canonical = "https://a.example/y" })},
		{"draft true", "", fm(title, date, "draft: true"), hello(func(p *Post) { p.Draft = true })},
		{"draft yes quoted", "", fm(title, date, `draft: "yes"`), hello(func(p *Post) { p.Draft = true })},
		{"draft false", "", fm(title, date, "draft: false"), hello(nil)},
		{"draft null", "", fm(title, date, "draft:"), hello(nil)},
		{"YAML anchor and alias", "", fm(title, date, "tags: &t [a, b]", "categories: *t"),
			hello(func(p *Post) { p.Tags = []string{"a", "b"} })},
		{"comments and blank lines", "", fm("# Blog post title", title, "", "# date", date), hello(nil)},
		{"delimiters with trailing spaces", "", "--- \n" + title + "\n" + date + "\n---  \nBody.\n", hello(nil)},
		{"CRLF", "", strings.ReplaceAll(fm(title, date, "tags:", "  - a"), "\n", "\r\n"),
			hello(func(p *Post) { p.Tags = []string{"a"} })},
		{"BOM", "", "\uFEFF" + fm(title, date), hello(nil)},
		{"empty body", "", "---\n" + title + "\n" + date + "\n---", hello(nil)},
		{"TOML", "", "+++\ntitle = \"Hello\"\ndate = 2023-03-29\ntags = [\"A\", \"b\"]\nauthors = [\"evan-miyazono\"]\n+++\nBody\n",
			hello(func(p *Post) { p.Tags, p.Authors = []string{"a", "b"}, []string{"Evan Miyazono"} })},
		{"TOML date-time with offset", "", "+++\ntitle = 'Hello'\ndate = 2023-03-29T01:00:00+02:00\nlastmod = 2023-03-30T10:00:00\ndraft = true\n+++\n",
			hello(func(p *Post) {
				p.Date = time.Date(2023, 3, 29, 1, 0, 0, 0, time.UTC) // 29 March, as written
				p.Updated = time.Date(2023, 3, 30, 10, 0, 0, 0, time.UTC)
				p.Draft = true
			})},
		{"TOML quoted date", "", "+++\ntitle = \"Hello\"\ndate = \"2023-3-29\"\n+++\n", hello(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "hello.md"
			}
			got := mustParse(t, file, tt.src)
			checkPost(t, got, tt.want)
			if got.File != file {
				t.Errorf("File = %q, want %q", got.File, file)
			}
		})
	}
}

func TestParseBody(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		body     string
		bodyLine int
	}{
		{"LF", "---\ntitle: T\ndate: 2023-01-02\n---\n# Hi\n\ntext\n", "# Hi\n\ntext\n", 5},
		{"CRLF", "---\r\ntitle: T\r\ndate: 2023-01-02\r\n---\r\n# Hi\r\n\r\ntext\r\n", "# Hi\n\ntext\n", 5},
		{"BOM", "\uFEFF---\ntitle: T\ndate: 2023-01-02\n---\nx", "x", 5},
		{"no newline after closing delimiter", "---\ntitle: T\ndate: 2023-01-02\n---", "", 5},
		{"empty body", "---\ntitle: T\ndate: 2023-01-02\n---\n", "", 5},
		{"body with a thematic break", "---\ntitle: T\ndate: 2023-01-02\n---\na\n---\nb\n", "a\n---\nb\n", 5},
		{"TOML", "+++\ntitle = 'T'\ndate = 2023-01-02\n\n+++\nx\n", "x\n", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, "t.md", tt.src)
			if string(got.Body) != tt.body {
				t.Errorf("Body = %q, want %q", got.Body, tt.body)
			}
			if got.BodyLine != tt.bodyLine {
				t.Errorf("BodyLine = %d, want %d", got.BodyLine, tt.bodyLine)
			}
			if got.Size != int64(len(tt.src)) {
				t.Errorf("Size = %d, want %d", got.Size, len(tt.src))
			}
		})
	}
}

func TestParseHash(t *testing.T) {
	// Computed with: printf -- '---\ntitle: T\ndate: 2023-01-02\n---\n' | sha256sum
	const want = "fd07734975c0a000bc87fee1fdedfa61cbd189d234e3cf265d4af8a3381abfa4"
	got := mustParse(t, "t.md", "---\ntitle: T\ndate: 2023-01-02\n---\n")
	if got.Hash != want {
		t.Errorf("Hash = %q, want %q", got.Hash, want)
	}
}

func TestParseDoesNotAliasInput(t *testing.T) {
	data := []byte("---\ntitle: T\ndate: 2023-01-02\n---\nbody\n")
	p, err := Parse("t.md", data)
	if err != nil {
		t.Fatal(err)
	}
	copy(data, strings.Repeat("x", len(data)))
	if got := string(p.Body); got != "body\n" {
		t.Errorf("Body after overwriting the input = %q, want %q", got, "body\n")
	}
}

// TestParseFixtures parses the files under testdata/posts, which hold the
// byte-level quirks (CRLF, BOM, TOML) as real files.
func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file string
		want Post
	}{
		{"crlf.md", Post{Slug: "crlf", Title: "Adam Marblestone joins PL Research as an Advisor", Date: day(2021, 5, 21),
			Authors: []string{"Jorge Soares"}, Tags: []string{"news", "team"}}},
		{"bom.md", Post{Slug: "bom", Title: "Byte order mark", Date: day(2020, 2, 3), Authors: []string{"Jenn Turner"}}},
		{"toml.md", Post{Slug: "custom-toml", Title: "TOML front matter", Date: time.Date(2021, 6, 1, 10, 0, 0, 0, time.UTC),
			Tags: []string{"hugo", "toml"}, Summary: "Front matter between +++ lines.", Aliases: []string{"/old/toml/"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "posts", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := mustParse(t, tt.file, string(data))
			checkPost(t, got, tt.want)
			if strings.Contains(string(got.Body), "\r") || strings.HasPrefix(string(got.Body), "\uFEFF") {
				t.Errorf("Body = %q, want no CR and no BOM", got.Body)
			}
		})
	}
}
