package web

import (
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blust/archive/index"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/testshared"
)

// highlightContent is an archive written for these tests: one post that
// holds a word for every way a search widens a query, a dozen posts on
// blockchains, and one that misspells the word once (for the correction
// Search makes on its second pass, when few posts match).
func highlightContent() fstest.MapFS {
	md := func(title, tags, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2021-05-06\ntags: [" + tags + "]\n---\n\n" + body + "\n")}
	}
	fs := fstest.MapFS{
		"notes.md": md("Paying miners", "ledger", "Filecoin pays miners to keep a file.\n\n"+
			"Content addressing makes data addressable, and content *addressing* is said twice.\n\n"+
			"Streaming video over peer-to-peer links; the peers gossip.\n\n"+
			"P2P is peer to peer. A blockchain is a chain of blocks.\n\n"+
			"Never run `<script>alert('x')</script>` from a post.\n"),
		"typo.md": md("A misspelt note", "notes", "One blokchain, misspelt once. See [Zebracoin](https://example.org/z)for more."),
	}
	for i := range 12 {
		fs[fmt.Sprintf("chain-%02d.md", i)] = md(fmt.Sprintf("Chain %d", i), "chains", fmt.Sprintf("Chain %d: a blockchain ledger of blocks and miners.", i))
	}
	return fs
}

// highlightServer serves content with the archive's p2p synonyms.
func highlightServer(tb testing.TB, content fs.FS) *Server {
	tb.Helper()
	return synonymServer(tb, content, []post.SynonymGroup{{Terms: []string{"p2p", "peer-to-peer"}, Line: 1}})
}

// synonymServer serves content with the synonym groups.
func synonymServer(tb testing.TB, content fs.FS, syn []post.SynonymGroup) *Server {
	tb.Helper()
	s, err := New(Deps{Index: openTestIndex(tb, content, index.WithSynonyms(syn)), Content: content})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

var (
	hlMarkRE   = regexp.MustCompile(`<mark class="hl"[^>]*>(.*?)</mark>`)
	fragmentRE = regexp.MustCompile(`<p class="fragment">(.*?)</p>`)
	snipMarkRE = regexp.MustCompile(`<mark>(.*?)</mark>`)
	tagRE      = regexp.MustCompile(`<[^>]*>`)
)

// articleMarks is the text of each match marked in an article's body,
// the pieces of a match split by inline markup put back together.
func articleMarks(page string) []string {
	body := page
	if i := strings.Index(body, `<div class="body">`); i >= 0 {
		body = body[i:]
	}
	body = strings.ReplaceAll(body, `<mark class="hl" id="first-match">`, `<mark class="hl">`)
	// keep only the marks, then join a match's pieces
	body = tagRE.ReplaceAllStringFunc(body, func(t string) string {
		if t == `<mark class="hl">` || t == `</mark>` {
			return t
		}
		return ""
	})
	body = strings.ReplaceAll(body, `</mark><mark class="hl">`, "")
	var out []string
	for _, m := range hlMarkRE.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// The article marks what the search matched: completions, corrections,
// stems, synonyms, phrases as a whole; nothing else; and its note says
// for which query.
func TestArticleMarksWhatTheSearchMatched(t *testing.T) {
	s := highlightServer(t, highlightContent())
	tests := []struct {
		name, args string
		want       []string
		note       string // "" for no note
	}{
		{"prefix completed", "highlight=filec", []string{"Filecoin"}, `1 match</a> for <q>filec</q>`},
		{"corrected", "highlight=blockchian", []string{"blockchain"}, `1 match</a> for <q>blockchain</q>`},
		{"not corrected when the search was literal", "highlight=blockchian&correct=false", nil, ""},
		{"stem", "highlight=stream", []string{"Streaming"}, `for <q>stream</q>`},
		{"synonym", "highlight=p2p", []string{"peer-to-peer", "P2P", "peer to peer"}, `3 matches</a>`},
		{"hyphenated synonym, no lone peers", "highlight=peer-to-peer", []string{"peer-to-peer", "P2P", "peer to peer"}, `3 matches</a>`},
		{"quoted synonym phrase", "highlight=" + url.QueryEscape(`"peer to peer"`), []string{"peer-to-peer", "P2P", "peer to peer"}, `3 matches</a>`},
		{"phrase as a whole, through markup", "highlight=" + url.QueryEscape(`"content addressing"`), []string{"Content addressing", "content addressing"}, `2 matches</a>`},
		{"excluded word not marked", "highlight=" + url.QueryEscape("filecoin -title:miners"), []string{"Filecoin"}, `1 match</a>`},
		{"matched by its tag only", "highlight=ledger", nil, `No matches in the text for <q>ledger</q>`},
		{"title field only: no note", "highlight=title:paying", nil, ""},
		{"hostile query stays text", "highlight=" + url.QueryEscape(`<img src=x onerror=alert(1)> script`), []string{"script", "script"}, // src=x and onerror=alert(1) are phrases, which the post does not hold
			`for <q>&lt;img src=x onerror=alert(1)&gt; script</q>`},
		{"no highlight", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, "/posts/notes?"+tt.args, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			page := rec.Body.String()
			if got := articleMarks(page); !slices.Equal(got, tt.want) {
				t.Errorf("marks = %q, want %q", got, tt.want)
			}
			note := regexp.MustCompile(`<p class="highlight-note">.*?</p>`).FindString(page)
			if tt.note == "" && note != "" || !strings.Contains(note, tt.note) {
				t.Errorf("note = %q, want it to hold %q", note, tt.note)
			}
			if len(tt.want) > 0 && !strings.Contains(page, `<mark class="hl" id="first-match">`) {
				t.Errorf("no mark has the id first-match")
			}
			if strings.Contains(page, "<img src=x") || strings.Contains(page, "<script>alert") {
				t.Errorf("untrusted markup came through unescaped")
			}
		})
	}
}

// Odd searches in a link are read as /search reads them: never a 500,
// never markup, and the page stays whole.
func TestArticleSurvivesOddHighlights(t *testing.T) {
	s := highlightServer(t, highlightContent())
	odd := []string{"((((((", `"""`, "-", "NOT", "title:", "*", "filec*", "AND OR NOT", "-filecoin", `"unclosed phrase`,
		strings.Repeat("😀", MaxQueryLength), strings.Repeat("p2p ", 200), strings.Repeat(`"peer to peer" `, 60),
		"file\x00coin", "<script>alert(1)</script>", "&amp;lt;", "date:2021..2022 filecoin", "tag:ledger", "author:nobody"}
	for _, q := range odd {
		for _, mode := range []string{"", "advanced", "plain"} {
			target := "/posts/notes?highlight=" + url.QueryEscape(q) + "&mode=" + mode
			rec := do(t, s, http.MethodGet, target, nil)
			if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
				t.Errorf("%q (mode %q): status %d", q, mode, rec.Code)
			}
			body := rec.Body.String()
			if strings.Contains(body, "<script>alert(1)") {
				t.Errorf("%q (mode %q): the query came through unescaped", q, mode)
			}
			if rec.Code == http.StatusOK && !strings.Contains(body, "Never run") {
				t.Errorf("%q (mode %q): the article lost its text", q, mode)
			}
		}
	}
}

