package render

import (
	"strings"
	"testing"
)

func TestShortcodes(t *testing.T) {
	tests := []struct {
		name     string
		md       string
		wantHTML []string // each must appear in the HTML
		wantText string   // embeds have none: a video is not text
	}{
		{
			name: "figure",
			md:   `{{< figure src="grid.png" alt="The grid" caption="**Figure 1**: a [map](https://x.org) of <CID>" >}}`,
			wantHTML: []string{`<figure class="figure"><img loading="lazy" src="grid.png" alt="The grid"><figcaption>` +
				`<strong>Figure 1</strong>: a <a href="https://x.org" rel="nofollow noopener">map</a> of &lt;CID&gt;</figcaption></figure>`},
			wantText: "The grid\nFigure 1: a map of <CID>",
		},
		{
			name:     "figure without spaces, inside center",
			md:       `<center>{{<figure src="/images/logo.svg" alt="ResNetLab" link="/research/groups/resnetlab/" width="150px">}}</center>`,
			wantHTML: []string{`<figure class="figure"><a href="/research/groups/resnetlab/" rel="nofollow noopener"><img loading="lazy" src="/images/logo.svg" alt="ResNetLab"></a></figure>`},
			wantText: "ResNetLab",
		},
		{
			name:     "figure followed directly by prose",
			md:       "{{< figure src=\"a.png\" caption=\"Cap\" >}}\nProse with *emphasis*.",
			wantHTML: []string{"<figcaption>Cap</figcaption></figure>", "<p>Prose with <em>emphasis</em>.</p>"},
			wantText: "Cap\nProse with emphasis.",
		},
		{
			name:     "highlight becomes fenced code",
			md:       "Before.\n\n{{< highlight tsx \"linenos=table\" >}}\nconst x = <S>() => 1\n{{< /highlight >}}\n\nAfter.",
			wantHTML: []string{`<pre class="chroma"><code>`, `<span class="kr">const</span>`, "<p>After.</p>"},
			wantText: "Before.\nconst x = <S>() => 1\nAfter.",
		},
		{
			name:     "youtube",
			md:       "{{< youtube G7d5KNRZdp0 >}}",
			wantHTML: []string{`<a class="embed" href="https://www.youtube.com/watch?v=G7d5KNRZdp0" rel="nofollow noopener">Watch on YouTube</a>`},
			wantText: "",
		},
		{
			name:     "youtube with a named id",
			md:       `{{< youtube id="G7d5KNRZdp0" title="A talk" >}}`,
			wantHTML: []string{`href="https://www.youtube.com/watch?v=G7d5KNRZdp0"`},
		},
		{
			name:     "vuepress youtube",
			md:       "Talk:\n\n@[youtube](jTDkTQiKzJA)\nNext line.",
			wantHTML: []string{`<a class="embed" href="https://www.youtube.com/watch?v=jTDkTQiKzJA" rel="nofollow noopener">Watch on YouTube</a>`, "<p>Next line.</p>"},
			wantText: "Talk:\nNext line.",
		},
		{
			name:     "vuepress vimeo",
			md:       "@[vimeo](535625281)",
			wantHTML: []string{`<a class="embed" href="https://vimeo.com/535625281" rel="nofollow noopener">Watch on Vimeo</a>`},
		},
		{
			name:     "raw youtube iframe",
			md:       `<iframe width="560" src="https://www.youtube-nocookie.com/embed/xnX0Mz4mPQI" allowfullscreen></iframe>`,
			wantHTML: []string{`<a class="embed" href="https://www.youtube.com/watch?v=xnX0Mz4mPQI" rel="nofollow noopener">Watch on YouTube</a>`},
		},
		{
			name:     "other iframe becomes a link to its page",
			md:       `<iframe src="https://codepen.io/team/embed/abc"></iframe>`,
			wantHTML: []string{`<a class="embed" href="https://codepen.io/team/embed/abc" rel="nofollow noopener">Open the embedded content on codepen.io</a>`},
		},
		{
			name:     "table of contents removed",
			md:       "{{< table_of_contents >}}\n\n[[toc]]\n\nText.",
			wantHTML: []string{"<p>Text.</p>"},
			wantText: "Text.",
		},
		{
			name:     "ref and relref give their target",
			md:       `[PL Research]({{< ref "/about" >}}) and {{< relref "posts/x.md" >}}`,
			wantHTML: []string{`<a href="/posts/about" rel="nofollow noopener">PL Research</a> and /posts/x`},
			wantText: "PL Research and /posts/x",
		},
		{
			name:     "unknown shortcodes vanish, inner text stays",
			md:       `{{< marker type="warn" >}}Careful{{< /marker >}} and {{% aside %}}more{{% /aside %}} {{< br />}}end`,
			wantHTML: []string{"<p>Careful and more end</p>"},
			wantText: "Careful and more end",
		},
		{
			name:     "escaped shortcode is shown",
			md:       `Write {{</* figure src="x" */>}} to add one.`,
			wantHTML: []string{`Write {{&lt; figure src=&#34;x&#34; &gt;}} to add one.`},
			wantText: `Write {{< figure src="x" >}} to add one.`,
		},
		{
			name:     "fenced code is left alone",
			md:       "```\n{{< youtube abc >}} :smile: $$x_1$$\n::: tip\n```",
			wantHTML: []string{"{{&lt; youtube abc &gt;}} :smile: $$x_1$$\n::: tip\n</code></pre>"},
			wantText: "{{< youtube abc >}} :smile: $$x_1$$\n::: tip",
		},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustRender(t, r, tt.md)
			for _, want := range tt.wantHTML {
				if !strings.Contains(string(doc.HTML), want) {
					t.Errorf("HTML lacks %q:\n%s", want, doc.HTML)
				}
			}
			if doc.Text != tt.wantText {
				t.Errorf("Text\n got: %q\nwant: %q", doc.Text, tt.wantText)
			}
			checkSafeHTML(t, string(doc.HTML))
			checkDoc(t, doc)
		})
	}
}

