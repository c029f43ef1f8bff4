package render

import (
	"strings"
	"testing"
	"testing/fstest"
)

// templateCase is one construct in the shape real posts write it (the
// words are made up): what the page must show, what the plain text must
// say, and which constructs must be reported as not rendered.
type templateCase struct {
	name       string
	md         string
	opts       Options
	wantHTML   []string // each must appear in the HTML
	notHTML    []string // none may appear in the HTML
	wantText   string
	unrendered []string // names of Doc.Unrendered, in order
	literal    bool     // the page rightly shows template syntax ({% raw %}, an escaped or broken tag)
}

func runTemplateCases(t *testing.T, tests []templateCase) {
	t.Helper()
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := r.RenderWith([]byte(tt.md), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.wantHTML {
				if !strings.Contains(string(doc.HTML), want) {
					t.Errorf("HTML lacks %q:\n%s", want, doc.HTML)
				}
			}
			for _, bad := range tt.notHTML {
				if strings.Contains(string(doc.HTML), bad) {
					t.Errorf("HTML has %q:\n%s", bad, doc.HTML)
				}
			}
			if doc.Text != tt.wantText {
				t.Errorf("Text\n got: %q\nwant: %q", doc.Text, tt.wantText)
			}
			var names []string
			for _, c := range doc.Unrendered {
				names = append(names, c.Name)
			}
			if strings.Join(names, "|") != strings.Join(tt.unrendered, "|") {
				t.Errorf("Unrendered = %q, want %q", names, tt.unrendered)
			}
			checkSafeHTML(t, string(doc.HTML))
			checkDoc(t, doc)
			if !tt.literal {
				checkNoLeaks(t, doc)
			}
			text, err := r.TextWith([]byte(tt.md), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if text.Text != doc.Text {
				t.Errorf("TextWith and RenderWith disagree:\n%q\n%q", text.Text, doc.Text)
			}
		})
	}
}

