package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/blust/archive/index/internal/build"
	"github.com/blust/archive/index/internal/fieldstats"
	"github.com/blust/archive/index/internal/schema"
	"github.com/blust/archive/index/internal/spell"
	"github.com/blust/archive/internal/post"
	"github.com/blust/archive/internal/qlang"
)

// openWithSynonyms builds content and opens it with synonym groups.
func openWithSynonyms(tb testing.TB, content fstest.MapFS, groups ...[]string) *Index {
	tb.Helper()
	store, err := NewStore(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := store.Build(context.Background(), BuildOptions{Content: content}); err != nil {
		tb.Fatal(err)
	}
	var syn []post.SynonymGroup
	for i, g := range groups {
		syn = append(syn, post.SynonymGroup{Terms: g, Line: i + 1})
	}
	ix, err := Open(store, nil, WithSynonyms(syn))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func postMD(title, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2021-01-01\n---\n\n" + body + "\n")}
}

func mustSearch(tb testing.TB, ix *Index, r Request) *Result {
	tb.Helper()
	if r.Size == 0 {
		r.Size = 10
	}
	res, err := ix.Search(context.Background(), r)
	if err != nil {
		tb.Fatalf("Search(%q): %v", r.Query, err)
	}
	return res
}

func TestMalformedQueriesSayWhere(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	tests := []struct {
		q      string
		mode   qlang.Mode
		offset int
	}{
		{`ipfs "peer to`, qlang.ModeAuto, 5},
		{"(filecoin OR ipfs", qlang.ModeAdvanced, 0},
		{"titel:filecoin", qlang.ModeAuto, 0},
		{"date:2019-02-30", qlang.ModeAuto, 5},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			_, err := ix.Search(context.Background(), Request{Query: tt.q, Mode: tt.mode})
			var qe *qlang.Error
			if !errors.As(err, &qe) || qe.Offset != tt.offset {
				t.Errorf("Search(%q) = %v, want a *query.Error at %d", tt.q, err, tt.offset)
			}
			if _, err := ix.Search(context.Background(), Request{Query: tt.q, Mode: qlang.ModePlain}); err != nil {
				t.Errorf("plain Search(%q) = %v, want no error", tt.q, err)
			}
		})
	}
}

func TestSynonymsOfSeveralWords(t *testing.T) {
	ix := openWithSynonyms(t, testContent(t), []string{"p2p", "peer-to-peer"})
	const seed = "p2p-and-blockchain-have-come-of-age"
	for _, q := range []string{"p2p", "P2P", "peer-to-peer", `"peer to peer"`, "+peer-to-peer"} {
		t.Run(q, func(t *testing.T) {
			res := mustSearch(t, ix, Request{Query: q, Fragments: 1})
			if len(res.Hits) == 0 || res.Hits[0].Slug != seed {
				t.Fatalf("Search(%q) = %v, want the seed post first", q, slugs(res.Hits))
			}
			title := res.Hits[0].TitleHTML
			if !strings.Contains(title, "<mark>P2P</mark>") || !strings.Contains(title, "<mark>Peer to Peer</mark>") {
				t.Errorf("title = %s, want P2P and the phrase Peer to Peer each marked as one unit", title)
			}
			if len(res.Expansions) == 0 || res.Expansions[0].Kind != "synonym" {
				t.Errorf("expansions = %+v, want the synonym group", res.Expansions)
			}
		})
	}
}

func TestLibp2pIsNotP2P(t *testing.T) {
	ix := openWithSynonyms(t, testContent(t), []string{"p2p", "peer-to-peer"})
	if got := slugs(mustSearch(t, ix, Request{Query: "p2p"}).Hits); slices.Contains(got, "libp2p-release") {
		t.Errorf("p2p found %v, want no libp2p release notes", got)
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "libp2p"}).Hits); len(got) == 0 || got[0] != "libp2p-release" {
		t.Errorf("libp2p found %v, want the libp2p post first", got)
	}
}

