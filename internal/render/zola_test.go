package render

import "testing"

func TestZolaShortcodes(t *testing.T) {
	runTemplateCases(t, []templateCase{
		{
			name:     "inline video",
			md:       "A talk {{ youtube(id=\"dQw4w9WgXcQ\", autoplay=true) }} here.",
			wantHTML: []string{`href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"`},
			notHTML:  []string{"youtube("},
			wantText: "A talk here.",
		},
		{
			name:     "figure with path and caption",
			md:       "{{ image(path='shots/one.png', alt=\"First shot\", caption=\"The first shot\") }}",
			wantHTML: []string{`src="shots/one.png"`, `alt="First shot"`, `<figcaption>The first shot</figcaption>`},
			wantText: "First shot\nThe first shot",
		},
		{
			name:     "notes and quotes are boxes that end closes",
			md:       "{% note(kind=\"warning\", title=\"Mind\") %}\nBe **careful**.\n{% end %}\n\n{% quote(author=\"Ada\") %}\nRead me.\n{% end %}\n\nAfter.",
			wantHTML: []string{`<aside class="callout callout-warning">`, `<strong>Mind</strong>`, `<aside class="callout callout-quote">`, `<strong>Ada</strong>`, "</aside>\n<p>After.</p>"},
			wantText: "Mind\nBe careful.\nAda\nRead me.\nAfter.",
		},
		{
			name:     "details",
			md:       "{% details(summary=\"More\") %}\nHidden.\n{% end %}",
			wantHTML: []string{`<summary>More</summary>`, "</details>"},
			wantText: "More\nHidden.",
		},
		{
			name:       "unknown calls vanish, bodies stay, both reported",
			md:         "{% mystery(x=1) %}\nKept body.\n{% end %}\n\nText {{ widget(a=\"b\") }} end.",
			wantText:   "Kept body.\nText end.",
			unrendered: []string{"{% mystery() %}", "{{ widget() }}"},
		},
		{
			name:     "escaped calls show as written",
			literal:  true,
			md:       "Write {{/* youtube(id=\"x\") */}} or {%/* note() */%}.",
			wantHTML: []string{`Write {{ youtube(id=&#34;x&#34;) }} or {% note() %}.`},
			wantText: `Write {{ youtube(id="x") }} or {% note() %}.`,
		},
		{
			name:       "a box cannot open inline",
			md:         "Text {{ note(kind=\"tip\") }} and more.",
			notHTML:    []string{"<aside"},
			wantText:   "Text and more.",
			unrendered: []string{"{{ note() }}"},
		},
		{
			name:       "Liquid with parentheses is not a call",
			md:         "{% if (site.x) %}shown{% endif %} and {% end %} alone.",
			wantText:   "shown and alone.",
			unrendered: []string{"{% if %} on an unknown value"},
		},
	})
}