func TestHugoShortcodes(t *testing.T) {
	runTemplateCases(t, []templateCase{
		{
			name:     "figure over several lines, percent form",
			md:       "{{% figure\n  src=\"load.png\"\n  caption=\"Latency under *load*\" %}}\n\nAfter.",
			wantHTML: []string{`<img loading="lazy" src="load.png" alt="">`, `<figcaption>Latency under <em>load</em></figcaption>`},
			wantText: "Latency under load\nAfter.",
		},
		{
			name:     "youtube and vimeo",
			md:       "{{<youtube abcDEF12345>}}\n\n{{< vimeo 12345 >}}",
			wantHTML: []string{`href="https://www.youtube.com/watch?v=abcDEF12345"`, `href="https://vimeo.com/12345"`},
		},
		{
			name:     "gist",
			md:       "See {{< gist alice 0123abcd >}} for the script.",
			wantHTML: []string{`<a class="embed" href="https://gist.github.com/alice/0123abcd" rel="nofollow noopener">View the gist on GitHub</a>`},
			wantText: "See View the gist on GitHub for the script.",
		},
		{
			name:     "tweet, named and positional, and x",
			md:       "{{< tweet user=\"bob\" id=\"42\" >}} {{< tweet 43 >}} {{< x user=\"carol\" id=\"44\" >}}",
			wantHTML: []string{`href="https://x.com/bob/status/42"`, `href="https://x.com/i/status/43"`, `href="https://x.com/carol/status/44"`},
			wantText: "View the post on X View the post on X View the post on X",
		},
		{
			name:     "highlight block keeps its code as written",
			md:       "{{< highlight yaml >}}\nkey: {{ .Values.x }}\n{{< /highlight >}}",
			wantHTML: []string{`<pre class="chroma">`},
			wantText: "key: {{ .Values.x }}",
		},
		{
			name:     "ref and relref link to the archive's post",
			md:       `Read [the intro]({{< ref "posts/2021-intro/index.md" >}}) and [part 2]({{< relref "/blog/part-two.md#setup" >}}).`,
			wantHTML: []string{`<a href="/posts/2021-intro" rel="nofollow noopener">the intro</a>`, `<a href="/posts/part-two#setup" rel="nofollow noopener">part 2</a>`},
			wantText: "Read the intro and part 2.",
		},
		{
			name:     "ref through the caller's resolver",
			md:       `[x]({{< ref "old-name.md" >}})`,
			opts:     Options{Link: func(ref string) string { return "/posts/new-name" }},
			wantHTML: []string{`href="/posts/new-name"`},
			wantText: "x",
		},
		{
			name:     "details",
			md:       "{{< details summary=\"Show the config\" >}}\nThe *whole* file.\n{{< /details >}}",
			wantHTML: []string{"<details class=\"callout callout-details\">\n<summary>Show the config</summary>\n<p>The <em>whole</em> file.</p>\n</details>"},
			wantText: "Show the config\nThe whole file.",
		},
		{
			name:       "param from the page, then the site; unknown reported",
			md:         "Posted at <{{% param canonical_url %}}> for {{% param event %}}{{% param missing %}}.",
			opts:       Options{Page: map[string]string{"canonical_url": "https://example.org/a"}, Site: map[string]string{"event": "the summit"}},
			wantHTML:   []string{`<a href="https://example.org/a" rel="nofollow noopener">https://example.org/a</a> for the summit.`},
			wantText:   "Posted at https://example.org/a for the summit.",
			unrendered: []string{"{{% param missing %}}"},
		},
		{
			name:     "notices",
			md:       "{{% note %}}\nBack up first.\n{{% /note %}}\n\n{{< alert title=\"Heads up\" color=\"warning\" >}}Slow.{{< /alert >}}\n\n{{% notice tip \"Try\" %}}\nIt.\n{{% /notice %}}",
			wantHTML: []string{"<aside class=\"callout callout-note\">\n<p>Back up first.</p>\n</aside>", "<aside class=\"callout callout-warning\">\n<p class=\"callout-title\"><strong>Heads up</strong></p>\n<p>Slow.</p>\n</aside>", "<aside class=\"callout callout-tip\">"},
			wantText: "Back up first.\nHeads up\nSlow.\nTry\nIt.",
		},
		{
			name:     "comment shortcode hides its content",
			md:       "Before.\n\n{{< comment >}}\nTODO: rewrite\n{{< /comment >}}\n\nAfter {{< comment >}} cSpell:disable {{< /comment >}}end.",
			wantText: "Before.\nAfter end.",
		},
		{
			name:       "unknown shortcode keeps its text and is reported",
			md:         "{{< blog/badge name=\"x\" >}}\n\n{{< tabs >}}Inner text{{< /tabs >}}",
			wantText:   "Inner text",
			unrendered: []string{"{{< blog/badge >}}", "{{< tabs >}}"},
		},
		{
			name:     "escaped shortcode shows as written",
			literal:  true,
			md:       "Use {{%/* param x */%}} in content.",
			wantHTML: []string{"Use {{% param x %}} in content."},
			wantText: "Use {{% param x %}} in content.",
		},
		{
			name:       "unclosed opener is reported, not a hang",
			literal:    true,
			md:         "A {{< broken tag and text",
			wantText:   "A {{< broken tag and text",
			unrendered: []string{"unclosed {{<"},
		},
	})
}

