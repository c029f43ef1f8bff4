package render

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestRenderGFM(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{
			name: "table with alignment",
			md:   "| a | b |\n|:--|--:|\n| 1 | 2 |",
			want: "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td align=\"left\">1</td>\n<td align=\"right\">2</td>\n</tr>\n</tbody>\n</table>\n",
		},
		{
			name: "strikethrough",
			md:   "~~gone~~",
			want: "<p><del>gone</del></p>\n",
		},
		{
			name: "autolink and linkify",
			md:   "see https://ipfs.tech and www.ipfs.tech now",
			want: `<p>see <a href="https://ipfs.tech" rel="nofollow noopener">https://ipfs.tech</a> and ` +
				`<a href="http://www.ipfs.tech" rel="nofollow noopener">www.ipfs.tech</a> now</p>` + "\n",
		},
		{
			name: "task list with disabled checkboxes",
			md:   "- [x] done\n- [ ] todo",
			want: "<ul>\n<li><input disabled=\"\" checked=\"\" type=\"checkbox\"> done</li>\n" +
				"<li><input disabled=\"\" type=\"checkbox\"> todo</li>\n</ul>\n",
		},
		{
			name: "footnote",
			md:   "A claim.[^1]\n\n[^1]: The source.",
			want: `<p>A claim.<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref" rel="nofollow noopener">1</a></sup></p>` + "\n" +
				`<div class="footnotes" role="doc-endnotes">` + "\n<hr>\n<ol>\n" + `<li id="fn:1">` + "\n" +
				"<p>The source.\u00a0" + `<a href="#fnref:1" class="footnote-backref" role="doc-backlink" rel="nofollow noopener">↩︎</a></p>` + "\n" +
				"</li>\n</ol>\n</div>\n",
		},
		{
			name: "heading ids, unique and custom",
			md:   "## Hello *World*\n\n## Hello *World*\n\n### Custom {#my-id}",
			want: "<h2 id=\"hello-world\">Hello <em>World</em></h2>\n<h2 id=\"hello-world-1\">Hello <em>World</em></h2>\n" +
				"<h3 id=\"my-id\">Custom</h3>\n",
		},
		{
			name: "fenced code highlighted with classes",
			md:   "```go\nfunc main() {}\n```",
			want: `<pre class="chroma"><code><span class="line"><span class="cl"><span class="kd">func</span>` +
				`<span class="w"> </span><span class="nf">main</span><span class="p">()</span><span class="w"> </span>` +
				`<span class="p">{}</span><span class="w">` + "\n" + `</span></span></span></code></pre>`,
		},
		{
			name: "unknown language falls back to escaped code",
			md:   "```nolang\n<x> & y\n```",
			want: "<pre><code class=\"language-nolang\">&lt;x&gt; &amp; y\n</code></pre>\n",
		},
		{
			name: "image is lazy",
			md:   `![A cat](cat.png "Title")`,
			want: `<p><img loading="lazy" src="cat.png" alt="A cat" title="Title"></p>` + "\n",
		},
		{
			name: "typographer is off",
			md:   `"quotes" -- and...`,
			want: "<p>&#34;quotes&#34; -- and...</p>\n",
		},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(mustRender(t, r, tt.md).HTML)
			if got != tt.want {
				t.Errorf("Render(%q).HTML\n got: %q\nwant: %q", tt.md, got, tt.want)
			}
		})
	}
}

