package render

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// hostileSeeds are the site-generator syntaxes real archives hold and the
// shapes that once made rendering slow or huge, small enough for the
// fuzzer to mutate quickly. More seeds are in testdata/fuzz/FuzzRenderHostile.
func hostileSeeds() []string {
	return []string{
		"{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n",
		"{{< highlight go >}}\nno end\n" + strings.Repeat("line\n", 5),
		"{{% notice tip %}}\n**bold** {{< ref \"other.md\" >}}\n{{% /notice %}}\n",
		"text {{< figure src=\"/a.png\" caption=\"<b>cap</b>\" >}} {{< youtube abc >}} {{<",
		strings.Repeat("{{< ", 20) + "\n",
		"{% raw %}{{ page.title }}{% endraw %}\n{% include note.html content=\"x\" %}\n{{ site.url | append: '/' }}\n",
		"{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n{% if a %}b{% endif %}\n",
		"import Tabs from '@theme/Tabs';\nexport const meta = {title: 'x'};\n\n<Tabs groupId=\"a\">\n<TabItem value=\"b\">\n\nText\n\n</TabItem>\n</Tabs>\n<Comp prop={1}/>\n",
		strings.Repeat(">", 40) + " deep\n",
		strings.Repeat("- ", 40) + "deep\n" + strings.Repeat("  ", 40) + "- deeper\n",
		strings.Repeat("1. > * ", 15) + "mixed\n",
		"| a | b |\n|---|---|\n" + strings.Repeat("x\n", 5),
		strings.Repeat("|a", 40) + "|\n" + strings.Repeat("|-", 40) + "|\n" + strings.Repeat("x\n", 40),
		strings.Repeat("[a] ", 50) + "\n\n[a]: /" + strings.Repeat("u", 200) + " \"t\"\n",
		strings.Repeat("[a](", 60) + "\n" + strings.Repeat("[a](<", 50) + "\n",
		strings.Repeat("x", 300) + " " + strings.Repeat("*a", 60) + "\n",
		"```\n" + strings.Repeat(">", 40) + "\n```\n<script>alert(1)</script><SCRIPT src=x></SCRIPT>\n",
		"<div onclick=\"x\">\n\n[j](javascript:alert(1)) ![i](x \"<script>\")\n\n</div>\n$$\n\\frac{a}{b}\n$$\n:::: tip\n:smile:\n::::\n",
	}
}

// FuzzRenderHostile renders arbitrary input within a render budget and
// checks what a reader's browser and the index get: no panic (a recovered
// one shows in Doc.Plain), no render past the time budget, valid UTF-8,
// no <script, and HTML and text bounded in the input's size.
//
//	go test ./internal/render -run '^$' -fuzz FuzzRenderHostile -fuzztime 10m -parallel 1
func FuzzRenderHostile(f *testing.F) {
	for _, s := range hostileSeeds() {
		f.Add([]byte(s))
	}
	r := New()
	budget := Budget{Timeout: 3 * time.Second}
	f.Fuzz(func(t *testing.T, md []byte) {
		doc, err := r.RenderWithin(context.Background(), md, Options{}, budget)
		if err != nil {
			t.Fatalf("RenderWithin: %v", err)
		}
		if strings.Contains(doc.Plain, "renderer failed") || strings.Contains(doc.Plain, "longer than") {
			t.Fatalf("rendered plain: %s", doc.Plain)
		}
		checkBounded(t, md, doc)
		text, err := r.TextWithin(context.Background(), md, Options{}, budget)
		if err != nil {
			t.Fatalf("TextWithin: %v", err)
		}
		if text.Plain != "" && doc.Plain == "" {
			t.Fatalf("TextWithin rendered plain (%s) where RenderWithin did not", text.Plain)
		}
		checkBounded(t, md, text)
	})
}

func checkBounded(t *testing.T, md []byte, doc *Doc) {
	t.Helper()
	html := string(doc.HTML)
	if !utf8.ValidString(html) || !utf8.ValidString(doc.Text) || !utf8.ValidString(doc.Summary) {
		t.Fatalf("output is not valid UTF-8: %q / %q", clip(html, 200), clip(doc.Text, 200))
	}
	if strings.Contains(strings.ToLower(html), "<script") {
		t.Fatalf("HTML contains <script: %s", clip(html, 500))
	}
	if max := maxHTML(len(md)); len(html) > max {
		t.Fatalf("HTML is %d bytes for %d bytes of Markdown, over %d", len(html), len(md), max)
	}
	if max := 4*len(md) + 1024; len(doc.Text) > max {
		t.Fatalf("Text is %d bytes for %d bytes of Markdown, over %d", len(doc.Text), len(md), max)
	}
}

// TestHostileSeedsAreRenderedMarkdown runs the fuzz seeds as a plain test:
// each renders as Markdown (not plain), within bounds.
func TestHostileSeedsAreRenderedMarkdown(t *testing.T) {
	r := New()
	for _, s := range hostileSeeds() {
		doc, err := r.RenderWithin(context.Background(), []byte(s), Options{}, Budget{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Plain != "" {
			t.Errorf("%q rendered plain: %s", clip(s, 60), doc.Plain)
		}
		checkBounded(t, []byte(s), doc)
	}
}
