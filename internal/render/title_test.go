package render

import "testing"

func TestTitle(t *testing.T) {
	tests := []struct {
		in, html, plain string
	}{
		{"Plain words & more", "Plain words &amp; more", "Plain words & more"},
		{"`u128` layout", "<code>u128</code> layout", "u128 layout"},
		{"Why *lazy* loading is **fast**", "Why <em>lazy</em> loading is <strong>fast</strong>", "Why lazy loading is fast"},
		{"Shipping `.car` files :rocket:", "Shipping <code>.car</code> files 🚀", "Shipping .car files 🚀"},
		{"1. Intro to proofs", "1. Intro to proofs", "1. Intro to proofs"},
		{"# Not a heading", "# Not a heading", "# Not a heading"},
		{"- not a list", "- not a list", "- not a list"},
		{"Record<NodeID> and <script>alert(1)</script>", "Record&lt;NodeID&gt; and &lt;script&gt;alert(1)&lt;/script&gt;", "Record<NodeID> and <script>alert(1)</script>"},
		{"A [link](https://x.org) in a title", "A link in a title", "A link in a title"},
		{"Snake_case_name stays", "Snake_case_name stays", "Snake_case_name stays"},
		{"  spaced\n out  ", "spaced out", "spaced out"},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			h, plain := r.Title(tt.in)
			if string(h) != tt.html {
				t.Errorf("html = %q, want %q", h, tt.html)
			}
			if plain != tt.plain {
				t.Errorf("plain = %q, want %q", plain, tt.plain)
			}
			checkSafeHTML(t, string(h))
		})
	}
}
