package render

import (
	"strings"
	"testing"
)

func TestTitleHeadingDropped(t *testing.T) {
	r := New()
	tests := []struct {
		name, title, body string
		dropped           bool
	}{
		{"same words", "Its Title", "# Its Title\n\nThe text.\n\n## Part\n\nMore.\n", true},
		{"case and spaces aside", "Its   title", "#  its TITLE #\n\nThe text.\n", true},
		{"inline markdown in the title", "`u128` layout", "# `u128` Layout\n\nThe text.\n", true},
		{"setext heading", "Its Title", "Its Title\n=========\n\nThe text.\n", true},
		{"a different heading stays", "Its Title", "# Another\n\nThe text.\n", false},
		{"a level-2 heading stays", "Its Title", "## Its Title\n\nThe text.\n", false},
		{"not the first block", "Its Title", "Intro.\n\n# Its Title\n\nThe text.\n", false},
		{"no title given", "", "# Its Title\n\nThe text.\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := r.RenderWith([]byte(tt.body), Options{Title: tt.title})
			if err != nil {
				t.Fatal(err)
			}
			if tt.dropped {
				if strings.Contains(string(d.HTML), "<h1") {
					t.Errorf("HTML keeps the title heading: %s", d.HTML)
				}
				for _, h := range d.Headings {
					if h.Level == 1 {
						t.Errorf("contents list the title: %+v", d.Headings)
					}
				}
				if strings.Contains(strings.ToLower(d.Text), "title") || strings.Contains(d.Text, "ayout") {
					t.Errorf("text keeps the title: %q", d.Text)
				}
				if !strings.HasPrefix(d.Text, "The text.") {
					t.Errorf("text = %q, want the body from its first paragraph", d.Text)
				}
				return
			}
			if len(d.Headings) == 0 || !strings.Contains(string(d.HTML), ">"+d.Headings[0].Text+"</h") {
				t.Errorf("heading dropped: HTML %s, headings %+v", d.HTML, d.Headings)
			}
		})
	}
}
