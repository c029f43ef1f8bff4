package render

import (
	"strings"
	"testing"
	"time"
)

// TestHostileTemplatesAreLinear builds the inputs of issue 17 item 8 in
// code: thousands of {{< highlight >}} tags each followed by many lines
// (every tag used to scan every following line: 4,000 lines took 4.2 s),
// and megabytes of unclosed openers (every opener searched the rest of the
// post: 3 MB took over 60 s). Each input goes through the template stage
// at two sizes, n and 8n: linear work takes about eight times as long,
// quadratic sixty-four. TestDegenerateTags and FuzzRender render them whole.
func TestHostileTemplatesAreLinear(t *testing.T) {
	tests := []struct {
		name string
		gen  func(n int) string
	}{
		{"highlight openers without closers", func(n int) string { return strings.Repeat("{{< highlight go >}}\ncode line\n", n/30) }},
		{"highlight openers, one closer at the end", func(n int) string {
			return strings.Repeat("{{< highlight go >}}\ncode line\n", n/30) + "{{< /highlight >}}\n"
		}},
		{"unclosed hugo openers on one line", func(n int) string { return strings.Repeat("{{< a ", n/6) }},
		{"unclosed hugo openers on many lines", func(n int) string { return strings.Repeat("{{< a\n", n/6) }},
		{"unclosed liquid tags", func(n int) string { return strings.Repeat("{% a ", n/5) }},
		{"unclosed liquid outputs", func(n int) string { return strings.Repeat("{{ a ", n/5) }},
		{"unclosed mdx comments", func(n int) string { return strings.Repeat("{/* a ", n/6) }},
		{"unclosed jsx tags", func(n int) string { return strings.Repeat("<Foo a=\"b\" ", n/11) }},
		{"liquid tags spanning lines", func(n int) string { return strings.Repeat("{% include x.md\n", n/16) + "%}" }},
		{"comment regions", func(n int) string { return strings.Repeat("{% comment %}\n", n/14) + "{% endcomment %}" }},
		{"capture used many times", func(n int) string {
			return "{% capture x %}" + strings.Repeat("y", n/10) + "{% endcapture %}\n" + strings.Repeat("{{ x }}", n/7)
		}},
	}
	r := New()
	const n = 100_000
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			small := renderTime(t, r, tt.gen(n))
			large := renderTime(t, r, tt.gen(8*n))
			t.Logf("%d bytes: %v, %d bytes: %v", n, small, 8*n, large)
			if large > 24*small+500*time.Millisecond { // the quadratic code took seconds here
				t.Errorf("8x the input took %v against %v: the work grows faster than the input", large, small)
			}
		})
	}
}

// renderTime is the fastest of three runs of the template stage (where
// the quadratic scans were; goldmark's own costs are bounded by the render
// budget), which keeps a busy machine's noise out of the comparison.
func renderTime(t *testing.T, r *Renderer, md string) time.Duration {
	t.Helper()
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		out, _ := r.preprocess([]byte(md), &Options{})
		best = min(best, time.Since(start))
		if len(out) > 4*len(md)+(1<<20) {
			t.Fatalf("%d bytes of input gave %d bytes of Markdown", len(md), len(out))
		}
	}
	return best
}

// TestDegenerateTags renders tags too short to have a body; each once
// sliced out of range.
func TestDegenerateTags(t *testing.T) {
	r := New()
	for _, md := range []string{"{{%}}", "{%}", "{{<>}}", "{{<}}", "{% %}", "{{% comment %}}x{{%}}", "{% comment %}x{%}", "{{<\n>}}", "{/**/}", "<A{}>", "<A b={>", "{{code \"\"}}"} {
		if _, err := r.Render([]byte(md)); err != nil {
			t.Errorf("Render(%q): %v", md, err)
		}
	}
}