// A word glued to a link's end ("[Zebracoin](url)for") is a word of its
// own to the index, and so to the article's marks.
func TestArticleMarksAWordGluedToALink(t *testing.T) {
	s := highlightServer(t, highlightContent())
	page := do(t, s, http.MethodGet, "/posts/typo?highlight=zebrac", nil).Body.String()
	if got := articleMarks(page); !slices.Equal(got, []string{"Zebracoin"}) {
		t.Errorf("marks = %q, want [Zebracoin]", got)
	}
	if !strings.Contains(page, `<mark class="hl" id="first-match">Zebracoin</mark></a>for more`) {
		t.Errorf("the page does not show the link and the word after it as written: %s", page)
	}
}

// A link's search is checked like /search checks q: what cannot be read
// is a 400 that names the parameter.
func TestArticleRefusesMalformedHighlights(t *testing.T) {
	s := highlightServer(t, highlightContent())
	tests := []struct{ name, args, param string }{
		{"too long", "highlight=" + strings.Repeat("a", MaxQueryLength+1), "highlight"},
		{"too many words", "highlight=" + url.QueryEscape(strings.Repeat("w ", index.MaxQueryTerms+1)), "highlight"},
		{"not UTF-8", "highlight=%ff%fe", "highlight"},
		{"unreadable in advanced mode", "highlight=" + url.QueryEscape("title:(a OR") + "&mode=advanced", "highlight"},
		{"unknown mode", "highlight=p2p&mode=bogus", "mode"},
		{"correct not a boolean", "highlight=p2p&correct=maybe", "correct"},
		{"corrected too long", "highlight=p2p&corrected=" + strings.Repeat("b", maxCorrectedLength+1), "corrected"},
		{"corrected not UTF-8", "highlight=p2p&corrected=%ff", "corrected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, s, http.MethodGet, "/posts/notes?"+tt.args, nil)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
			msg := regexp.MustCompile(`(?s)<main.*</main>`).FindString(rec.Body.String())
			if !strings.Contains(msg, tt.param) {
				t.Errorf("the error page does not name %s: %s", tt.param, msg)
			}
		})
	}
	// a stale or forged correction is ignored, not an error
	if rec := do(t, s, http.MethodGet, "/posts/notes?highlight=p2p&corrected=nothing", nil); rec.Code != http.StatusOK {
		t.Errorf("corrected=nothing: status %d, want 200", rec.Code)
	}
}

