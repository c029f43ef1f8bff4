package post

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// testdata/sites holds one small site per generator, each post written in
// the shape that generator's real blogs use (the words are ours). Each
// site is loaded the way the archive does: FindLayout on the site's root,
// then Load of the posts folder with the site's authors.

// fixturePost is what one post of a fixture site must load as; a zero
// field is not checked.
type fixturePost struct {
	file, slug, title    string
	date                 time.Time
	authors, tags        []string
	aliases              []string
	summary, externalURL string
}

type fixtureSite struct {
	dir, posts, generator string
	want                  []fixturePost
	drafts                []string
	problems              []string // files rejected
	warnings              []string // "file field" of each warning
}

func fixtureSites() []fixtureSite {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	return []fixtureSite{
		{dir: "hugo", posts: "content/blog", generator: "hugo", want: []fixturePost{
			{file: "2021/harbour-lights/index.md", slug: "harbour-lights", title: "Harbour lights: how the beacons were rebuilt",
				date: day(2021, 3, 9), authors: []string{"Mira Holm (Port Authority)", "Teodor Vass"}, aliases: []string{"beacons-rebuilt"}},
			{file: "2022/harbour-lights.md", slug: "harbour-lights-2", title: "Harbour lights, a year on",
				date: day(2022, 3, 10), authors: []string{"Mira Holm"}}, // the id from data/authors
			{file: "2022/tide-tables.md", slug: "tide-tables", title: "Tide tables in JSON front matter",
				date: at(2022, 6, 1, 6, 30), tags: []string{"tides", "data"}},
		}, warnings: []string{"2022/harbour-lights.md slug"}},
		{dir: "jekyll", posts: "_posts", generator: "jekyll", want: []fixturePost{
			{file: "2016-05-18-night-ferry.md", slug: "night-ferry", title: "The night ferry",
				date: time.Date(2016, 5, 18, 21, 35, 27, 0, time.UTC), tags: []string{"crossings", "night"}},
			{file: "notes/2019-11-07-lantern-festival.md", slug: "2019-11-07-lantern-festival", title: "Lantern festival schedule",
				date: day(2019, 11, 7), aliases: []string{"/en/lanterns/", "/en/lantern-festival/"}, summary: "Which boats run late on festival night."},
		}, drafts: []string{"2020-02-02-unfinished.md"}},
		{dir: "zola", posts: "content/blog", generator: "zola", want: []fixturePost{
			{file: "2019-11-07-first-bend.md", slug: "first-bend", title: "The first bend",
				date: day(2019, 11, 7), tags: []string{"rivers", "walking", "field notes"}},
			{file: "weir.md", slug: "weir", title: "Over the weir",
				date: day(2019, 11, 9), authors: []string{"Ines Park"}, aliases: []string{"2019/11/09/over-the-weir"}},
		}},
		{dir: "docusaurus", posts: "blog", generator: "docusaurus", want: []fixturePost{
			{file: "2021-03-04-kite-frames.mdx", slug: "kite-frames", title: "Kite frames: bamboo or carbon?",
				date: day(2021, 3, 4), authors: []string{"Ada Brisk", "Sam Lowe"}, tags: []string{"design", "materials"}},
			{file: "2017-01-07-windy-weekend.md", slug: "windy-weekend", title: "A windy weekend",
				date: day(2017, 1, 7), authors: []string{"Olle Strand"}, tags: []string{"events"}},
			{file: "2024-08-12-late-release.md", slug: "late-release", title: "A release that slipped",
				date: at(2024, 8, 14, 10, 0), authors: []string{"Guest Writer"}, tags: []string{"release"}},
		}},
		{dir: "gatsby", posts: "content/blog", generator: "gatsby", want: []fixturePost{
			{file: "2018-02-04-paper-boats/index.md", slug: "paper-boats", title: "Paper boats",
				date: day(2018, 2, 4), tags: []string{"folding", "water"}},
			{file: "folding/crane/index.mdx", slug: "crane", title: "The crane",
				date: day(2018, 5, 1), authors: []string{"Rui Sato"}, summary: "A crane in thirty folds."},
		}},
		{dir: "next", posts: "_posts", generator: "next", want: []fixturePost{
			{file: "lighthouse.mdx", slug: "lighthouse", title: "The lighthouse keeper",
				date: day(2019, 11, 7), tags: []string{"lamps", "coast"}, summary: "One keeper, one lamp."},
			{file: "link-to-charts.md", slug: "link-to-charts", title: "Charts we like",
				date: day(2020, 3, 1), externalURL: "https://example.org/charts"},
		}},
		{dir: "hexo", posts: "source/_posts", generator: "hexo", want: []fixturePost{
			{file: "2014-06-14-small-release.md", slug: "small-release", title: "Small release", date: day(2014, 6, 14)},
			{file: "2019-01-11-renderer-1.0.0_released.md", slug: "renderer-1-0-0-released", title: "Renderer 1.0.0 released!!",
				date: at(2019, 1, 11, 22, 13)},
		}},
		{dir: "pelican", posts: "content/blog", generator: "pelican", want: []fixturePost{
			{file: "2019-02-04-tides.md", slug: "tides", title: "Tides: A Study of the Estuary", date: day(2019, 2, 4),
				authors: []string{"Ana Ruiz (Harbour Lab)", "Ben Ode"}, tags: []string{"release"},
				summary: "A look at the estuary: when it floods and why."},
			{file: "2021-11-8-gauge-6.0.0.md", slug: "gauge-6-0-0", title: "Gauge 6.0.0 released", date: day(2021, 11, 19),
				authors: []string{"Pmc"}, tags: []string{"release"}, summary: "The sixth gauge, with more digits."},
		}},
		{dir: "plain", posts: ".", generator: "", want: []fixturePost{
			{file: "2019/11/07/moth-season.md", slug: "moth-season", title: "Moth season", date: day(2019, 11, 7)},
			{file: "2020-04-01-first-swallows.markdown", slug: "first-swallows", title: "First swallows", date: day(2020, 4, 1)},
			{file: "owl-count.md", slug: "owl-count", title: "The owl count", date: at(2021, 1, 5, 23, 10),
				authors: []string{"Kim Ode", "Lu Marr"}, summary: "Seven owls."},
		}, problems: []string{"undated.md"}, warnings: []string{"2020-04-01-first-swallows.markdown date"}},
	}
}