func TestLiquid(t *testing.T) {
	site := map[string]string{"repository": "https://github.com/acme/tool", "baseurl": "/blog", "url": "https://acme.org", "trb": "709,632"}
	runTemplateCases(t, []templateCase{
		{
			name:     "raw keeps template text literal",
			literal:  true,
			md:       "Write {% raw %}{{ page.title }}{% endraw %} in a layout.",
			wantText: "Write {{ page.title }} in a layout.",
		},
		{
			name:     "raw inside a fence vanishes, the code stays",
			md:       "```liquid\n{% raw %}\n{% if user %}{{ user.name }}{% endif %}\n{% endraw %}\n```",
			wantText: "{% if user %}{{ user.name }}{% endif %}",
		},
		{
			name:     "highlight becomes a code block",
			md:       "{% highlight ruby linenos %}\ndef hi = puts \"{{ x }}\"\n{% endhighlight %}\n\nAfter.",
			wantHTML: []string{`<pre class="chroma">`},
			wantText: "def hi = puts \"{{ x }}\"\nAfter.",
		},
		{
			name:     "post_url and link",
			md:       "[Last week]({% post_url 2019-11-07-release-notes %}) and [the FAQ]({% link _posts/2020-01-02-faq.md %}).",
			wantHTML: []string{`<a href="/posts/release-notes" rel="nofollow noopener">Last week</a>`, `<a href="/posts/faq" rel="nofollow noopener">the FAQ</a>`},
			wantText: "Last week and the FAQ.",
		},
		{
			name:     "Eleventy image, arguments separated by commas",
			md:       "{% image \"./cat.jpg\", \"A cat sitting\", \"(min-width: 30em) 50vw, 100vw\" %} and {% image './dog.png','A dog' %}",
			wantHTML: []string{`src="./cat.jpg" alt="A cat sitting"`, `src="./dog.png" alt="A dog"`},
			wantText: "A cat sitting and A dog",
		},
		{
			name:     "Hexo post_link and post_path",
			md:       "See {% post_link 2019-11-07-release-notes %}, {% post_link hello-world \"Say hello\" true %} and [the path]({% post_path faq %}).",
			wantHTML: []string{`<a href="/posts/release-notes" rel="nofollow noopener">release notes</a>`, `<a href="/posts/hello-world" rel="nofollow noopener">Say hello</a>`, `<a href="/posts/faq" rel="nofollow noopener">the path</a>`},
			wantText: "See release notes, Say hello and the path.",
		},
		{
			name:     "site and page values, filters",
			md:       "See [#2870]({{ site.repository }}/issues/2870), block {{site.trb}}, ![logo]({{ \"/img/logo.png\" | relative_url }}) in {{ page.title | upcase }}.",
			opts:     Options{Site: site, Page: map[string]string{"title": "Notes"}},
			wantHTML: []string{`href="https://github.com/acme/tool/issues/2870"`, `block 709,632`, `src="/blog/img/logo.png"`, `in NOTES.`},
			wantText: "See #2870, block 709,632, logo in NOTES.",
		},
		{
			name:       "unknown values are dropped and reported",
			md:         "Block {{ site.height }} and {{ page.missing | default: \"none\" }}.",
			wantText:   "Block and none.",
			unrendered: []string{"{{ site.height }}"},
		},
		{
			name:     "assign and capture",
			md:       "{% assign se = \"https://q.example/a/\" %}\n{% capture cell %}In: <br>Out{% endcapture %}\n\nSee [an answer][se1] | {{cell}}\n\n[se1]: {{se}}12345",
			wantHTML: []string{`<a href="https://q.example/a/12345" rel="nofollow noopener">an answer</a>`, "In: <br>Out"},
			wantText: "See an answer | In: Out",
		},
		{
			name:       "includes are reported; an image include is a figure",
			md:         "{% include references.md %}\n{% include figure.html image=\"/img/chart.png\" caption=\"Fees over time\" %}",
			wantHTML:   []string{`<img loading="lazy" src="/img/chart.png"`, "<figcaption>Fees over time</figcaption>"},
			wantText:   "Fees over time",
			unrendered: []string{"{% include %}"},
		},
		{
			name: "questions include over many lines",
			md: "{% include functions/details-list.md\n  q0=\"Why wait for `confirmations`?\"\n  a0=\"Reorgs happen.\"\n" +
				"  a0link=\"https://example.org/log#l-1\"\n\n  q1=\"What next?\"\n  a1=\"More.\" %}",
			wantHTML: []string{"<summary>Why wait for <code>confirmations</code>?</summary>", `<p>Reorgs happen. <a href="https://example.org/log#l-1"`, "<summary>What next?</summary>"},
			wantText: "Why wait for confirmations?\nReorgs happen. ➚\nWhat next?\nMore.",
		},
		{
			name:       "for over site data is dropped and reported",
			md:         "Praise:\n\n{% for c in page.praise %}\n> {{c.text}}\n{% endfor %}\n\nEnd.",
			wantText:   "Praise:\nEnd.",
			unrendered: []string{"{% for %}"},
		},
		{
			name:     "if on a known value, with else",
			md:       "{% if page.beta %}Beta build.{% else %}Stable build.{% endif %} {% unless page.beta %}Not beta.{% endunless %}",
			opts:     Options{Page: map[string]string{"beta": "false"}},
			wantText: "Stable build. Not beta.",
		},
		{
			name:       "if on an unknown value keeps the first branch",
			md:         "{% if site.lang == \"en\" %}English text.{% else %}Other.{% endif %}",
			wantText:   "English text.",
			unrendered: []string{`{% if %} on an unknown value`},
		},
		{
			name:     "comment over lines, inside an HTML comment",
			md:       "<!--\n{% comment %}\nLicensed to someone.\n{% endcomment %}\n-->\n\nBody.",
			wantText: "Body.",
		},
		{
			name:     "kramdown attributes and the toc pair",
			md:       "1. toc\n{:toc}\n\n![chart](/c.png)\n{:.center}\n\n## Setup {:#setup}\n\nText{: .note}",
			notHTML:  []string{"{:", "toc"},
			wantText: "chart\nSetup\nText",
		},
		{
			name: "reference links defined by an include show their text",
			md: "We fixed [Tool #12][] and the [fee\nbump][topic fee bumping] bug; see [the log][log] and [^1].\n\n" +
				"[log]: https://example.org/log\n[^1]: A note.\n\n{% include references.md %}",
			wantHTML:   []string{"We fixed Tool #12 and the fee bump bug; see <a href=\"https://example.org/log\" rel=\"nofollow noopener\">the log</a>"},
			wantText:   "We fixed Tool #12 and the fee bump bug; see the log and .\nA note.",
			unrendered: []string{"[link][] defined by an include", "{% include %}"},
		},
		{
			name:       "unclosed comment drops only its tag",
			md:         "Start {% comment %} and the rest stays.",
			wantText:   "Start and the rest stays.",
			unrendered: []string{"unclosed {% comment %}"},
		},
	})
}

