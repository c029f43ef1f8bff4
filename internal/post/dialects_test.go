package post

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestParseDialects covers each front-matter convention on its own, in the
// shape the generators write it; the fixture sites in testdata/sites cover
// them together.
func TestParseDialects(t *testing.T) {
	type want struct {
		slug, title, summary, externalURL string
		date                              time.Time
		authors, tags, aliases            []string
		draft                             bool
		warning                           string // part of the one warning expected, "" for none
	}
	tests := []struct {
		name, file, src string
		want            want
	}{
		{"bundle named by its folder", "2018-02-04-paper-kites/index.markdown", fm("title: Kites"),
			want{slug: "paper-kites", title: "Kites", date: day(2018, 2, 4)}},
		{"mdx bundle", "notes/kites/index.mdx", fm("title: Kites", "date: 2020-01-01"),
			want{slug: "kites", title: "Kites", date: day(2020, 1, 1)}},
		{"date prefix with underscore", "2020-1-2_first.md", fm("title: First"),
			want{slug: "first", title: "First", date: day(2020, 1, 2)}},
		{"date only in the path", "2019/11/07/slug.md", fm("title: Slug"),
			want{slug: "slug", title: "Slug", date: day(2019, 11, 7)}},
		{"date in a dated folder", "blog/2001-01-01/this-is-a-test.md", fm("title: Test"),
			want{slug: "this-is-a-test", title: "Test", date: day(2001, 1, 1)}},
		{"date only in a Zola path", "weir.md", "+++\ntitle = \"Weir\"\npath = \"2019/11/09/weir\"\n+++\n",
			want{slug: "weir", title: "Weir", date: day(2019, 11, 9), aliases: []string{"2019/11/09/weir"}}},
		{"malformed date, good name", "2020-04-01-x.md", fm("title: X", "date: someday"),
			want{slug: "x", title: "X", date: day(2020, 4, 1), warning: `date "someday" is not a date; using the date in the file name, 2020-04-01`}},
		{"front matter wins over the name", "2024-08-12-x.md", fm("title: X", "date: 2024-08-14"),
			want{slug: "x", title: "X", date: day(2024, 8, 14)}},
		{"a bad lastmod is ignored, the post kept", "x.md", fm("title: X", "date: 2023-03-29", "lastmod: 2023-02-29"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), warning: `lastmod "2023-02-29" is not a real date; it is ignored`}},
		{"a far-future updated is ignored", "x.md", fm("title: X", "date: 2023-03-29", "updated: 2400-01-01"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), warning: `updated "2400-01-01" is outside the years`}},
		{"an empty title gives way to the heading, with a warning", "x.md", fm("title: \"  \"", "date: 2023-03-29") + "# Heading\n",
			want{slug: "x", title: "Heading", date: day(2023, 3, 29), warning: `title is empty; using "Heading"`}},
		{"pubDate in words", "x.md", fm("title: X", "pubDate: Nov 7, 2019"), want{slug: "x", title: "X", date: day(2019, 11, 7)}},
		{"publishDate", "x.md", fm("title: X", "publishDate: 2019-11-07T10:00:00Z"), want{slug: "x", title: "X", date: time.Date(2019, 11, 7, 10, 0, 0, 0, time.UTC)}},
		{"published as a date", "x.md", fm("title: X", "published: 2016-05-18 21:35:27 -0700"),
			want{slug: "x", title: "X", date: time.Date(2016, 5, 18, 21, 35, 27, 0, time.UTC)}},
		{"created", "x.md", fm("title: X", "created: 2019-11-07 10:00"), want{slug: "x", title: "X", date: time.Date(2019, 11, 7, 10, 0, 0, 0, time.UTC)}},
		{"published: false is a draft", "2019-01-01-x.md", fm("title: X", "published: false"),
			want{slug: "x", title: "X", date: day(2019, 1, 1), draft: true}},
		{"author string with Markdown links", "x.md", fm("title: X", date, "author: '[Ada](https://a.example) (Lab), Bo and Cy'"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), authors: []string{"Ada (Lab)", "Bo", "Cy"}}},
		{"author object", "x.md", fm("title: X", date, "author:", "  name: Ada Lovelace", "  url: https://a.example"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), authors: []string{"Ada Lovelace"}}},
		{"authors as objects", "x.md", fm("title: X", date, "authors:", "  - name: Ada", "    title: Engineer", "  - Bo"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), authors: []string{"Ada", "Bo"}}},
		{"Go blog's by", "x.md", fm("title: X", date, "by:", "- Rob Pike"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), authors: []string{"Rob Pike"}}},
		{"category, categories and keywords", "x.md", fm("title: X", date, "tags: [a]", "categories: news releases", "category: Field Notes", "keywords: [k1, k2]"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), tags: []string{"a", "news", "releases", "field notes", "k1", "k2"}}},
		{"Zola taxonomies", "x.md", "+++\ntitle = \"X\"\ndate = 2023-03-29\n[taxonomies]\ncategories = [\"c\"]\ntags = [\"t1\", \"t2\"]\nauthors = [\"Ada\"]\n+++\n",
			want{slug: "x", title: "X", date: day(2023, 3, 29), tags: []string{"t1", "t2", "c"}, authors: []string{"Ada"}}},
		{"summary from excerpt", "x.md", fm("title: X", date, "excerpt: >", "  Folded", "  text."),
			want{slug: "x", title: "X", date: day(2023, 3, 29), summary: "Folded text."}},
		{"summary from ogSummary", "x.md", fm("title: X", date, "ogSummary: Short."),
			want{slug: "x", title: "X", date: day(2023, 3, 29), summary: "Short."}},
		{"link post", "x.md", fm("title: X", date, "link: https://elsewhere.example/post"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), externalURL: "https://elsewhere.example/post"}},
		{"old addresses", "x.md", fm("title: X", date, "aliases: [/a/]", "redirect_from: [/b/]", "permalink: /c/", "url: /d/"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), aliases: []string{"/a/", "/b/", "/c/", "/d/"}}},
		{"optional field of a shape no one means", "x.md", fm("title: X", date, "link:", "  href: x"),
			want{slug: "x", title: "X", date: day(2023, 3, 29), warning: "link must be a single value, not a mapping; it is ignored"}},
		{"JSON front matter", "x.md", "{\n  \"title\": \"X\",\n  \"date\": \"2023-03-29\",\n  \"tags\": [\"j\"],\n  \"weight\": 3\n}\nBody.\n",
			want{slug: "x", title: "X", date: day(2023, 3, 29), tags: []string{"j"}}},
		{"Pelican header, not YAML", "2019-02-04-x.md", fm("Title: DataFusion: A Query Engine", "Date: 2019-02-04", "Categories: [release]", "description: \"Said: this\""),
			want{slug: "x", title: "DataFusion: A Query Engine", date: day(2019, 2, 4), tags: []string{"release"}, summary: "Said: this"}},
		{"header YAML cannot start: brackets and backticks", "2019-02-05-y.md", fm("title: [WIP] `u128` layout", "date: 2019-02-05", "author: @ada"),
			want{slug: "y", title: "[WIP] `u128` layout", date: day(2019, 2, 5), authors: []string{"@ada"}}},
		{"Pelican header without delimiters", "x.md", "Title: Gauge: 6.0\nDate: 2021-11-19\nSummary: The sixth,\n  with digits.\n\nBody.\n",
			want{slug: "x", title: "Gauge: 6.0", date: day(2021, 11, 19), summary: "The sixth, with digits."}},
		{"Hexo front matter without its opening line", "2014-06-14-x.md", "title: Small\ntags:\n- a\n---\nBody.\n",
			want{slug: "x", title: "Small", date: day(2014, 6, 14), tags: []string{"a"}}},
		{"no front matter: the heading is the title", "2019-11-07-x.md", "Intro line.\n\n# The real title #\n\nText.\n",
			want{slug: "x", title: "The real title", date: day(2019, 11, 7)}},
		{"no title anywhere: the name in words", "2019-11-07-night-ferry.md", fm("tags: [a]"),
			want{slug: "night-ferry", title: "Night ferry", date: day(2019, 11, 7), tags: []string{"a"}}},
		{"a page layout with no date is not a post", "about.md", fm("title: About", "layout: page"), want{}},
		{"a redirect stub is not a post", "old.md", fm("redirect: /blog/new"), want{}},
		{"a template page is not a post", "all.md", fm("title: Index", "template: true") + "{{range .}}x{{end}}\n", want{}},
		{"a post starting with a colon line keeps it", "2019-11-07-x.md", "Note: this is prose.\nMore prose.\n\n---\n",
			want{slug: "x", title: "X", date: day(2019, 11, 7)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want.slug == "" { // not a post at all
				_, err := Parse(tt.file, []byte(tt.src))
				if !errors.Is(err, ErrNotPost) {
					t.Fatalf("Parse = %v, want ErrNotPost", err)
				}
				return
			}
			p := mustParse(t, tt.file, tt.src)
			got := want{slug: p.Slug, title: p.Title, summary: p.Summary, externalURL: p.ExternalURL, date: p.Date,
				authors: p.Authors, tags: p.Tags, aliases: p.Aliases, draft: p.Draft}
			w := tt.want
			if len(p.Warnings) > 0 {
				got.warning = p.Warnings[0].Msg
			}
			if got.slug != w.slug || got.title != w.title || got.summary != w.summary || got.externalURL != w.externalURL ||
				!got.date.Equal(w.date) || got.draft != w.draft || !slices.Equal(got.authors, w.authors) ||
				!slices.Equal(got.tags, w.tags) || !slices.Equal(got.aliases, w.aliases) ||
				len(p.Warnings) > 1 || !strings.Contains(got.warning, w.warning) || (w.warning == "") != (len(p.Warnings) == 0) {
				t.Errorf("\n got %+v\nwant %+v (warnings %v)", got, w, p.Warnings)
			}
		})
	}
}
