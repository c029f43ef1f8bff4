package render

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// hostileTemplates are the inputs of issue 17 item 8, built in code:
// thousands of {{< highlight >}} tags each followed by many lines (every
// tag used to scan every following line: 4,000 lines took 4.2 s), and
// megabytes of unclosed openers (every opener searched the rest of the
// post: 3 MB took over 60 s). Each makes about n bytes.
var hostileTemplates = []struct {
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

// hostileTemplateSize is the small size of each hostile template input;
// the benchmark also runs 8x it.
const hostileTemplateSize = 100_000

// TestHostileTemplatesAreLinear puts each hostile template input through
// the template stage (where the quadratic scans were; goldmark's own
// costs are bounded by the render budget) at n and 8n bytes and checks
// the output stays bounded. It asserts no time: the linearity is measured
// by BenchmarkHostileTemplates (linear work takes about 8x as long at 8n,
// quadratic 64x):
//
//	go test ./internal/render -run '^$' -bench BenchmarkHostileTemplates -benchtime 3x
//
// The watchdog only catches a hang (the quadratic code took over a
// minute on 3 MB). The 8n inputs are skipped under -race and -short.
// TestDegenerateTags and FuzzRender render them whole.
func TestHostileTemplatesAreLinear(t *testing.T) {
	defer watchdog(t, 60*time.Second)()
	r := New()
	sizes := []int{hostileTemplateSize, 8 * hostileTemplateSize}
	if raceEnabled || testing.Short() {
		sizes = sizes[:1]
	}
	for _, tt := range hostileTemplates {
		t.Run(tt.name, func(t *testing.T) {
			for _, n := range sizes {
				md := tt.gen(n)
				out, _ := r.preprocess([]byte(md), &Options{})
				if len(out) > 4*len(md)+(1<<20) {
					t.Fatalf("%d bytes of input gave %d bytes of Markdown", len(md), len(out))
				}
			}
		})
	}
}

// BenchmarkHostileTemplates measures the template stage on each hostile
// template input at n and 8n bytes: the 8n time should be about 8x the n
// time (the quadratic code was 64x: seconds here).
func BenchmarkHostileTemplates(b *testing.B) {
	r := New()
	for _, tt := range hostileTemplates {
		for _, n := range []int{hostileTemplateSize, 8 * hostileTemplateSize} {
			md := []byte(tt.gen(n))
			b.Run(fmt.Sprintf("%s/%d", strings.ReplaceAll(tt.name, " ", "_"), n), func(b *testing.B) {
				b.SetBytes(int64(len(md)))
				for b.Loop() {
					r.preprocess(md, &Options{})
				}
			})
		}
	}
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