func TestHexoTags(t *testing.T) {
	runTemplateCases(t, []templateCase{
		{
			name:     "note with a class",
			md:       "{% note warn %}\nSome tags were **dropped**.\n{% endnote %}",
			wantHTML: []string{"<aside class=\"callout callout-warn\">\n<p>Some tags were <strong>dropped</strong>.</p>\n</aside>"},
			wantText: "Some tags were dropped.",
		},
		{
			name:     "codeblock with a title and lang",
			md:       "{% codeblock _config.yml lang:yaml %}\ntitle: {{ site }}\n{% endcodeblock %}",
			wantHTML: []string{`<pre class="chroma">`},
			wantText: "title: {{ site }}",
		},
		{
			name:     "asset_img and asset_link",
			md:       "{% asset_img diagram.png \"The pipeline\" %}\n\nGet {% asset_link slides.pdf the slides %}.",
			wantHTML: []string{`<img loading="lazy" src="diagram.png" alt="The pipeline">`, `<a href="slides.pdf" rel="nofollow noopener">the slides</a>`},
			wantText: "The pipeline\nGet the slides.",
		},
		{
			name:     "tags inside inline code stay",
			md:       "Write `{% note info %}` to open a note.",
			wantHTML: []string{"<code>{% note info %}</code>"},
			wantText: "Write {% note info %} to open a note.",
		},
	})
}