func TestAllWordsRankAboveSome(t *testing.T) {
	ix := openWithSynonyms(t, fstest.MapFS{
		"some.md": postMD("Notes", strings.Repeat("Filecoin filecoin filecoin. ", 5)+"Nothing else."),
		"all.md":  postMD("Notes too", "A long post. "+strings.Repeat("Words that pad the text out. ", 30)+"Filecoin and retrieval."),
		"none.md": postMD("Other", "Unrelated text about cats."),
	})
	got := slugs(mustSearch(t, ix, Request{Query: "filecoin retrieval"}).Hits)
	if !slices.Equal(got, []string{"all", "some"}) {
		t.Errorf("filecoin retrieval = %v, want [all some]: every word first, some words still shown", got)
	}
}

func TestTitleMatchWins(t *testing.T) {
	ix := openWithSynonyms(t, fstest.MapFS{
		"title.md": postMD("Storage markets", "An introduction."),
		"body.md":  postMD("A week in review", strings.Repeat("Storage markets are busy. ", 6)),
	})
	if got := slugs(mustSearch(t, ix, Request{Query: "storage markets"}).Hits); len(got) != 2 || got[0] != "title" {
		t.Errorf("storage markets = %v, want the post with those words as its title first", got)
	}
}

func TestTypoCorrection(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	tests := []struct {
		name      string
		r         Request
		suggest   string
		corrected bool
		found     bool
	}{
		{"reader", Request{Query: "filecion"}, "filecoin", true, true},
		{"keeps capitals", Request{Query: "Filecion deals"}, "Filecoin deals", true, true},
		{"advanced only suggests", Request{Query: "filecion", Mode: qlang.ModeAdvanced}, "filecoin", false, false},
		{"literal runs as typed", Request{Query: "filecion", Literal: true}, "", false, false},
		{"short words are left alone", Request{Query: "filx"}, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustSearch(t, ix, tt.r)
			if res.Suggestion != tt.suggest || res.Corrected != tt.corrected || (res.Total > 0) != tt.found {
				t.Errorf("Search(%q) suggestion %q corrected %v total %d, want %q %v found=%v",
					tt.r.Query, res.Suggestion, res.Corrected, res.Total, tt.suggest, tt.corrected, tt.found)
			}
		})
	}
}

func TestLastWordIsAPrefix(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	if got := slugs(mustSearch(t, ix, Request{Query: "filec"}).Hits); !slices.Contains(got, "filecoin-markets") {
		t.Errorf("filec = %v, want the Filecoin post", got)
	}
	if got := mustSearch(t, ix, Request{Query: "filec", Mode: qlang.ModeAdvanced}); got.Total != 0 {
		t.Errorf("advanced filec found %v, want nothing: advanced mode does not guess", slugs(got.Hits))
	}
	if got := slugs(mustSearch(t, ix, Request{Query: "filec*", Mode: qlang.ModeAdvanced}).Hits); !slices.Contains(got, "filecoin-markets") {
		t.Errorf("advanced filec* = %v, want the Filecoin post", got)
	}
}

func TestCompletionsAreCapped(t *testing.T) {
	var words []string
	for i := range 3 * spell.MaxCompletions {
		words = append(words, fmt.Sprintf("zeta%03d", i))
	}
	ix := openWithSynonyms(t, fstest.MapFS{"many.md": postMD("Many", strings.Join(words, " "))})
	res := mustSearch(t, ix, Request{Query: "zeta"})
	if res.Total != 1 || len(res.Expansions) != 1 || len(res.Expansions[0].Into) > spell.MaxCompletions {
		t.Errorf("zeta: total %d, expansions %+v; want the post, with at most %d completions", res.Total, res.Expansions, spell.MaxCompletions)
	}
}

func TestTermSearcherLimitRefusesHugeQueries(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	ctx := context.WithValue(context.Background(), search.MaxTermSearchersKey, 3)
	_, err := ix.Search(ctx, Request{Query: "filecoin storage deals miners", Size: 5})
	var re *RequestError
	if !errors.As(err, &re) || re.Param != "q" {
		t.Errorf("Search over the limit = %v, want a RequestError on q", err)
	}
}