func TestContainers(t *testing.T) {
	tests := []struct {
		name, md, wantHTML, wantText string
	}{
		{
			name:     "callout",
			md:       "::: callout\n**Bold** claim with a [link](https://x.org).\n:::\n\nAfter.",
			wantHTML: "<aside class=\"callout\">\n<p><strong>Bold</strong> claim with a <a href=\"https://x.org\" rel=\"nofollow noopener\">link</a>.</p>\n</aside>\n<p>After.</p>\n",
			wantText: "Bold claim with a link.\nAfter.",
		},
		{
			name:     "tip with a title",
			md:       "::: tip Be <careful>\n- one\n- two\n:::",
			wantHTML: "<aside class=\"callout callout-tip\">\n<p class=\"callout-title\"><strong>Be &lt;careful&gt;</strong></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</aside>\n",
			wantText: "Be <careful>\none\ntwo",
		},
		{
			name:     "details",
			md:       "::: details Click me\nHidden.\n:::",
			wantHTML: "<details class=\"callout callout-details\">\n<summary>Click me</summary>\n<p>Hidden.</p>\n</details>\n",
			wantText: "Click me\nHidden.",
		},
		{
			name:     "nested and unclosed",
			md:       ":::: warning\nOuter.\n::: tip\nInner.\n:::\n",
			wantHTML: "<aside class=\"callout callout-warning\">\n<p>Outer.</p>\n<aside class=\"callout callout-tip\">\n<p>Inner.</p>\n</aside>\n</aside>\n",
			wantText: "Outer.\nInner.",
		},
		{
			name:     "stray closer dropped",
			md:       "Text.\n:::\n",
			wantHTML: "<p>Text.</p>\n",
			wantText: "Text.",
		},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustRender(t, r, tt.md)
			if got := string(doc.HTML); got != tt.wantHTML {
				t.Errorf("HTML\n got: %q\nwant: %q", got, tt.wantHTML)
			}
			if doc.Text != tt.wantText {
				t.Errorf("Text\n got: %q\nwant: %q", doc.Text, tt.wantText)
			}
		})
	}
}

func TestEmojiAndMath(t *testing.T) {
	tests := []struct {
		name, md, wantText string
	}{
		{name: "known emoji", md: "Ship it :rocket: :smile::cry: :heavy_check_mark: :+1:", wantText: "Ship it 🚀 😄😢 ✔️ 👍"},
		{name: "corpus table cells", md: "| a | b |\n|---|---|\n| :x: | :ferry: |", wantText: "a\tb\n❌\t⛴️"},
		{name: "unknown stays text", md: "a :not_an_emoji: b", wantText: "a :not_an_emoji: b"},
		{name: "times, ports and paths stay", md: "at 10:30:00 on host:4001 and blink::network_utils::x", wantText: "at 10:30:00 on host:4001 and blink::network_utils::x"},
		{name: "code span untouched", md: "`:smile:` :smile:", wantText: ":smile: 😄"},
		{name: "display math verbatim", md: "$$\na_i*b_i = \\{x\\} <y> *not em*\n$$", wantText: "$$ a_i*b_i = \\{x\\} <y> *not em* $$"},
		{name: "inline display math", md: "so $$\\sum_i x_i$$ holds", wantText: "so $$\\sum_i x_i$$ holds"},
		{name: "lone dollars do not swallow the post", md: "costs $$ more\n\n**bold** [link](x)", wantText: "costs $$ more\nbold link"},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustRender(t, r, tt.md)
			if doc.Text != tt.wantText {
				t.Errorf("Text\n got: %q\nwant: %q", doc.Text, tt.wantText)
			}
		})
	}
}