func TestMDX(t *testing.T) {
	runTemplateCases(t, []templateCase{
		{
			name:     "imports, exports and comments vanish",
			md:       "import Tabs from '@theme/Tabs';\nimport {Chart, Bar} from \"../components\";\nexport const meta = {\n  a: 1,\n};\n\nIntro.\n\n{/* truncate */}\n\nMore {/* inline note */}text.",
			wantText: "Intro.\nMore text.",
		},
		{
			name:     "components keep their children; tabs show their labels",
			md:       "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n<Tabs>\n<TabItem value=\"npm\">\n\nRun npm.\n\n</TabItem>\n</Tabs>",
			wantHTML: []string{"<p><strong>npm</strong></p>", "<p>Run npm.</p>"},
			notHTML:  []string{"Tabs", "TabItem"},
			wantText: "npm\nRun npm.",
		},
		{
			name:     "known embeds become links",
			md:       "<YouTube id=\"abcDEF12345\" />\n\n<Tweet id=\"1234\" />",
			wantHTML: []string{`href="https://www.youtube.com/watch?v=abcDEF12345"`, `href="https://x.com/i/status/1234"`},
			wantText: "View the post on X",
		},
		{
			name:       "unknown self-closing component is dropped and reported",
			md:         "Numbers: <Chart data={[1, 2]} /> done.",
			wantText:   "Numbers: done.",
			unrendered: []string{"<Chart />"},
		},
		{
			name:     "JSX attributes on HTML",
			md:       "<img src=\"/img/rtl.png\" width={280} style={{margin: 10}} className=\"wide\" alt=\"RTL\" />",
			wantHTML: []string{`<img loading="lazy" src="/img/rtl.png" width="280" alt="RTL"`},
			wantText: "RTL",
		},
		{
			name:     "prose placeholders stay",
			md:       "Fetch /ipfs/<CID> from <PeerID>; a Map<K, V> too.",
			wantText: "Fetch /ipfs/<CID> from <PeerID>; a Map<K, V> too.",
		},
		{
			name:     "admonitions",
			md:       ":::info\n\nShips **today**.\n\n:::\n\n:::note[Read this first]\nOK.\n:::",
			wantHTML: []string{"<aside class=\"callout callout-info\">\n<p>Ships <strong>today</strong>.</p>\n</aside>", "<p class=\"callout-title\"><strong>Read this first</strong></p>"},
			wantText: "Ships today.\nRead this first\nOK.",
		},
		{
			name:     "pelican table of contents marker",
			md:       "[TOC]\n\n## One\n\nText.",
			wantText: "One\nText.",
		},
		{
			name:     "import in code stays",
			md:       "```js\nimport x from 'y';\n```\n\n    import z from 'w';\n",
			wantText: "import x from 'y';\nimport z from 'w';",
		},
	})
}