func TestOperators(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	tests := []struct {
		q    string
		want []string
	}{
		{"filecoin -storage", []string{"p2p-and-blockchain-have-come-of-age"}},
		{"libp2p OR filecoin", []string{"filecoin-markets", "libp2p-release", "p2p-and-blockchain-have-come-of-age"}},
		{"libp2p AND filecoin", nil},
		{"+gossipsub libp2p", []string{"libp2p-release"}},
		{"title:markets", []string{"filecoin-markets"}},
		{"tag:libp2p", []string{"libp2p-release"}},
		{`author:"grace hopper"`, []string{"filecoin-markets"}},
		{"date:2021 deals", []string{"filecoin-markets"}},
		{"date:..2020 deals", []string{"p2p-and-blockchain-have-come-of-age"}},
		{"date:..2017 deals", nil},
		{`"storage deals" -date:2020`, []string{"filecoin-markets"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := slugs(mustSearch(t, ix, Request{Query: tt.q, Mode: qlang.ModeAdvanced}).Hits)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestEchoOfTheParsedQuery(t *testing.T) {
	_, ix, _ := buildTestIndex(t, testContent(t))
	res := mustSearch(t, ix, Request{Query: "+filecoin date:2021"})
	if res.Parsed == nil || res.Parsed.Mode != qlang.ModeAdvanced || res.Parsed.Parsed != "+filecoin date:2021-01-01..2021-12-31" {
		t.Errorf("echo = %+v, want the grammar's reading", res.Parsed)
	}
}

func TestSynonymFileProblems(t *testing.T) {
	tests := []struct {
		name   string
		groups [][]string
		msg    string
	}{
		{"stop words only", [][]string{{"the", "a"}}, "no searchable words"},
		{"same meaning twice", [][]string{{"p2p", "peer-to-peer"}, {"peer to peer", "mesh"}}, "merge the two groups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var groups []post.SynonymGroup
			for i, g := range tt.groups {
				groups = append(groups, post.SynonymGroup{Terms: g, Line: i + 1})
			}
			err := CheckSynonyms(groups)
			var p *post.Problem
			if !errors.As(err, &p) || !strings.Contains(p.Error(), tt.msg) || p.File != post.SynonymsFile {
				t.Errorf("CheckSynonyms = %v, want a problem in %s saying %q", err, post.SynonymsFile, tt.msg)
			}
		})
	}
}

func TestFieldStatsCountTokens(t *testing.T) {
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{{ID: "1", Title: "The alpha beta", Text: "one two, three's four"}, {ID: "2", Title: "gamma delta-epsilon zeta", Text: "five and six"}}
	if _, err := build.Docs(context.Background(), store.s, docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	adv, _ := ix.cur.idx.Advanced()
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	st, err := fieldstats.Compute(r, fieldstats.Fields[:])
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != 2 || st.AvgLen[schema.FieldTitle] != 3 || st.AvgLen[schema.FieldBody] != 3 {
		t.Errorf("stats = %+v, want 2 docs, mean title and body length 3", st)
	}
	for f, want := range st.AvgLen {
		if got := ix.Manifest().FieldLengths[f]; got != want {
			t.Errorf("the build recorded a mean %s length of %v; its postings add up to %v", f, got, want)
		}
	}
}

func TestBuildDocsNeedsUniqueIDs(t *testing.T) {
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = build.Docs(context.Background(), store.s, []Doc{{ID: "1"}, {ID: "1"}}, BuildOptions{})
	if err == nil || !strings.Contains(err.Error(), "not unique") {
		t.Errorf("BuildDocs with a repeated id = %v, want an error", err)
	}
	if _, err := store.Current(); !errors.Is(err, ErrNoIndex) {
		t.Errorf("after a failed build Current = %v, want ErrNoIndex", err)
	}
}

// TestUndatedDocsPageWithCursors walks tied hits of undated documents one
// at a time, which takes the cursor through the date tie-breaker.
func TestUndatedDocsPageWithCursors(t *testing.T) {
	store, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{{ID: "a", Text: "same words"}, {ID: "b", Text: "same words"}, {ID: "c", Text: "same words"}}
	if _, err := build.Docs(context.Background(), store.s, docs, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var got []string
	err = ix.scan(context.Background(), Request{Query: "same words", Mode: qlang.ModePlain, Size: 1}, func(r *Result) error {
		got = append(got, slugs(r.Hits)...)
		return nil
	})
	if err != nil || !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("scan = %v, %v; want a, b, c one page each", got, err)
	}
}
