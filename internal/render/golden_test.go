package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/blust/archive/internal/testshared"
)

// goldenCorpusPosts are real posts of ../shared/corpus picked for their
// quirks: Hugo figure and youtube shortcodes, tables and emoji shortcodes,
// VuePress callouts and [[toc]], raw HTML, CRLF line ends, CJK text, and
// highlighted code. They are read from there, never copied here.
var goldenCorpusPosts = []string{
	"ipfs-blog/038-js-ipfs-0.34.md",
	"ipfs-blog/2023-07-rust-libp2p-based-ipfs-bootstrap-node.md",
	"ipfs-blog/2023-http-gateways-recap.md",
	"ipfs-blog/ipfs-over-webdav.md",
	"ipfs-blog/shipyard-hello-world.md",
	"ipfs-blog/snapshot-case-study.md",
	"pl-research/202004-decentralized-energy-project.md",
	"pl-research/202203-hierarchical-consensus.md",
}

type post struct {
	name string // "ipfs-blog-038-js-ipfs-0.34": the golden file's name
	rel  string // the path under corpus/
	raw  []byte // the file as it is
	body []byte // Markdown without front matter
}

// goldenPosts reads the golden posts from the shared corpus, or skips the
// test (fails it under ARCHIVE_REQUIRE_SHARED=1) when it is not there.
func goldenPosts(tb testing.TB) []post {
	tb.Helper()
	return readGoldenPosts(tb, testshared.Dir(tb, "corpus"))
}

func readGoldenPosts(tb testing.TB, corpus string) []post {
	tb.Helper()
	posts := make([]post, 0, len(goldenCorpusPosts))
	for _, rel := range goldenCorpusPosts {
		b, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(rel)))
		if err != nil {
			tb.Fatalf("golden post: %v", err)
		}
		name := strings.TrimSuffix(strings.ReplaceAll(rel, "/", "-"), ".md")
		posts = append(posts, post{name: name, rel: rel, raw: b, body: stripFrontMatter(b)})
	}
	return posts
}

// goldenFacts is what testdata/golden/<name>.json holds: only what the
// renderer produced, as hashes and counts, and no text of the post. The
// hashes pin the output byte for byte; the counts say what kind of change
// a differing hash is.
type goldenFacts struct {
	Post           string `json:"post"`
	PostSHA256     string `json:"post_sha256"` // the input: a change here means the shared post changed, not the renderer
	HTMLSHA256     string `json:"html_sha256"`
	TextSHA256     string `json:"text_sha256"`
	DocSHA256      string `json:"doc_sha256"` // headings, sections, summary, words and reading time, as JSON
	HTMLBytes      int    `json:"html_bytes"`
	TextBytes      int    `json:"text_bytes"`
	HeadingLevels  []int  `json:"heading_levels"`
	Sections       int    `json:"sections"`
	Links          int    `json:"links"`
	Images         int    `json:"images"`
	CodeBlocks     int    `json:"code_blocks"`
	Tables         int    `json:"tables"`
	Words          int    `json:"words"`
	ReadingMinutes int    `json:"reading_minutes"`
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// factsOf derives the golden facts of one rendered post.
func factsOf(tb testing.TB, p post, doc *Doc) goldenFacts {
	tb.Helper()
	rest := struct {
		Headings       []Heading
		Sections       []Section
		Summary        string
		Words          int
		ReadingMinutes int
	}{doc.Headings, doc.Sections, doc.Summary, doc.Words, doc.ReadingMinutes}
	levels := make([]int, 0, len(doc.Headings))
	for _, h := range doc.Headings {
		levels = append(levels, h.Level)
	}
	tags := countTags(string(doc.HTML))
	return goldenFacts{
		Post:           p.rel,
		PostSHA256:     sha256Hex(p.raw),
		HTMLSHA256:     sha256Hex([]byte(doc.HTML)),
		TextSHA256:     sha256Hex([]byte(doc.Text)),
		DocSHA256:      sha256Hex([]byte(jsonOf(tb, rest))),
		HTMLBytes:      len(doc.HTML),
		TextBytes:      len(doc.Text),
		HeadingLevels:  levels,
		Sections:       len(doc.Sections),
		Links:          tags["a"],
		Images:         tags["img"],
		CodeBlocks:     tags["pre"],
		Tables:         tags["table"],
		Words:          doc.Words,
		ReadingMinutes: doc.ReadingMinutes,
	}
}

// countTags counts the start tags of the HTML by element name; links are
// counted only when they have an href.
func countTags(h string) map[string]int {
	n := map[string]int{}
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return n
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if tok.Data == "a" && !hasAttr(tok, "href") {
			continue
		}
		n[tok.Data]++
	}
}

func hasAttr(tok html.Token, key string) bool {
	for _, a := range tok.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func TestGolden(t *testing.T) {
	r := New()
	for _, p := range goldenPosts(t) {
		t.Run(p.name, func(t *testing.T) {
			doc, err := r.Render(p.body)
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, doc)
			checkSafeHTML(t, string(doc.HTML))
			checkHeadingAnchors(t, doc)
			facts, err := json.MarshalIndent(factsOf(t, p, doc), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", p.name+".json")
			if !checkGolden(t, path, append(facts, '\n')) {
				keepForReview(t, p.name, doc)
			}

			text, err := r.Text(p.body)
			if err != nil {
				t.Fatal(err)
			}
			doc.HTML = ""
			if got, want := jsonOf(t, text), jsonOf(t, doc); got != want {
				t.Errorf("Text() differs from Render() without HTML:\n got: %s\nwant: %s", clip(got, 300), clip(want, 300))
			}
		})
	}
}

// keepForReview writes the output that no longer matches its golden facts
// to the temporary folder, since the golden file cannot show it.
func keepForReview(t *testing.T, name string, doc *Doc) {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "archive-render-golden")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("keep the output for review: %v", err)
		return
	}
	base := filepath.Join(dir, name)
	for ext, b := range map[string]string{".html": string(doc.HTML), ".txt": doc.Text} {
		if err := os.WriteFile(base+ext, []byte(b), 0o644); err != nil {
			t.Logf("keep the output for review: %v", err)
			return
		}
	}
	t.Logf("this output is in %s.html and %s.txt", base, base)
}

func jsonOf(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