func TestGoBlogTemplates(t *testing.T) {
	dir := fstest.MapFS{
		"server/main.go": {Data: []byte("package main\n\n// START OMIT\nfunc main() {\n\tserve() // HL\n}\n// END OMIT\n")},
		"frag.html":      {Data: []byte("<p>An <em>included</em> fragment.</p>")},
	}
	runTemplateCases(t, []templateCase{
		{
			name:     "code between markers",
			md:       "The server:\n\n{{code \"server/main.go\" `/START/` `/END/`}}\n\nDone.",
			opts:     Options{Dir: dir},
			wantHTML: []string{`<pre class="chroma">`},
			wantText: "The server:\nfunc main() {\n\tserve()\n}\nDone.",
		},
		{
			name:     "play of the whole file",
			md:       "{{play \"server/main.go\"}}",
			opts:     Options{Dir: dir},
			wantText: "package main\n\nfunc main() {\n\tserve()\n}",
		},
		{
			name:       "a missing file is named",
			md:         "{{code \"gone/x.go\" `/a/`}}",
			wantText:   "(The code of gone/x.go is not in the archive.)",
			unrendered: []string{"{{code}} of a missing file"},
		},
		{
			name:     "image, video, raw and html",
			md:       "{{image \"pics/gopher.png\" 300}}\n\n{{video \"clip.mp4\"}}\n\n{{raw `\n<div class=\"x\">Raw <b>HTML</b></div>\n`}}\n\n{{html \"frag.html\"}}",
			opts:     Options{Dir: dir},
			wantHTML: []string{`<img loading="lazy" src="pics/gopher.png" alt="">`, `<a href="clip.mp4" rel="nofollow noopener">Watch the video (clip.mp4)</a>`, `Raw <b>HTML</b>`, "An <em>included</em> fragment."},
			wantText: "Watch the video (clip.mp4)\nRaw HTML\nAn included fragment.",
		},
		{
			name:     "a path out of the folder is refused",
			md:       "{{code \"../../etc/passwd\"}}",
			opts:     Options{Dir: dir},
			wantText: "(The code of ../../etc/passwd is not in the archive.)",

			unrendered: []string{"{{code}} of a missing file"},
		},
	})
}

func TestTemplatesInCodeStayAsWritten(t *testing.T) {
	runTemplateCases(t, []templateCase{
		{
			name:     "fenced, indented and inline",
			md:       "Use `{{< figure >}}` or `{% include x %}`.\n\n```\n{{% param x %}} {% assign a = 1 %} <Chart />\n```\n\n    {{ site.title }} {/* c */}\n",
			wantHTML: []string{"<code>{{&lt; figure &gt;}}</code>", "<code>{% include x %}</code>", "{{% param x %}} {% assign a = 1 %} &lt;Chart /&gt;", "{{ site.title }} {/* c */}"},
			wantText: "Use {{< figure >}} or {% include x %}.\n{{% param x %}} {% assign a = 1 %} <Chart />\n{{ site.title }} {/* c */}",
		},
	})
}

func TestGoArticleFormat(t *testing.T) {
	dir := fstest.MapFS{
		"ctx/api.go": {Data: []byte("package ctx\n\n// A Context carries values.\ntype Context interface {\n\tDone() <-chan struct{}\n}\n\nfunc other() {}\n")},
	}
	article := "Patterns for Cancelling Work\n14 Mar 2015\nTags: concurrency, cancel\n\nAda Writer\nada@example.org\n\n" +
		"* Introduction\n\nEach request runs in its _own_ goroutine; see [[https://example.org/pkg][the package]] and [[/other-post]].\n\n" +
		".code ctx/api.go /A Context/,/^}/\n\n** Details\n\nIndented code:\n\n  x := *p\n  y := x_1\n\n*Bold* words and `a_b*c`.\n\n.image ctx/diagram.png 300 400\n\n: a presenter note\n"
	runTemplateCases(t, []templateCase{
		{
			name: "present format",
			md:   article,
			opts: Options{Format: FormatArticle, Dir: dir},
			wantHTML: []string{`<h2 id="introduction">Introduction</h2>`, "<em>own</em>", `<a href="https://example.org/pkg" rel="nofollow noopener">the package</a>`,
				`<a href="/other-post" rel="nofollow noopener">/other-post</a>`, `<h3 id="details">Details</h3>`, "<strong>Bold</strong>", "<code>a_b*c</code>", `src="ctx/diagram.png"`},
			notHTML:  []string{"Ada Writer", "14 Mar 2015", "presenter", ".code", "[["},
			wantText: "Introduction\nEach request runs in its own goroutine; see the package and /other-post.\n// A Context carries values.\ntype Context interface {\n\tDone() <-chan struct{}\n}\nDetails\nIndented code:\nx := *p\ny := x_1\nBold words and a_b*c.",
		},
	})
}
