package post

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blust/archive/internal/testshared"
)

// corpusDir is the shared corpus beside the repository (/work/shared next
// to /work/main), reached from this package's directory.
const corpusDir = "../../../shared/corpus"

// loadCorpus loads one corpus folder and indexes its posts by slug.
func loadCorpus(tb testing.TB, name string) (*Result, map[string]*Post) {
	tb.Helper()
	dir := filepath.Join(corpusDir, name)
	if _, err := os.Stat(dir); err != nil {
		testshared.Missing(tb, "corpus/"+name, err)
	}
	r := mustLoad(tb, os.DirFS(dir), LoadOptions{})
	bySlug := map[string]*Post{}
	for _, p := range r.Posts {
		bySlug[p.Slug] = p
	}
	return r, bySlug
}

func corpusPost(tb testing.TB, posts map[string]*Post, slug string) *Post {
	tb.Helper()
	p, ok := posts[slug]
	if !ok {
		tb.Fatalf("corpus has no post %q", slug)
	}
	return p
}

func checkCorpusCounts(tb testing.TB, r *Result, posts int) {
	tb.Helper()
	if len(r.Posts) != posts || len(r.Problems) != 0 || len(r.Drafts) != 0 {
		tb.Errorf("got %d posts, %d problems, %d drafts; want %d, 0, 0", len(r.Posts), len(r.Problems), len(r.Drafts), posts)
	}
	for _, p := range r.Problems {
		tb.Errorf("problem: %v", p)
	}
	for _, p := range r.Posts {
		if bad := strings.ContainsRune(string(p.Body), '\r') || !ValidSlug(p.Slug) || p.Title == ""; bad {
			tb.Errorf("%s: slug %q title %q, body has CR: %v", p.File, p.Slug, p.Title, strings.ContainsRune(string(p.Body), '\r'))
		}
	}
}

func TestCorpusIPFSBlog(t *testing.T) {
	r, posts := loadCorpus(t, "ipfs-blog")
	checkCorpusCounts(t, r, 459)

	tests := []struct {
		slug string
		want Post
	}{
		{"ipfs-thing-content-tracks", Post{ // file 2023-3-29-ipfs-thing-content-tracks.md
			Slug: "ipfs-thing-content-tracks", Title: "Announcing the Content Tracks for IPFS Thing 2023",
			Date:    day(2023, 3, 29),
			Tags:    []string{"ipfs thing", "event"},
			Summary: "An overview of the content tracks that the community will convene around during IPFS Thing 2023.",
			Aliases: []string{"/2023-ipfs-thing-content-tracks/"},
		}},
		{"2023-introducing-lassie", Post{
			Slug: "2023-introducing-lassie", Title: "Introducing Lassie - a retrieval client for IPFS and Filecoin",
			Date:    day(2023, 4, 6),
			Authors: []string{"Brenda Lee"},
			Tags:    []string{"filecoin", "retrieval"},
			Summary: "An overview of the content tracks that the community will convene around during IPFS Thing 2023.",
			Aliases: []string{"/2023-introducing-lassie/"},
		}},
		{"shipyard-hello-world", Post{ // the CRLF file
			Slug: "shipyard-hello-world", Title: "IPFS & libp2p Devs Go Independent: Meet Interplanetary Shipyard",
			Date:      day(2024, 4, 8),
			Authors:   []string{"Adin Schmahmann"},
			Tags:      []string{"ipfs", "libp2p", "shipyard", "interplanetary shipyard"},
			Summary:   "Meet the team behind Interplanetary Shipyard, the newly created entity of many core maintainers behind the most popular implementations of IPFS and libp2p.",
			Aliases:   []string{"/shipyard-hello-world/"},
			Canonical: "https://ipshipyard.com/blog/shipyard-hello-world/",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			checkPost(t, corpusPost(t, posts, tt.slug), tt.want)
		})
	}

	t.Run("author string naming two people", func(t *testing.T) {
		p := corpusPost(t, posts, "weekly-001")
		if want := []string{"Richard Littauer", "Andrew Chin"}; !slices.Equal(p.Authors, want) {
			t.Errorf("Authors = %q, want %q", p.Authors, want)
		}
	})
}

func TestCorpusPLResearch(t *testing.T) {
	r, posts := loadCorpus(t, "pl-research")
	checkCorpusCounts(t, r, 138)

	launch := time.Date(2019, 12, 30, 8, 30, 0, 0, time.UTC) // written 08:30+01:00: the author's wall clock
	tests := []struct {
		slug string
		want Post
	}{
		{"201912-resnetlab-launch", Post{ // tags: Networks, Research; RFC 3339 dates
			Slug: "201912-resnetlab-launch", Title: "A new lab for resilient networks research",
			Date: launch, Updated: launch,
			Authors: []string{"David Dias", "Yiannis Psaras"},
			Tags:    []string{"networks", "research", "news"},
			Aliases: []string{"/posts/201912-resnetlab-launch"},
		}},
		{"202012-bitswap-jump-01", Post{ // file "202012 -bitswap-jump-01.md"
			Slug: "202012-bitswap-jump-01", Title: "Teaching Bitswap nodes to jump",
			Date:    day(2020, 12, 10),
			Authors: []string{"Alfonso Delarocha", "David Dias", "Yiannis Psaras"},
			Tags:    []string{"blog"},
		}},
		{"202001-luca-upm-award", Post{ // authors: [null]
			Slug: "202001-luca-upm-award", Title: "Luca Nizzardo’s thesis wins UPM Extraordinary Award",
			Date: day(2020, 1, 27),
			Tags: []string{"news", "team"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			checkPost(t, corpusPost(t, posts, tt.slug), tt.want)
		})
	}

	t.Run("CRLF files", func(t *testing.T) {
		for slug, title := range map[string]string{
			"202105-adam-welcome":             "Adam Marblestone joins PL Research as an Advisor",
			"202106-arpm-welcome":             "PL Research welcomes its first cohort of summer research associates",
			"202107-marko-welcome":            "Marko Vukolić joins PL Research as ConsensusLab Lead",
			"202303-discourse-graphs-q-and-a": "Discourse graphs and the future of science",
		} {
			p := corpusPost(t, posts, slug)
			if p.Title != title {
				t.Errorf("%s: Title = %q, want %q", slug, p.Title, title)
			}
			if p.Date.IsZero() || len(p.Body) == 0 || strings.Contains(string(p.Body), "\r") {
				t.Errorf("%s: date %v, body %d bytes with CR %v; want a date and an LF body", slug, p.Date, len(p.Body), strings.Contains(string(p.Body), "\r"))
			}
		}
	})
}
