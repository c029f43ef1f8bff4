package post

import (
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no input crashes Parse and that every accepted
// post keeps the promises later stages rely on. Seeds beyond these live in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte("---\ntitle: Hello\ndate: 2023-3-29\ntags: Networks, Research\n---\nBody\n"))
	f.Add([]byte("+++\ntitle = 'Hi'\ndate = 2023-01-02T10:00:00+02:00\n+++\n"))
	f.Add([]byte("\uFEFF---\r\ntitle: x\r\ndate: 2023-02-30\r\n---\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.md", data)
		if err != nil {
			if p != nil {
				t.Fatalf("Parse returned both a post and %v", err)
			}
			asProblem(t, err)
			return
		}
		if !ValidSlug(p.Slug) {
			t.Errorf("Slug = %q, not a valid slug", p.Slug)
		}
		if p.Title == "" {
			t.Error("Title is empty")
		}
		if p.Date.IsZero() {
			t.Error("Date is zero")
		}
		if !utf8.Valid(p.Body) {
			t.Errorf("Body is not valid UTF-8: %q", p.Body)
		}
		if p.BodyLine < 2 {
			t.Errorf("BodyLine = %d, want at least 2", p.BodyLine)
		}
	})
}
