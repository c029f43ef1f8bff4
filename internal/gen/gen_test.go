package gen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/blust/archive/internal/post"
)

// The reference generator's vocabulary for seed 42, hashed: python3 -c
// 'import gen_corpus as g, hashlib; print(hashlib.sha256("\n".join(g.build_vocab(42)[0]).encode()).hexdigest())'
const referenceVocabSHA256 = "4b1bc141f86debd805c51efdaf33bf80eed0865b21a4d45dac0078bbbd08369c"

func TestVocabularyMatchesReference(t *testing.T) {
	v := buildVocab(DefaultSeed)
	sum := sha256.Sum256([]byte(strings.Join(v.words, "\n")))
	if got := hex.EncodeToString(sum[:]); got != referenceVocabSHA256 {
		t.Errorf("vocabulary hash = %s, want %s", got, referenceVocabSHA256)
	}
	for _, tc := range []struct {
		rank int
		want string
	}{{1, "the"}, {20001, "bloamply"}, {200000, "fiwheter"}} {
		if got := v.words[tc.rank-1]; got != tc.want {
			t.Errorf("word of rank %d = %q, want %q", tc.rank, got, tc.want)
		}
	}
}

func TestPostIsDeterministic(t *testing.T) {
	a, b := New(DefaultSeed), New(DefaultSeed)
	for _, i := range []int{0, 1, 9999, 123456} {
		sa, ta := a.Post(i)
		sb, tb := b.Post(i)
		if sa != sb || !bytes.Equal(ta, tb) {
			t.Errorf("post %d differs between two generators of the same seed", i)
		}
	}
	if _, other := New(7).Post(0); bytes.Equal(other, mustPost(a, 0)) {
		t.Errorf("seeds 7 and %d gave the same post 0", DefaultSeed)
	}
}

func mustPost(g *Generator, i int) []byte {
	_, b := g.Post(i)
	return b
}

// TestCorpusLoads writes a small corpus and reads it back through the
// archive's own loader: every post must be accepted and look like a post.
func TestCorpusLoads(t *testing.T) {
	const n = 60
	g := New(DefaultSeed)
	dir := t.TempDir()
	c, err := g.Ensure(context.Background(), dir, n)
	if err != nil {
		t.Fatal(err)
	}
	if c.Posts != n || c.Cached {
		t.Fatalf("Ensure = %d posts, cached %v; want %d, false", c.Posts, c.Cached, n)
	}
	res, err := post.Load(os.DirFS(dir), post.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 {
		t.Fatalf("generated posts rejected: %v", res.Problems[0])
	}
	if got := len(res.Posts); got != n {
		t.Fatalf("loaded %d posts, want %d", got, n)
	}
	var headings, code, nonASCII, topical int
	for _, p := range res.Posts {
		body := string(p.Body)
		words := len(strings.Fields(body))
		if words < 800 || words > 2600 {
			t.Errorf("%s: %d words in the body, want about 800–2,000", p.File, words)
		}
		if p.Title == "" || p.Date.IsZero() || len(p.Tags) == 0 || len(p.Authors) != 1 {
			t.Errorf("%s: missing front matter: %+v", p.File, p)
		}
		headings += b2i(strings.Contains(body, "\n## "))
		code += b2i(strings.Contains(body, "```"))
		nonASCII += b2i(strings.ContainsFunc(body, func(r rune) bool { return r > 127 }))
		topical += b2i(strings.Contains(strings.ToLower(body), "ipfs"))
	}
	for name, got := range map[string]int{"headings": headings, "code blocks": code, "non-ASCII": nonASCII, "ipfs": topical} {
		if got < n/10 {
			t.Errorf("%d of %d posts have %s, want at least a tenth", got, n, name)
		}
	}
	again, err := g.Ensure(context.Background(), dir, n)
	if err != nil || !again.Cached || again.Bytes != c.Bytes {
		t.Errorf("second Ensure = %+v, %v; want the cached corpus of %d bytes", again, err, c.Bytes)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestQueries(t *testing.T) {
	qs := Queries()
	if got, want := len(qs), 226+12; got != want {
		t.Fatalf("%d queries, want %d", got, want)
	}
	kinds := map[string]int{}
	for _, q := range qs {
		kinds[q.Kind]++
	}
	for _, k := range []string{"term_common", "term_rare", "multi2", "phrase", "prefix", "field_tag", "field_title", "typo"} {
		if kinds[k] == 0 {
			t.Errorf("no %s queries", k)
		}
	}
}

func TestClauses(t *testing.T) {
	tests := []struct {
		in   string
		want []Clause
	}{
		{"api search", []Clause{{Kind: Term, Value: "api"}, {Kind: Term, Value: "search"}}},
		{`"peer to peer" streaming`, []Clause{{Kind: Phrase, Value: "peer to peer"}, {Kind: Term, Value: "streaming"}}},
		{"stream* webrtc", []Clause{{Kind: Prefix, Value: "stream"}, {Kind: Term, Value: "webrtc"}}},
		{"tag:p2p search", []Clause{{Kind: Field, Field: "tag", Value: "p2p"}, {Kind: Term, Value: "search"}}},
		{`title:"video streaming"`, []Clause{{Kind: Field, Field: "title", Value: "video streaming", Quoted: true}}},
		{"a:b", []Clause{{Kind: Term, Value: "a:b"}}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := Query{Text: tc.in}.Clauses()
			if len(got) != len(tc.want) {
				t.Fatalf("Clauses(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("clause %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestSearchBox: what the archive is asked for each line of the mix.
// title: stays a field search, as the other engines run it.
func TestSearchBox(t *testing.T) {
	tests := []struct {
		in, text string
		tags     []string
	}{
		{"api search", "api search", nil},
		{`"peer to peer" streaming`, `"peer to peer" streaming`, nil},
		{"stream* webrtc", "stream* webrtc", nil},
		{"tag:p2p", "", []string{"p2p"}},
		{"tag:p2p search", "search", []string{"p2p"}},
		{"title:ipfs", "title:ipfs", nil},
		{`title:"video streaming"`, `title:"video streaming"`, nil},
	}
	for _, tc := range tests {
		text, tags := Query{Text: tc.in}.SearchBox()
		if text != tc.text || !slices.Equal(tags, tc.tags) {
			t.Errorf("SearchBox(%q) = %q, %q; want %q, %q", tc.in, text, tags, tc.text, tc.tags)
		}
	}
}