func TestSiteFixtures(t *testing.T) {
	for _, site := range fixtureSites() {
		t.Run(site.dir, func(t *testing.T) {
			l, err := FindLayout(filepath.Join("testdata", "sites", site.dir), "")
			if err != nil {
				t.Fatal(err)
			}
			if l.Posts != site.posts || l.Generator != site.generator {
				t.Fatalf("layout: posts %q generator %q (%s), want %q %q", l.Posts, l.Generator, l.Reason, site.posts, site.generator)
			}
			r := mustLoad(t, os.DirFS(l.PostsDir()), LoadOptions{Authors: l.Authors()})
			checkFixturePosts(t, r, site.want)
			if !slices.Equal(r.Drafts, site.drafts) {
				t.Errorf("drafts %q, want %q", r.Drafts, site.drafts)
			}
			if got := problemFiles(r.Problems); !slices.Equal(got, site.problems) {
				t.Errorf("problems %v, want %q", r.Problems, site.problems)
			}
			var warnings []string
			for _, w := range r.Warnings {
				warnings = append(warnings, w.File+" "+w.Field)
			}
			if !slices.Equal(warnings, site.warnings) {
				t.Errorf("warnings %v, want %q", r.Warnings, site.warnings)
			}
		})
	}
}

func checkFixturePosts(t *testing.T, r *Result, want []fixturePost) {
	t.Helper()
	if len(r.Posts) != len(want) {
		t.Errorf("%d posts (%q), want %d", len(r.Posts), slugs(r.Posts), len(want))
	}
	byFile := map[string]*Post{}
	for _, p := range r.Posts {
		byFile[p.File] = p
	}
	for _, w := range want {
		p := byFile[w.file]
		if p == nil {
			t.Errorf("%s: not loaded", w.file)
			continue
		}
		got := fixturePost{file: p.File, slug: p.Slug, title: p.Title, date: p.Date, authors: p.Authors, tags: p.Tags,
			aliases: p.Aliases, summary: p.Summary, externalURL: p.ExternalURL}
		if got.slug != w.slug || got.title != w.title || !got.date.Equal(w.date) || got.summary != w.summary || got.externalURL != w.externalURL ||
			!slices.Equal(got.authors, w.authors) || !slices.Equal(got.tags, w.tags) || !slices.Equal(got.aliases, w.aliases) {
			t.Errorf("%s:\n got %+v\nwant %+v", w.file, got, w)
		}
	}
}
