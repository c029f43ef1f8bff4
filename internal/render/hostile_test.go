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
// post: 3 MB took over 60 s). Each input is rendered at two sizes, n and
// 4n: linear work takes about four times as long, quadratic sixteen.
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
	const n = 150_000
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			small := renderTime(t, r, tt.gen(n))
			large := renderTime(t, r, tt.gen(4*n))
			t.Logf("%d bytes: %v, %d bytes: %v", n, small, 4*n, large)
			if large > 10*small+200*time.Millisecond {
				t.Errorf("4x the input took %v against %v: the work grows faster than the input", large, small)
			}
		})
	}
}

// renderTime is the fastest of three renderings, which keeps a busy
// machine's noise out of the comparison.
func renderTime(t *testing.T, r *Renderer, md string) time.Duration {
	t.Helper()
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		doc, err := r.Render([]byte(md))
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.HTML) > 8*len(md)+(1<<20) {
			t.Fatalf("%d bytes of input gave %d bytes of HTML", len(md), len(doc.HTML))
		}
		best = min(best, time.Since(start))
	}
	return best
}
