package post

import (
	"slices"
	"testing"
	"time"
)

// The five blogs of other generators in the shared corpus, each loaded as
// it is: every post (the counts are those of each blog's README), none
// rejected, and a few named posts with the date, slug, authors and tags
// their generator would give them.

// corpusCase is one named post of a corpus and what must be true of it.
type corpusCase struct {
	file    string
	slug    string
	date    time.Time
	title   string
	authors []string
	tags    []string
	aliases []string
}

func checkCorpusCases(t *testing.T, r *Result, cases []corpusCase) {
	t.Helper()
	byFile := map[string]*Post{}
	for _, p := range r.Posts {
		byFile[p.File] = p
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			p, ok := byFile[c.file]
			if !ok {
				t.Fatalf("no post from %s", c.file)
			}
			if p.Slug != c.slug || !p.Date.Equal(c.date) || p.Title != c.title {
				t.Errorf("slug %q date %v title %q, want %q %v %q", p.Slug, p.Date, p.Title, c.slug, c.date, c.title)
			}
			if !slices.Equal(p.Authors, c.authors) || !slices.Equal(p.Tags, c.tags) {
				t.Errorf("authors %q tags %q, want %q %q", p.Authors, p.Tags, c.authors, c.tags)
			}
			if c.aliases != nil && !slices.Equal(p.Aliases, c.aliases) {
				t.Errorf("aliases %q, want %q", p.Aliases, c.aliases)
			}
		})
	}
}

// warned returns the files with a warning whose field is field.
func warned(r *Result, field string) []string {
	var files []string
	for _, w := range r.Warnings {
		if w.Field == field {
			files = append(files, w.File)
		}
	}
	return files
}

func TestCorpusHugoOpenTelemetry(t *testing.T) {
	r, _ := loadCorpus(t, "hugo-opentelemetry-blog")
	checkCorpusCounts(t, r, 256) // 8 _index.md section pages are not posts
	checkCorpusCases(t, r, []corpusCase{
		{file: "2022/knative/index.md", slug: "knative", date: day(2022, 4, 12), // a page bundle: the folder names it
			title: "Distributed tracing in Knative", authors: []string{"Pavol Loffay"}},
		{file: "2023/end-user-discussions-01.md", slug: "end-user-discussions-01", date: day(2023, 1, 27),
			title:   "OpenTelemetry End-User Discussions Summary for January 2023",
			authors: []string{"Adriana Villela (Lightstep)"}, aliases: []string{"otel-end-user-discussions-january-2023"}},
		{file: "2022/gc-elections.md", slug: "gc-elections", date: day(2022, 9, 15),
			title: "Announcing the 2022 OpenTelemetry Governance Committee Election", authors: []string{"OpenTelemetry Governance Committee"}},
		// Each year's post of the same name loads; the later files get a suffix.
		{file: "2023/gc-elections.md", slug: "gc-elections-2", date: day(2023, 9, 29),
			title: "Announcing the 2023 OpenTelemetry Governance Committee Election", authors: []string{"OpenTelemetry Governance Committee"}},
	})
	if got := warned(r, "slug"); len(got) != 21 {
		t.Errorf("%d slug warnings, want 21 (the same name in several year folders): %q", len(got), got)
	}
}

func TestCorpusJekyllBitcoinOps(t *testing.T) {
	r, _ := loadCorpus(t, "jekyll-bitcoinops-en")
	checkCorpusCounts(t, r, 443) // no front-matter date in any: all from the file names
	checkCorpusCases(t, r, []corpusCase{
		{file: "newsletters/2018-07-03-newsletter.md", slug: "2018-07-03-newsletter", date: day(2018, 7, 3),
			title: "Bitcoin Optech Newsletter #2"},
		{file: "2019-10-29-schnorr-taproot-workshop.md", slug: "2019-10-21-schnorr-taproot-workshop", date: day(2019, 10, 29),
			title:   "Bitcoin Optech Schnorr Taproot Workshop",
			aliases: []string{"/en/schorr-taproot-workshop/", "/en/schnorr-taproot-workshop/"}},
	})
}

func TestCorpusDocusaurusReactNative(t *testing.T) {
	r, _ := loadCorpus(t, "docusaurus-react-native-blog")
	checkCorpusCounts(t, r, 94) // 47 .md and 47 .mdx; authors.yml is not a post
	checkCorpusCases(t, r, []corpusCase{
		{file: "2017-01-07-monthly-release-cadence.md", slug: "monthly-release-cadence", date: day(2017, 1, 7),
			title:   "A Monthly Release Cadence: Releasing December and January RC", // legacy inline author keys
			authors: []string{"Eric Vicenti"}, tags: []string{"announcement"}},
		{file: "2018-01-18-implementing-twitters-app-loading-animation-in-react-native.md", // an id with a space
			slug: "implementing-twitters-app-loading-animation-in-react-native", date: day(2018, 1, 18),
			title: "Implementing Twitter’s App Loading Animation in React Native", authors: []string{"Eli White"}, tags: []string{"engineering"}},
		{file: "2024-08-12-release-0.75.mdx", slug: "release-0-75", date: day(2024, 8, 14), // front matter wins over the name
			title:   "React Native 0.75 - Support for Percentage Values in Layout, New Architecture Stabilization, Template & init Updates, and more",
			authors: []string{"Gabriel Donadel Dall'Agnol", "Siddharth Kulkarni", "Thibault Malbranche", "Blake Friedman", "Riccardo Cipolleschi", "Nicola Corti"},
			tags:    []string{"engineering"}},
	})
}

func TestCorpusPelicanDataFusion(t *testing.T) {
	r, _ := loadCorpus(t, "pelican-datafusion-blog")
	checkCorpusCounts(t, r, 75) // 13 headers are not valid YAML
	checkCorpusCases(t, r, []corpusCase{
		{file: "2019-02-04-datafusion-donation.md", slug: "datafusion-donation", date: day(2019, 2, 4),
			title: "DataFusion: A Rust-native Query Engine for Apache Arrow", authors: []string{"Agrove"}, tags: []string{"application"}},
		{file: "2021-11-8-datafusion-6.0.0.md", slug: "datafusion-6-0-0", date: day(2021, 11, 19),
			title: "Apache Arrow DataFusion 6.0.0 Release", authors: []string{"Pmc"}, tags: []string{"release"}},
	})
}

func TestCorpusHexoSiteNews(t *testing.T) {
	r, _ := loadCorpus(t, "hexo-site-news")
	checkCorpusCounts(t, r, 58) // 55 with only a title: the date is the file name's
	checkCorpusCases(t, r, []corpusCase{
		{file: "2014-06-14-hexo-2-7-released.md", slug: "hexo-2-7-released", date: day(2014, 6, 14), title: "Hexo 2.7 Released"},
		{file: "2019-01-11-hexo-deployer-git-1.0.0_released.md", slug: "hexo-deployer-git-1-0-0-released",
			date: time.Date(2019, 1, 11, 22, 13, 0, 0, time.UTC), title: "Official plugin hexo-deployer-git 1.0.0 Released!!"},
	})
}
