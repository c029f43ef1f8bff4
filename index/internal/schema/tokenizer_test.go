package schema

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// checkSameTokens fails unless wordTokenizer splits text as bleve's
// unicode tokenizer does: same terms, places, positions and types.
func checkSameTokens(t testing.TB, text string) {
	t.Helper()
	if !utf8.ValidString(text) {
		return // bleve's tokenizer drops all that follows (see segment)
	}
	want := tokensOf(unicode.NewUnicodeTokenizer().Tokenize([]byte(text)))
	got := tokensOf(wordTokenizer{}.Tokenize([]byte(text)))
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("text %q:\n got %v\nwant %v", text, got, want)
	}
}

func TestWordTokenizerMatchesUnicode(t *testing.T) {
	cases := []string{
		"", " ", "a", "_", "__", "1", "a_", "_a", "_1", "1_", "a_1", "1_a",
		"e.g. i.e. U.S.A. don't it's rock'n'roll ipfs's",
		"3.14 1,000,000 10:30 1;2 1'000 1.a a.1 a:b a;b a,b a..b 1..2 a.b. .a .1",
		"p2p h264 4K 0x1F 2nd v1.2.3 foo_bar __init__ x__y a_.b 1_.2 _._",
		"word-word word/word word@host http://ipfs.io/ipfs/Qm?x=1&y=2#z",
		"tab\there\nline\r\nCRLF\vvt\fff  two  spaces",
		"café naïve résumé Ünïcödé İstanbul ǅemal straße",
		"日本語のテキスト 中文 한국어 カタカナ ひらがな",
		"a\u0301b x\u00ADy z\u200Dw e\u0301.g\u0301 1\u0301.2",
		" \u0301lead trail\u0301 \u0301 mid\u2019quote 1\u20192 a\u00B7b",
		"emoji 👍🏽 flags 🇫🇷🇩🇪 zwj 👨‍👩‍👧 end",
		"\"quoted\" (paren) [bracket] {brace} <angle> `tick` *star* ~tilde~",
		"\x00\x01ctrl\x7f",
	}
	for _, c := range cases {
		checkSameTokens(t, c)
	}
	for i, text := range analyzerTexts(t) {
		if t.Failed() {
			break
		}
		_ = i
		checkSameTokens(t, string(text))
	}
}

// Where bleve's tokenizer drops everything after an invalid byte, the
// words around it are kept.
func TestWordTokenizerInvalidUTF8(t *testing.T) {
	for text, want := range map[string]string{
		"\xff\xfe bad utf8 \xc3": "bad@1[3:6]0 utf8@2[7:11]0",
		"café\xffnaïve é\xc3x 1": "café@1[0:5]0 naïve@2[6:12]0 é@3[13:15]0 x@4[16:17]0 1@5[18:19]2",
	} {
		got := strings.Join(tokensOf(wordTokenizer{}.Tokenize([]byte(text))), " ")
		if got != want {
			t.Errorf("%q: got %s, want %s", text, got, want)
		}
	}
}

// Random strings over the characters the rules treat specially.
func TestWordTokenizerRandom(t *testing.T) {
	parts := []string{"a", "Z", "q", "1", "9", "_", ".", "'", ":", ",", ";", "-", "\"", " ", "\n", "\r",
		"\t", "é", "日", "カ", "\u0301", "\u00AD", "\u200D", "\u2019", "·", "\xff", "👍", "🇫"}
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 200000 {
		b.Reset()
		for range 1 + r.IntN(12) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		checkSameTokens(t, b.String())
	}
}

func FuzzWordTokenizer(f *testing.F) {
	for _, s := range []string{"e.g. 3.14 don't", "a_1.2:b", "café\u0301 日本", "1,0;0'0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkSameTokens(t, s) })
}

func BenchmarkTokenize(b *testing.B) {
	texts := analyzerTexts(b)
	var n int
	for _, t := range texts {
		n += len(t)
	}
	b.Run("unicode", func(b *testing.B) {
		b.SetBytes(int64(n))
		tk := unicode.NewUnicodeTokenizer()
		for b.Loop() {
			for _, t := range texts {
				tk.Tokenize(t)
			}
		}
	})
	b.Run("word", func(b *testing.B) {
		b.SetBytes(int64(n))
		for b.Loop() {
			for _, t := range texts {
				wordTokenizer{}.Tokenize(t)
			}
		}
	})
}
