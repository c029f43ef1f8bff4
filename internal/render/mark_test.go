package render

import (
	"html/template"
	"strings"
	"testing"
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
