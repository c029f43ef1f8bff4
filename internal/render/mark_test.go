package render

import (
	"html/template"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// wordsOf is a stand-in matcher: every occurrence of any of the words.
func wordsOf(words ...string) func(string) [][2]int {
	return func(text string) [][2]int {
		var out [][2]int
		for i := 0; i < len(text); {
			hit := false
			for _, w := range words {
				if strings.HasPrefix(text[i:], w) {
					out = append(out, [2]int{i, i + len(w)})
					i += len(w)
					hit = true
					break
				}
			}
			if !hit {
				i++
			}
		}
		return out
	}
}

func TestMark(t *testing.T) {
	tests := []struct {
		name, in string
		words    []string
		want     string
		marks    int
	}{
		{"first mark gets the id", `<p>a cat and a cat</p>`, []string{"cat"},
			`<p>a <mark class="hl" id="first-match">cat</mark> and a <mark class="hl">cat</mark></p>`, 2},
		{"attributes are not text", `<p><a href="/cat" title="cat">dog</a></p>`, []string{"cat"},
			`<p><a href="/cat" title="cat">dog</a></p>`, 0},
		{"entities stay escaped", `<p>&lt;cat&gt; &amp; cat</p>`, []string{"cat"},
			`<p>&lt;<mark class="hl" id="first-match">cat</mark>&gt; &amp; <mark class="hl">cat</mark></p>`, 2},
		{"a match cannot inject markup", `<p>&lt;script&gt;</p>`, []string{"<script>"},
			`<p><mark class="hl" id="first-match">&lt;script&gt;</mark></p>`, 1},
		{"hidden text is left alone", `<style>.cat{}</style><p>cat</p>`, []string{"cat"},
			`<style>.cat{}</style><p><mark class="hl" id="first-match">cat</mark></p>`, 1},
		{"no matches, same HTML", `<p>dog <br/> x</p>`, []string{"cat"}, `<p>dog <br/> x</p>`, 0},
		{"a match runs through inline markup, marked in pieces", `<p>on content <em>addressing</em> now</p>`, []string{"content addressing"},
			`<p>on <mark class="hl" id="first-match">content </mark><em><mark class="hl">addressing</mark></em> now</p>`, 1},
		{"a link around a phrase", `<p><a href="/x">peer to peer</a> and peer-<code>to</code>-peer</p>`, []string{"peer to peer", "peer-to-peer"},
			`<p><a href="/x"><mark class="hl" id="first-match">peer to peer</mark></a> and <mark class="hl">peer-</mark><code><mark class="hl">to</mark></code><mark class="hl">-peer</mark></p>`, 2},
		{"blocks end a run", `<p>content</p><p>addressing</p><ul><li>content<br>addressing</li></ul>`, []string{"content addressing", "contentaddressing"},
			`<p>content</p><p>addressing</p><ul><li>content<br>addressing</li></ul>`, 0},
		{"hidden text inside a run is left alone", `<p>a cat<span><script>cat</script></span> cat</p>`, []string{"cat"},
			`<p>a <mark class="hl" id="first-match">cat</mark><span><script>cat</script></span> <mark class="hl">cat</mark></p>`, 2},
		{"a word glued to a link's end is a word of its own", `<p>on <a href="/f">Filecoin</a>for NFTs, <a href="/f">Filecoin</a>'s deals</p>`, []string{"Filecoin for", "Filecoin's"},
			`<p>on <a href="/f"><mark class="hl" id="first-match">Filecoin</mark></a><mark class="hl">for</mark> NFTs, <a href="/f"><mark class="hl">Filecoin</mark></a><mark class="hl">&#39;s</mark> deals</p>`, 2},
		{"a footnote's number is not read", `<p>Filecoin<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup> now 1</p>`, []string{"Filecoin", "1"},
			`<p><mark class="hl" id="first-match">Filecoin</mark><sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup> now <mark class="hl">1</mark></p>`, 2},
		{"escaped text across pieces stays escaped", `<p>&lt;b&gt;<i>&lt;/b&gt;</i></p>`, []string{"<b></b>"},
			`<p><mark class="hl" id="first-match">&lt;b&gt;</mark><i><mark class="hl">&lt;/b&gt;</mark></i></p>`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := Mark(template.HTML(tt.in), wordsOf(tt.words...))
			if string(got) != tt.want || n != tt.marks {
				t.Errorf("Mark = %q (%d marks), want %q (%d)", got, n, tt.want, tt.marks)
			}
		})
	}
}

// A matcher's ranges are not trusted: empty, reversed, overlapping or
// out-of-range ones are skipped, and the text comes out whole.
func TestMarkSkipsBadRanges(t *testing.T) {
	bad := func(text string) [][2]int {
		return [][2]int{{3, 1}, {0, 2}, {1, 3}, {2, 2}, {4, 5}, {4, 1 << 20}, {-1, 1}}
	}
	got, n := Mark(`<p>ab<b>cd</b>ef</p>`, bad)
	want := `<p><mark class="hl" id="first-match">ab</mark><b>cd</b><mark class="hl">e</mark>f</p>`
	if string(got) != want || n != 2 {
		t.Errorf("Mark = %q (%d), want %q (2)", got, n, want)
	}
}

// FuzzMark: whatever the HTML and the words, Mark only adds its own
// marks: the text a browser shows is the same, each tag of the input is
// there in order, and nothing it adds can open a tag.
//
//	go test ./internal/render -run '^$' -fuzz '^FuzzMark$' -fuzztime 2m
func FuzzMark(f *testing.F) {
	f.Add(`<p>on content <em>addressing</em> now</p>`, "content addressing")
	f.Add(`<p>&lt;script&gt;<i>alert</i></p><script>cat</script>`, "<script>alert")
	f.Add(`<p><a href="/x">Filecoin</a>for<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>`, "Filecoin for")
	f.Add("<pre><code>a &amp; b\n</code></pre><p>x<br>y", "b")
	f.Fuzz(func(t *testing.T, in, word string) {
		if word == "" {
			return
		}
		out, n := Mark(template.HTML(in), wordsOf(word))
		gotText, gotTags := textAndTags(string(out))
		wantText, wantTags := textAndTags(in)
		if gotText != wantText {
			t.Fatalf("text changed: %q, was %q", gotText, wantText)
		}
		if !slices.Equal(gotTags, wantTags) {
			t.Fatalf("tags changed: %q, were %q", gotTags, wantTags)
		}
		if n > 0 && !strings.Contains(string(out), `id="first-match"`) {
			t.Fatalf("%d marks, none with the id", n)
		}
	})
}

// textAndTags is the decoded text of h and its tags other than Mark's.
func textAndTags(h string) (string, []string) {
	z := html.NewTokenizer(strings.NewReader(h))
	var text strings.Builder
	var tags []string
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			return text.String(), tags
		case html.TextToken:
			text.Write(z.Text())
		default:
			raw := string(z.Raw())
			if raw == `<mark class="hl">` || raw == `<mark class="hl" id="first-match">` || raw == "</mark>" {
				continue
			}
			tags = append(tags, raw)
		}
	}
}