func TestRenderXSS(t *testing.T) {
	tests := []struct {
		name, md string
		wantText string // the visible text; templates escape it later
	}{
		{name: "script block", md: "<script>alert(1)</script>"},
		{name: "inline script", md: "a <script>alert(1)</script> b", wantText: "a b"},
		{name: "img onerror", md: "<img src=x onerror=alert(1)>"},
		{name: "markdown javascript link", md: "[x](javascript:alert(1))", wantText: "x"},
		{name: "mixed-case javascript link", md: "[x](JaVaScRiPt:alert(1))", wantText: "x"},
		{name: "javascript autolink", md: "<javascript:alert(1)>", wantText: "javascript:alert(1)"},
		{name: "raw javascript href", md: `<a href="javascript:alert(1)">click</a>`, wantText: "click"},
		{name: "entity-obfuscated href", md: `<a href="jav&#x09;ascript:alert(1)">click</a>`, wantText: "click"},
		{name: "svg onload", md: "a <svg onload=alert(1)>b</svg> c", wantText: "a b c"},
		{name: "iframe javascript", md: `<iframe src="javascript:alert(1)"></iframe>`},
		{name: "iframe srcdoc", md: `<iframe srcdoc="<script>alert(1)</script>"></iframe>`},
		{name: "style attribute", md: `<p style="background:url(javascript:alert(1))">styled</p>`, wantText: "styled"},
		{name: "style element", md: "<style>body{display:none}</style>\n\nafter", wantText: "after"},
		{name: "data URI image", md: `![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`, wantText: "x"},
		{name: "form and input", md: `<form action="https://evil.example"><input type="text" onfocus=alert(1) autofocus></form>`},
		{name: "heading attributes", md: `## Title {onclick="alert(1)" style="color:red"}`, wantText: "Title"},
		{name: "figure shortcode", md: `{{< figure src="javascript:alert(1)" link="javascript:alert(2)" caption="<script>alert(3)</script>cap" >}}`, wantText: "cap"},
		{name: "youtube id injection", md: `{{< youtube "x\" onload=\"alert(1)" >}}`},
		{name: "vuepress youtube injection", md: `@[youtube](javascript:alert(1))`},
		{name: "container title", md: "::: tip <img src=x onerror=alert(1)>\nbody\n:::", wantText: "<img src=x onerror=alert(1)>\nbody"},
		{name: "object and embed", md: `<object data="x.swf"></object><embed src="x.swf">`},
		{name: "meta refresh", md: `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustRender(t, r, tt.md)
			checkSafeHTML(t, string(doc.HTML))
			if doc.Text != tt.wantText {
				t.Errorf("Text = %q, want %q", doc.Text, tt.wantText)
			}
			checkDoc(t, doc)
		})
	}
}

func TestRenderPlaceholders(t *testing.T) {
	tests := []struct {
		name, md, wantHTML, wantText string
	}{
		{
			name:     "CID in a path",
			md:       "Fetch /ipfs/<CID> from a gateway.",
			wantHTML: "<p>Fetch /ipfs/&lt;CID&gt; from a gateway.</p>\n",
			wantText: "Fetch /ipfs/<CID> from a gateway.",
		},
		{
			name:     "several placeholders",
			md:       "Dial <PeerID> at <MultiAddress>, then </PeerID>.",
			wantHTML: "<p>Dial &lt;PeerID&gt; at &lt;MultiAddress&gt;, then &lt;/PeerID&gt;.</p>\n",
			wantText: "Dial <PeerID> at <MultiAddress>, then </PeerID>.",
		},
		{
			name:     "generic type parameters",
			md:       "A Record<NodeID> of type <S> and <T extends string>.",
			wantHTML: "<p>A Record&lt;NodeID&gt; of type &lt;S&gt; and &lt;T extends string&gt;.</p>\n",
			wantText: "A Record<NodeID> of type <S> and <T extends string>.",
		},
		{
			name:     "placeholder alone on a line",
			md:       "<PeerID>\n\nnext",
			wantHTML: "<p>&lt;PeerID&gt;</p>\n<p>next</p>\n",
			wantText: "<PeerID>\nnext",
		},
		{
			name:     "placeholder in a heading",
			md:       "## Resolving /ipns/<name>",
			wantHTML: "<h2 id=\"resolving-ipnsname\">Resolving /ipns/&lt;name&gt;</h2>\n",
			wantText: "Resolving /ipns/<name>",
		},
		{
			name:     "real tags stay markup",
			md:       "<s>old</s> and <b>bold</b><br>next <center>middle</center>",
			wantHTML: "<p><s>old</s> and <b>bold</b><br>next middle</p>\n",
			wantText: "old and bold next middle",
		},
		{
			name:     "site component is not prose",
			md:       "Numbers:\n<NumberBlock :items=\"[{value: '7M'}]\" />\n",
			wantHTML: "<p>Numbers:</p>\n",
			wantText: "Numbers:",
		},
		{
			name:     "code spans were never HTML",
			md:       "Use `/ipfs/<cid>` here.",
			wantHTML: "<p>Use <code>/ipfs/&lt;cid&gt;</code> here.</p>\n",
			wantText: "Use /ipfs/<cid> here.",
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

func TestText(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{name: "blocks on their own lines", md: "# Title\n\nOne\ntwo.\n\n- a\n- b\n\n> quoted", want: "Title\nOne two.\na\nb\nquoted"},
		{name: "markdown syntax removed", md: "**bold** _it_ `code` ~~del~~ \\*lit\\*", want: "bold it code del *lit*"},
		{name: "link text kept, URL dropped", md: "[the docs](https://docs.ipfs.tech \"t\") and <https://ipfs.tech>", want: "the docs and https://ipfs.tech"},
		{name: "a word glued to a link's end is a word of its own", md: "on [**IPFS and Filecoin**](https://e.org/x)for NFTs, [Bob](u)'s [x](u), [y](u)2", want: "on IPFS and Filecoin for NFTs, Bob's x, y 2"},
		{name: "image alt text", md: "before ![a diagram](x.png) after", want: "before a diagram after"},
		{name: "entities decoded", md: "a&nbsp;b &amp; c &lt;d&gt; &copy; &#x41;", want: "a b & c <d> © A"},
		{name: "NBSP and zero-width characters", md: "a\u00a0b zero\u200bwidth \ufeffjoin\u200d", want: "a b zerowidth join"},
		{name: "HTML comments dropped", md: "a <!-- hidden --> b\n\n<!--\nblock\n-->\n\nc", want: "a b\nc"},
		{name: "tags stripped, text kept", md: "<center>foo</center>\n\n<div><p>one</p><p>two</p></div>", want: "foo\none\ntwo"},
		{name: "raw img alt", md: `<img src="x.png" alt="x">`, want: "x"},
		{name: "code block kept with layout", md: "```sh\n$ ipfs add x\n  added\n```", want: "$ ipfs add x\n  added"},
		{name: "indented code", md: "para\n\n    code line", want: "para\ncode line"},
		{name: "table rows", md: "| a | b |\n|---|---|\n| 1 | 2 |", want: "a\tb\n1\t2"},
		{name: "hard break is a space", md: "one  \ntwo\\\nthree", want: "one two three"},
		{name: "footnote text at the end", md: "Claim.[^n]\n\n[^n]: Source.\n\nMore.", want: "Claim.\nMore.\nSource."},
		{name: "task list markers dropped", md: "- [x] done", want: "done"},
		{name: "CRLF line ends", md: "# T\r\n\r\nline one\r\nline two\r\n", want: "T\nline one line two"},
		{name: "invalid UTF-8 replaced", md: "bad \xff byte", want: "bad \ufffd byte"},
		{name: "empty", md: "", want: ""},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustText(t, r, tt.md)
			if doc.Text != tt.want {
				t.Errorf("Text(%q)\n got: %q\nwant: %q", tt.md, doc.Text, tt.want)
			}
			if got := mustRender(t, r, tt.md).Text; got != doc.Text {
				t.Errorf("Render().Text = %q, Text().Text = %q", got, doc.Text)
			}
			checkDoc(t, doc)
		})
	}
}

func TestHeadingsAndSections(t *testing.T) {
	tests := []struct {
		name         string
		md           string
		wantHeadings []Heading
		wantSections []Section
	}{
		{
			name:         "lead text then headings",
			md:           "Lead.\n\n## First `code` *x*\n\nBody.\n\n### Second\n\nMore.",
			wantHeadings: []Heading{{2, "first-code-x", "First code x"}, {3, "second", "Second"}},
			wantSections: []Section{{"", "", 0}, {"First code x", "first-code-x", 6}, {"Second", "second", 25}},
		},
		{
			name:         "document starts with a heading",
			md:           "# Top\n\ntext",
			wantHeadings: []Heading{{1, "top", "Top"}},
			wantSections: []Section{{"Top", "top", 0}},
		},
		{
			name:         "duplicate headings get unique ids",
			md:           "## Intro\n\n## Intro\n\n## Intro",
			wantHeadings: []Heading{{2, "intro", "Intro"}, {2, "intro-1", "Intro"}, {2, "intro-2", "Intro"}},
			wantSections: []Section{{"Intro", "intro", 0}, {"Intro", "intro-1", 6}, {"Intro", "intro-2", 12}},
		},
		{
			name:         "empty heading is skipped",
			md:           "##\n\ntext\n\n## Real",
			wantHeadings: []Heading{{2, "real", "Real"}},
			wantSections: []Section{{"", "", 0}, {"Real", "real", 5}},
		},
		{
			name:         "setext heading and link text",
			md:           "See [docs](https://x.org)\n===\n\nbody",
			wantHeadings: []Heading{{1, "see-docshttpsxorg", "See docs"}},
			wantSections: []Section{{"See docs", "see-docshttpsxorg", 0}},
		},
		{
			name:         "CJK heading",
			md:           "## 你好世界\n\n正文",
			wantHeadings: []Heading{{2, "heading", "你好世界"}},
			wantSections: []Section{{"你好世界", "heading", 0}},
		},
		{
			name:         "unusable custom ids get automatic ones",
			md:           "# A {#}\n\n# B {#☃}\n\n# C {#ok}",
			wantHeadings: []Heading{{1, "a", "A"}, {1, "b", "B"}, {1, "ok", "C"}},
			wantSections: []Section{{"A", "a", 0}, {"B", "b", 2}, {"C", "ok", 4}},
		},
		{
			name:         "no headings",
			md:           "just text",
			wantHeadings: nil,
			wantSections: []Section{{"", "", 0}},
		},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := mustText(t, r, tt.md)
			if !slices.Equal(text.Headings, tt.wantHeadings) {
				t.Errorf("Headings\n got: %+v\nwant: %+v", text.Headings, tt.wantHeadings)
			}
			if !slices.Equal(text.Sections, tt.wantSections) {
				t.Errorf("Sections\n got: %+v\nwant: %+v", text.Sections, tt.wantSections)
			}
			checkSections(t, text)
			rendered := mustRender(t, r, tt.md)
			if !slices.Equal(rendered.Headings, text.Headings) {
				t.Errorf("Render Headings %+v differ from Text Headings %+v", rendered.Headings, text.Headings)
			}
			checkHeadingAnchors(t, rendered)
		})
	}
}

func TestSummary(t *testing.T) {
	long := strings.Repeat("word ", 100) // 500 bytes
	tests := []struct {
		name, md, want string
	}{
		{name: "first paragraph", md: "First one.\n\nSecond one.", want: "First one."},
		{name: "skips headings", md: "# Title\n\nBody text.", want: "Body text."},
		{name: "skips image-only paragraphs", md: "![banner](b.png)\n\n<img src=\"x.png\" alt=\"logo\">\n\nReal text.", want: "Real text."},
		{name: "skips code", md: "```\ncode\n```\n\n    indented\n\nProse.", want: "Prose."},
		{name: "skips shortcodes", md: "{{< figure src=\"x.png\" caption=\"A caption\" >}}\n\n{{< youtube abc >}}\n\n@[youtube](abc)\n\n{{< table_of_contents >}}\n\nProse.", want: "Prose."},
		{name: "skips raw HTML blocks", md: "<div>boxed</div>\n\nProse.", want: "Prose."},
		{name: "skips lists and tables", md: "- item\n\n| a |\n|---|\n| b |\n\nProse.", want: "Prose."},
		{name: "skips display math", md: "$$\nx^2\n$$\n\nProse.", want: "Prose."},
		{name: "takes a quote", md: "> Quoted *words*.\n\nProse.", want: "Quoted words."},
		{name: "keeps text next to an image", md: "![i](x.png) Caption-like text.", want: "i Caption-like text."},
		{name: "none", md: "# Only a heading", want: ""},
		{name: "exactly the limit is not cut", md: strings.Repeat("a", SummaryMaxBytes), want: strings.Repeat("a", SummaryMaxBytes)},
		{name: "cut at a word boundary", md: long, want: strings.TrimSpace(long[:295]) + "…"},
		{name: "cut drops trailing punctuation", md: strings.Repeat("abcdefghi, ", 40), want: strings.TrimSuffix(strings.TrimSpace(strings.Repeat("abcdefghi, ", 27)), ",") + "…"},
		{name: "one long word is cut at a rune boundary", md: strings.Repeat("é", 200), want: strings.Repeat("é", 148) + "…"},
		{name: "CJK is cut between characters", md: strings.Repeat("中文", 80), want: strings.Repeat("中文", 49) + "中…"},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustText(t, r, tt.md).Summary
			if got != tt.want {
				t.Errorf("Summary\n got: %q (%d bytes)\nwant: %q (%d bytes)", got, len(got), tt.want, len(tt.want))
			}
			if len(got) > SummaryMaxBytes {
				t.Errorf("Summary is %d bytes, want <= %d", len(got), SummaryMaxBytes)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		name        string
		md          string
		wantWords   int
		wantMinutes int
	}{
		{name: "empty", md: "", wantWords: 0, wantMinutes: 0},
		{name: "one word", md: "hello", wantWords: 1, wantMinutes: 1},
		{name: "whitespace separated", md: "one two\tthree\nfour", wantWords: 4, wantMinutes: 1},
		{name: "punctuation fields count like Hugo", md: "a — b", wantWords: 3, wantMinutes: 1},
		{name: "hyphenated and versions", md: "go-ipfs 0.4.20 is out", wantWords: 4, wantMinutes: 1},
		{name: "CJK characters each count", md: "你好世界", wantWords: 4, wantMinutes: 1},
		{name: "mixed CJK and Latin", md: "IPFS是一个协议", wantWords: 6, wantMinutes: 1},
		{name: "CJK punctuation is not a word", md: "你好，世界。", wantWords: 4, wantMinutes: 1},
		{name: "Japanese kana", md: "ひらがなカタカナ", wantWords: 8, wantMinutes: 1},
		{name: "exactly one minute", md: strings.Repeat("w ", WordsPerMinute), wantWords: WordsPerMinute, wantMinutes: 1},
		{name: "just over one minute", md: strings.Repeat("w ", WordsPerMinute+1), wantWords: WordsPerMinute + 1, wantMinutes: 2},
		{name: "markup is not counted", md: "**bold** [link](https://example.com/a/b)", wantWords: 2, wantMinutes: 1},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustText(t, r, tt.md)
			if doc.Words != tt.wantWords || doc.ReadingMinutes != tt.wantMinutes {
				t.Errorf("Words, ReadingMinutes = %d, %d; want %d, %d (Text %q)", doc.Words, doc.ReadingMinutes, tt.wantWords, tt.wantMinutes, doc.Text)
			}
		})
	}
}

func TestCSS(t *testing.T) {
	css := string(New().CSS())
	for _, want := range []string{".chroma {", ".chroma .kd {", ".chroma .nf {", "@media (prefers-color-scheme: dark) {"} {
		if !strings.Contains(css, want) {
			t.Errorf("CSS() lacks %q", want)
		}
	}
	if strings.Count(css, ".chroma .kd {") != 2 {
		t.Errorf("CSS() should style .kd once for light and once for dark")
	}
}

// TestConcurrentUse shares one Renderer between goroutines; run it with
// -race.
func TestConcurrentUse(t *testing.T) {
	posts := goldenPosts(t)
	r := New()
	want := make([]string, len(posts))
	for i, p := range posts {
		want[i] = string(mustRender(t, r, string(p.body)).HTML)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i, p := range posts {
				doc, err := r.Render(p.body)
				if err != nil || string(doc.HTML) != want[i] {
					t.Errorf("concurrent Render(%s) differs (err %v)", p.name, err)
				}
				if _, err := r.Text(p.body); err != nil {
					t.Errorf("concurrent Text(%s): %v", p.name, err)
				}
			}
		})
	}
	wg.Wait()
}

// TestBrokenHTML checks that malformed raw HTML shows as text instead of
// swallowing the headings after it.
func TestBrokenHTML(t *testing.T) {
	tests := []struct {
		name, md, wantHTML, wantText string
	}{
		{
			name:     "block ends inside a tag",
			md:       "<div><a0\n\n# Title",
			wantHTML: "<p>&lt;div&gt;&lt;a0</p>\n<h1 id=\"title\">Title</h1>\n",
			wantText: "<div><a0\nTitle",
		},
		{
			name:     "block ends inside a comment",
			md:       "<div><!-- note\n\n## After",
			wantHTML: "<p>&lt;div&gt;&lt;!-- note</p>\n<h2 id=\"after\">After</h2>\n",
			wantText: "<div><!-- note\nAfter",
		},
		{
			name:     "block leaves a textarea open",
			md:       "<div><textarea>\n\n## After",
			wantHTML: "<p>&lt;div&gt;&lt;textarea&gt;</p>\n<h2 id=\"after\">After</h2>\n",
			wantText: "<div><textarea>\nAfter",
		},
		{
			name:     "inline textarea left open",
			md:       "a <textarea> b\n\n## After",
			wantHTML: "<p>a &lt;textarea&gt; b</p>\n<h2 id=\"after\">After</h2>\n",
			wantText: "a <textarea> b\nAfter",
		},
		{
			name:     "closed textarea is markup",
			md:       "a <textarea>x</textarea> b\n\n## After",
			wantHTML: "<p>a x b</p>\n<h2 id=\"after\">After</h2>\n",
			wantText: "a x b\nAfter",
		},
		{
			name:     "div spanning Markdown stays markup",
			md:       "<div align=\"center\">\n\n**bold**\n\n</div>",
			wantHTML: "<div>\n<p><strong>bold</strong></p>\n</div>",
			wantText: "bold",
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
			checkHeadingAnchors(t, doc)
		})
	}
}