// Following a result link, the article marks every word the result's
// snippets mark: the two use one matcher, and the link carries what it
// needs (the correction, the mode, whether to correct). Over the posts
// written for these tests and the web tests' site.
func TestSnippetMarksAreArticleMarks(t *testing.T) {
	queries := []string{"filec", "blockchian", "blokchain", "stream", "p2p", "peer-to-peer", `"peer to peer"`,
		`"content addressing"`, "content addressing", "miners filec", "filecoin&correct=false", "filecoin&mode=plain"}
	checkSnippetMarks(t, highlightServer(t, highlightContent()), queries, 0)
	site := []string{"filec", "storage deals", `"storage deals"`, "peer-to-peer", "streaming", "miners -title:notes", "blockchian"}
	checkSnippetMarks(t, highlightServer(t, os.DirFS("testdata/site")), site, 0)
}

// The same over a real blog of the shared corpus (459 posts, written by
// others, with links, code, footnotes and raw HTML), with the archive's
// own synonyms: at most limit hits a query are followed.
func TestSnippetMarksAreArticleMarksOnACorpus(t *testing.T) {
	dir := testshared.Dir(t, "corpus/ipfs-blog")
	if testing.Short() || raceBuild {
		t.Skip("builds a blog of 459 posts; the plain test run covers it")
	}
	syn, err := post.LoadSynonyms(os.DirFS("../content"), post.SynonymsFile)
	if err != nil {
		t.Fatal(err)
	}
	s := synonymServer(t, os.DirFS(dir), syn)
	queries := []string{"filec", "blockchian", "p2p", "peer-to-peer", `"peer to peer"`, `"content addressing"`,
		"content addressing", "streaming", "dht", "libp2p pubsub", "gateway -title:gateway", "bitswa"}
	checkSnippetMarks(t, s, queries, 10)
}

// checkSnippetMarks searches for each query (a query, then & and further
// parameters), follows each hit's link, and checks that the article marks
// each word the hit's snippets mark.
func checkSnippetMarks(t *testing.T, s *Server, queries []string, limit int) {
	t.Helper()
	linkRE := regexp.MustCompile(`<h3><a href="(/posts/[^"]*)">`)
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			args, extra, _ := strings.Cut(q, "&")
			target := "/search?q=" + url.QueryEscape(args)
			if extra != "" {
				target += "&" + extra
			}
			page := do(t, s, http.MethodGet, target, nil).Body.String()
			hits := strings.Split(page, `<li class="hit">`)[1:]
			if len(hits) == 0 {
				t.Fatalf("%s finds nothing", target)
			}
			if limit > 0 && len(hits) > limit {
				hits = hits[:limit]
			}
			compared := 0
			for _, hit := range hits {
				link := linkRE.FindStringSubmatch(hit)
				if link == nil {
					t.Fatalf("a hit without a link: %s", hit)
				}
				href, _, _ := strings.Cut(html.UnescapeString(link[1]), "#") // a browser sends no fragment
				art := do(t, s, http.MethodGet, href, nil)
				if art.Code != http.StatusOK {
					t.Fatalf("%s: status %d", href, art.Code)
				}
				marked := map[string]bool{}
				for _, m := range articleMarks(art.Body.String()) {
					marked[strings.ToLower(m)] = true
				}
				for _, f := range fragmentRE.FindAllStringSubmatch(hit, -1) {
					for _, m := range snipMarkRE.FindAllStringSubmatch(f[1], -1) {
						w := strings.ToLower(html.UnescapeString(tagRE.ReplaceAllString(m[1], "")))
						compared++
						if !marked[w] {
							t.Errorf("%s: the snippet marks %q, the article only %q", href, w, keys(marked))
						}
					}
				}
			}
			if compared == 0 {
				t.Errorf("no snippet of %s marks anything: nothing was compared", target)
			}
		})
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
