package render

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blust/archive/internal/testshared"
)

// FuzzRender feeds arbitrary Markdown to Render and Text. Seeds live in
// testdata/fuzz/FuzzRender; the start of each golden post is added too
// when the shared corpus is there.
// Only the start: the fuzzer minimises every new input it finds, and on
// 20 KB inputs that takes minutes per input and stalls the run.
func FuzzRender(f *testing.F) {
	if corpus, ok := testshared.Has(f, "corpus"); ok {
		for _, p := range readGoldenPosts(f, corpus) {
			f.Add(p.body[:cutAtLine(p.body, 1500)])
		}
	}
	// One seed per generator syntax, so the fuzzer starts from each.
	for _, seed := range []string{
		"{{< figure src=\"a.png\" caption=\"*x*\" >}}\n{{% note %}}\nA\n{{% /note %}}\n{{< highlight go >}}\nx\n{{< /highlight >}}",
		"{% raw %}{{ a }}{% endraw %} {% assign b = \"c\" | upcase %}{{ b }} {% capture d %}e{% endcapture %}{{d}}\n{% if page.x %}y{% else %}z{% endif %}",
		"{% comment %}\nx\n{% endcomment %}\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n{% include a.md q0=\"Q\" a0=\"A\" %}\n{:.center}",
		"{% note warn %}\nN\n{% endnote %}\n{% codeblock lang:js %}\nx\n{% endcodeblock %}\n{% asset_img a.png T %}",
		"import A from 'a';\nexport const b = {\n c: 1,\n};\n{/* c */}\n<A x={1} y=\"2\">kid</A>\n<B />\n:::info[T]\nx\n:::\n[TOC]",
		"{{code \"a.go\" `/S/` `/E/`}}\n{{image \"a.png\"}}\n{{raw `<b>x</b>`}}",
		"{{ youtube(id=\"x\", n=1) }}\n{% note(kind='tip', title=\"T\") %}\nA\n{% end %}\n{% q(a=`b`) %}\n{% end %}\n{{/* x() */}} {% image \"a.png\", \"alt\" %} {% post_link a-b T %}",
	} {
		f.Add([]byte(seed))
	}
	r := New()
	f.Fuzz(func(t *testing.T, md []byte) {
		doc, err := r.Render(md)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if strings.Contains(strings.ToLower(string(doc.HTML)), "<script") {
			t.Fatalf("HTML contains <script: %s", doc.HTML)
		}
		if !utf8.ValidString(doc.Text) {
			t.Fatalf("Text is not valid UTF-8: %q", doc.Text)
		}
		checkDoc(t, doc)
		checkHeadingAnchors(t, doc)
		text, err := r.Text(md)
		if err != nil {
			t.Fatalf("Text: %v", err)
		}
		if text.Text != doc.Text || jsonOf(t, text.Headings) != jsonOf(t, doc.Headings) {
			t.Fatalf("Text() and Render() disagree:\n%q\n%q", text.Text, doc.Text)
		}
	})
}

// cutAtLine returns the end of the last whole line within the first n bytes.
func cutAtLine(b []byte, n int) int {
	if len(b) <= n {
		return len(b)
	}
	if i := bytes.LastIndexByte(b[:n], '\n'); i >= 0 {
		return i + 1
	}
	return n
}
